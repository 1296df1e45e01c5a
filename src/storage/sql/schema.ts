import type { BuildingsTable, StreamsTable } from '../../analytics/stream-row.js';
import type { CompletenessRank } from '../../domain/completeness.js';

/**
 * The tables as Kysely sees them. One schema for every dialect: text for JSON and for timestamps (sortable UTC,
 * see src/domain/datetime.ts), integers for flags, so that the same statements run on SQLite and PostgreSQL.
 * Every key of a record table starts with the record id (see storage/README.md).
 */
export interface Database {
  call_records: CallRecordsTable;
  sessions: SessionsTable;
  participants: ParticipantsTable;
  record_versions: RecordVersionsTable;
  store_meta: StoreMetaTable;
  /** One row per mediaStream of the current version (migration 0008; src/analytics/stream-row.ts). */
  streams: StreamsTable;
  /** The building file last imported (migration 0008). */
  buildings: BuildingsTable;
}

/** The current version of each record: its top-level JSON (no sessions, no participants_v2) and index keys. */
export interface CallRecordsTable {
  id: string;
  version: number;
  start_key: string;
  end_key: string;
  last_modified_key: string;
  record_json: string;
  session_count: number;
  participant_count: number;
  content_hash: string;
  has_evolvable: number;
  received_at: string;
  /** 0 no sessions, 1 cut short, 2 whole (src/domain/completeness.ts; migration 0003). */
  completeness: CompletenessRank;
  /** What the current body lacks, in words; null when it is whole. */
  partial: string | null;
  /** The source's next links as a JSON object text; null when it gave none. Never served to Graph clients. */
  next_links: string | null;
}

/** The sessions of the current version, in the order received; segments kept apart so they are served only on $expand. */
export interface SessionsTable {
  record_id: string;
  ordinal: number;
  session_id: string;
  session_json: string;
  segments_json: string;
}

/**
 * The participants_v2 of the current version, in the order received. The record's start key is repeated here so that
 * the participant filter pages along one index: (participant_id, start_key, record_id).
 */
export interface ParticipantsTable {
  record_id: string;
  ordinal: number;
  participant_id: string;
  start_key: string;
  participant_json: string;
}

/** Every distinct version ever received, as received (after normalisation), its JSON brotli-compressed. */
export interface RecordVersionsTable {
  record_id: string;
  content_hash: string;
  version: number;
  last_modified: string;
  received_at: string;
  raw_brotli: Buffer;
  /** What this body lacked when received; null when it was whole. */
  partial: string | null;
  /** The source's next links of this body (as in call_records), so a backup keeps them; null when none. */
  next_links: string | null;
}

/** Store-wide settings, e.g. the key that signs skip tokens (shared by every instance on one database). */
export interface StoreMetaTable {
  key: string;
  value: string;
}
