import type { CompletenessRank } from '../domain/completeness.js';
import type { VersionStatus } from '../domain/version-order.js';

/*
 * The vocabulary of the store: what the role interfaces of roles.ts take and return. Persistence only — no HTTP
 * request, no status code, no Graph rule beyond the version order a write applies atomically
 * (src/storage/write-decision.ts over src/domain/version-order.ts).
 */

/** One validated record cut into the fragments the store keeps (built by src/service/record-fragments.ts). */
export interface RecordWrite {
  id: string;
  version: number;
  startKey: string;
  endKey: string;
  lastModifiedKey: string;
  /** The lastModifiedDateTime as received, kept in the history list. */
  lastModified: string;
  /** The callRecord without `sessions` and `participants_v2`, as a JSON object text. */
  recordJson: string;
  sessions: readonly SessionWrite[];
  participants: readonly ParticipantWrite[];
  /** The whole normalised record as a JSON text: what history and export return. */
  rawJson: string;
  contentHash: string;
  hasEvolvable: boolean;
  /** How complete the body is (src/domain/completeness.ts); it orders equal versions. */
  completeness: CompletenessRank;
  /** What the body lacks, in words; undefined when it is whole. */
  partial?: string | undefined;
  /** The source's next links as a JSON object text (`{"sessions@odata.nextLink": "…"}`); undefined when none. */
  nextLinks?: string | undefined;
  /**
   * When this version was first received (the stored receive-time form, `Date.toISOString()`), overriding the batch's
   * receive time: set only when a backup made by `export --all-versions` is restored.
   */
  receivedAt?: string | undefined;
  /**
   * The normalised record this write was cut from, when the writer has it (non-enumerable): derived tables (the stream
   * table) read its `type` and `sessions` instead of parsing the JSON texts again. The texts stay the truth.
   */
  parsed?: { readonly type: unknown; readonly sessions: unknown } | undefined;
}

/** A session without `segments`, and its segments as a JSON array text. */
export interface SessionWrite {
  id: string;
  json: string;
  segmentsJson: string;
}

/** One participants_v2 entry. */
export interface ParticipantWrite {
  id: string;
  json: string;
}

/** What a write did: see docs/api.md, "Version rules" (decided by src/domain/version-order.ts). */
export type WriteStatus = VersionStatus;

/** The outcome of one record's write, with the version that is current afterwards and what that one lacks. */
export interface WriteResult {
  status: WriteStatus;
  currentVersion: number;
  /** What the current version lacks after the write (docs/api.md, "Version rules"); absent when it is whole. */
  partial?: string | undefined;
}

/** What is known of a record's current version without reading its JSON. */
export interface RecordHead {
  version: number;
  contentHash: string;
  sessionCount: number;
  participantCount: number;
  hasEvolvable: boolean;
}

/**
 * Stored JSON as the driver hands it over most cheaply — UTF-8 bytes (SQLite) or a string (PostgreSQL, where bytea
 * would travel as hex) — so readers send it on without parsing it.
 */
export type StoredJson = Buffer | string;

/** The current version of one record, as stored: its top-level JSON. */
export interface StoredRecord extends RecordHead {
  json: StoredJson;
}

/** The contained collections a record read can include a page of. */
export type Collection = 'sessions' | 'participants';

/** Which items of a contained collection to read, by position. */
export interface PageRequest {
  collection: Collection;
  fromOrdinal: number;
  limit: number;
}

/** A session or participant fragment with its position in the record; a session's segments come apart. */
export interface StoredItem {
  ordinal: number;
  json: StoredJson;
  /** Sessions only: the segments as a JSON array. */
  segmentsJson?: StoredJson | undefined;
}

/** A record and, when asked for, one page of a contained collection, read from one snapshot. */
export interface RecordRead extends StoredRecord {
  items?: StoredItem[] | undefined;
}

/** A row of the record list. */
export interface ListedRecord {
  id: string;
  startKey: string;
  json: StoredJson;
  hasEvolvable: boolean;
}

/** One entry of a record's history (declared apart, in a file the dashboard can import). */
export type { VersionInfo } from './version-info.js';

/** A record whose current version is partial: what it lacks and where its source said the rest is. */
export interface PartialRecord {
  id: string;
  version: number;
  partial: string;
  /** The source's next links by annotation name, when it gave any. */
  nextLinks?: Record<string, string> | undefined;
}

/** A page of the partial records, ordered by id; `after` is the last id of the previous page. */
export interface PartialRecordQuery {
  after?: string | undefined;
  limit: number;
}

/** A startDateTime bound, on the sortable UTC form. */
export interface StartBound {
  op: 'lt' | 'le' | 'gt' | 'ge';
  value: string;
}

/** Which records a list or count covers: startDateTime bounds (at most one lower, one upper) and a participant. */
export interface RecordFilterQuery {
  start: readonly StartBound[];
  participantId?: string | undefined;
}

/** A page request over the record list, ordered by (startDateTime, id). */
export interface RecordQuery extends RecordFilterQuery {
  /** Keyset cursor: the last row of the previous page. */
  after?: { startKey: string; id: string } | undefined;
  limit: number;
}

/** A startDateTime window for export; both ends optional, `to` exclusive. */
export interface ExportRange {
  fromKey?: string | undefined;
  toKey?: string | undefined;
}

/** A record as exported: its whole JSON text, and the next links its source cut it short with. */
export interface ExportedRecord {
  id: string;
  startKey: string;
  rawJson: string;
  /** The current version's next links as a JSON object text, when it was cut short (RecordWrite.nextLinks). */
  nextLinks?: string | undefined;
}

/** One stored version as `export --all-versions` writes it, with where it stands in that export's order. */
export interface ExportedVersion extends VersionCursor {
  rawJson: string;
  /** The source's next links of a partial body, as a JSON object text; undefined when none. */
  nextLinks?: string | undefined;
}

/**
 * A position in the all-versions export order: records by their current (startDateTime, id), each record's versions
 * by receive time, then version, then content hash (one body is stored once per record, so this order is total).
 */
export interface VersionCursor {
  startKey: string;
  id: string;
  receivedAt: string;
  version: number;
  contentHash: string;
}

/** A record at one end of the archive. */
export interface RecordEnd {
  id: string;
  startKey: string;
}

/** Health facts about the database: how many records it holds and which start first and last. */
export interface StoreHealth {
  kind: string;
  records: number;
  /** How many records' current version is partial. */
  partial: number;
  oldest?: RecordEnd | undefined;
  newest?: RecordEnd | undefined;
}

/** How many records one retention batch removes by default: small enough that each transaction is short. */
export const DEFAULT_EXPIRE_BATCH = 500;
