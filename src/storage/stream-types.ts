import type { Building } from '../analytics/building-file.js';
import type { RuleSet } from '../analytics/rule-sets.js';
import type { StreamsTable } from '../analytics/stream-row.js';

/** What the stream table was derived with, and whether some of it is missing. */
export interface StreamTableStatus {
  /** The rule set that classified the stored rows (CQD's `current` until a rebuild chose another). */
  rules: RuleSet;
  /** Why rows may be missing (records stored before migration 0008, a rebuild cut short); undefined when complete. */
  stale?: string | undefined;
  /** How many networks the stored building file holds. */
  networks: number;
}

/** What a rebuild did. */
export interface StreamRebuild {
  records: number;
  streams: number;
}

/** What replacing the building file did. */
export interface BuildingsReplaced {
  networks: number;
  /** Stream endpoints (sender or receiver) now in a building. */
  mappedEndpoints: number;
}

/** A subnet that carries audio streams but is in no building (CQD's missing-subnet report). */
export interface MissingSubnet {
  subnet: string;
  audioStreams: number;
}

/** Where a page of stream rows continues: after this row in (start_key, record_id, ordinal) order. */
export interface StreamCursor {
  startKey: string;
  recordId: string;
  ordinal: number;
}

/** One stored stream row, by SQL column name. */
export type StoredStream = StreamsTable;

export type { Building, RuleSet };
