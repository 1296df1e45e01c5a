import { streamRowsOfWrite, DEFAULT_DERIVATION, type StreamDerivation } from '../analytics/stream-rows.js';
import { STREAM_COLUMN_NAMES } from '../analytics/stream-columns.js';
import { compressJson } from './compression.js';
import type { Database } from './sql/schema.js';
import type { RecordWrite } from './store.js';

/** A value a record table's row holds: text, a whole number, bytes, or null. */
export type ColumnValue = string | number | Buffer | null;

/** What a row builder needs beside the record: the receive time to file it under and the record's start after the write. */
export interface RowContext {
  /** The receive time of this version (a restored backup's own, else the batch's). */
  receivedAt: string;
  /** The start key the record has once the write is done (history rows follow a record that moved). */
  startKey: string;
  /** How stream rows are classified and mapped to buildings (the store's active rule set and building file). */
  streams?: StreamDerivation | undefined;
}

/**
 * A table whose rows belong to one record, and how a record's rows are built. `current` rows describe the current
 * version and are replaced whole when another version becomes current; `history` rows are added once per distinct
 * body and stay until the record expires.
 */
export interface RecordTable {
  readonly name: keyof Database;
  /** The column holding the record id (the head table's own key, `record_id` everywhere else). */
  readonly idColumn: 'id' | 'record_id';
  readonly part: 'current' | 'history';
  /** The columns of the rows `rows` builds, in order (PostgreSQL's layout: COPY sends them as they are). */
  readonly columns: readonly string[];
  /** Columns that exist on PostgreSQL only: the partition key of a table that has no start key on SQLite. */
  readonly postgresOnly: readonly string[];
  /** The rows of one record in this table, each in the order of `columns`. */
  rows(record: RecordWrite, context: RowContext): ColumnValue[][];
}

/** call_records: the head of each record, one row, its current version's top-level JSON and index keys. */
const CALL_RECORDS: RecordTable = {
  name: 'call_records',
  idColumn: 'id',
  part: 'current',
  columns: [
    'id',
    'version',
    'start_key',
    'end_key',
    'last_modified_key',
    'record_json',
    'session_count',
    'participant_count',
    'content_hash',
    'has_evolvable',
    'received_at',
    'completeness',
    'partial',
    'next_links',
  ],
  postgresOnly: [],
  rows: (r, { receivedAt }) => [
    [
      r.id,
      r.version,
      r.startKey,
      r.endKey,
      r.lastModifiedKey,
      r.recordJson,
      r.sessions.length,
      r.participants.length,
      r.contentHash,
      r.hasEvolvable ? 1 : 0,
      receivedAt,
      r.completeness,
      r.partial ?? null,
      r.nextLinks ?? null,
    ],
  ],
};

/** sessions: the current version's sessions by ordinal, their segments apart. */
const SESSIONS: RecordTable = {
  name: 'sessions',
  idColumn: 'record_id',
  part: 'current',
  columns: ['record_id', 'start_key', 'ordinal', 'session_id', 'session_json', 'segments_json'],
  postgresOnly: ['start_key'],
  rows: (r) => r.sessions.map((s, i) => [r.id, r.startKey, i, s.id, s.json, s.segmentsJson]),
};

/** participants: the current version's participants_v2 by ordinal. */
const PARTICIPANTS: RecordTable = {
  name: 'participants',
  idColumn: 'record_id',
  part: 'current',
  columns: ['record_id', 'start_key', 'ordinal', 'participant_id', 'participant_json'],
  postgresOnly: [],
  rows: (r) => r.participants.map((p, i) => [r.id, r.startKey, i, p.id, p.json]),
};

/** record_versions: every distinct body received, compressed, filed under the record's start after the write. */
const RECORD_VERSIONS: RecordTable = {
  name: 'record_versions',
  idColumn: 'record_id',
  part: 'history',
  columns: [
    'record_id',
    'start_key',
    'content_hash',
    'version',
    'last_modified',
    'received_at',
    'raw_brotli',
    'partial',
    'next_links',
  ],
  postgresOnly: ['start_key'],
  rows: (r, { startKey, receivedAt }) => [
    [
      r.id,
      startKey,
      r.contentHash,
      r.version,
      r.lastModified,
      receivedAt,
      compressJson(r.rawJson),
      r.partial ?? null,
      r.nextLinks ?? null,
    ],
  ],
};

/**
 * streams: one row per mediaStream of the current version, classified and mapped to buildings (src/analytics/,
 * docs/analytics.md "Stream table"). The record's start key partitions it on PostgreSQL and filters dates on both.
 */
const STREAMS: RecordTable = {
  name: 'streams',
  idColumn: 'record_id',
  part: 'current',
  columns: STREAM_COLUMN_NAMES,
  postgresOnly: [],
  rows: (r, { streams }) => streamRowsOfWrite(r, streams ?? DEFAULT_DERIVATION),
};

/**
 * Every table a record owns, the head first — the one list that writes, replacement, retention, PostgreSQL's
 * monthly partitions and COPY read. A table derived from a record (such as a per-stream analytics table) is one
 * entry here with its row builder, plus its migration and its columns in sql/schema.ts.
 */
export const RECORD_TABLES: readonly RecordTable[] = [CALL_RECORDS, SESSIONS, PARTICIPANTS, RECORD_VERSIONS, STREAMS];

/** The head table: one row per record, the one retention selects expired records from. */
export const HEAD_TABLE: RecordTable = CALL_RECORDS;

/** The tables of the current version, replaced whole when another version becomes current. */
export const CURRENT_TABLES: readonly RecordTable[] = RECORD_TABLES.filter((t) => t.part === 'current');

/** The tables of the history, added to once per distinct body. */
export const HISTORY_TABLES: readonly RecordTable[] = RECORD_TABLES.filter((t) => t.part === 'history');

/** The tables a record owns beside its head: what goes with it when the head goes. */
export const OWNED_TABLES: readonly RecordTable[] = RECORD_TABLES.filter((t) => t !== HEAD_TABLE);
