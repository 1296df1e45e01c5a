/**
 * The data the call-log role (`CallLogStore`, roles.ts) takes and returns. Each telephony log lives in a table of its
 * own (migration 0009); a row is stored as the JSON text it arrived in, beside the keys its reads need.
 */

/** The tables of the telephony logs, one per kind. */
export const CALL_LOG_TABLES = [
  'pstn_call_logs',
  'direct_routing_logs',
  'sms_logs',
  'pstn_blocked_users_logs',
  'pstn_dialout_reports',
] as const;

/** One telephony log's table. */
export type CallLogTable = (typeof CALL_LOG_TABLES)[number];

/** One row to write. */
export interface LogRowWrite {
  /** What identifies the row: its `id` when it has one, else a hash of its content (call-logs/log-row-write.ts). */
  rowKey: string;
  /** The sortable UTC key (domain/datetime.ts) of the time its function filters on; a report's period start. */
  timeKey: string;
  /** A dial-out report's period end (sortable UTC); undefined for rows. */
  periodEndKey?: string | undefined;
  /** What joins it to a call record: a Direct Routing row's correlationId. */
  linkKey?: string | undefined;
  /** The row's userId, for the join by user and for the privacy purge. */
  userId?: string | undefined;
  /** The row's JSON text, as served back. */
  json: string;
}

/** What writing one row did: first seen, replaced a different body under the same key, or already stored. */
export type LogWriteStatus = 'inserted' | 'updated' | 'unchanged';

/** A time window: `fromKey` inclusive, `toKey` inclusive or exclusive. */
export interface LogWindow {
  fromKey: string;
  toKey: string;
  toInclusive: boolean;
}

/** Where a page ends: the last row's keys (rows are ordered by time key, then row key). */
export interface LogCursor {
  timeKey: string;
  rowKey: string;
}

/** One stored row, as read. */
export interface StoredLogRow {
  timeKey: string;
  rowKey: string;
  json: string;
}

/** The most rows a store deletes in one transaction during retention, unless told otherwise. */
export const DEFAULT_LOG_EXPIRE_BATCH = 1000;
