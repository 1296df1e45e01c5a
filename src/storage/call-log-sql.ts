/**
 * The statements of the call-log role, written once with `?` markers and used by both stores (PostgreSQL's copy
 * numbers the markers, `$1`…). Table names come from CALL_LOG_TABLES only, never from a request.
 */
import { CALL_LOG_TABLES, type CallLogTable } from './call-log-types.js';

/** The statements on one call-log table. */
export interface CallLogStatements {
  /** The stored body under a key: (row_key) → row_json. */
  readonly getJson: string;
  /** (row_key, time_key, period_end_key, link_key, user_id, row_json, received_at). */
  readonly insert: string;
  /** (time_key, period_end_key, link_key, user_id, row_json, received_at, row_key). */
  readonly update: string;
  /** A window's first page: (from, to, limit); `Inclusive` compares `time_key <= to`, else `<`. */
  readonly firstPage: { inclusive: string; exclusive: string };
  /** A later page: (from, to, afterTime, afterTime, afterKey, limit). */
  readonly nextPage: { inclusive: string; exclusive: string };
  /** Reports whose period lies in [from, to]: (from, to). */
  readonly periods: string;
  /** The rows joined to one call record: (link_key). */
  readonly byLink: string;
  /** One user's rows in [from, to]: (user_id, from, to). */
  readonly byUser: string;
  /** Deletes up to `limit` rows before a cutoff: (cutoff, limit). */
  readonly expireBatch: string;
}

const COLUMNS = 'time_key as "timeKey", row_key as "rowKey", row_json as "json"';

function statementsFor(t: CallLogTable): CallLogStatements {
  const page = (op: '<=' | '<', after: boolean): string =>
    `select ${COLUMNS} from ${t} where time_key >= ? and time_key ${op} ?` +
    (after ? ' and (time_key > ? or (time_key = ? and row_key > ?))' : '') +
    ' order by time_key, row_key limit ?';
  return {
    getJson: `select row_json as "json" from ${t} where row_key = ?`,
    insert:
      `insert into ${t} (row_key, time_key, period_end_key, link_key, user_id, row_json, received_at) ` +
      'values (?, ?, ?, ?, ?, ?, ?)',
    update:
      `update ${t} set time_key = ?, period_end_key = ?, link_key = ?, user_id = ?, row_json = ?, received_at = ?` +
      // Another body is not purged yet (migration 0012).
      ', euii_purged_at = null where row_key = ?',
    firstPage: { inclusive: page('<=', false), exclusive: page('<', false) },
    nextPage: { inclusive: page('<=', true), exclusive: page('<', true) },
    periods: `select ${COLUMNS} from ${t} where time_key >= ? and period_end_key <= ? order by time_key, row_key`,
    byLink: `select ${COLUMNS} from ${t} where link_key = ? order by time_key, row_key`,
    byUser: `select ${COLUMNS} from ${t} where user_id = ? and time_key >= ? and time_key <= ? order by time_key, row_key`,
    expireBatch: `delete from ${t} where row_key in (select row_key from ${t} where time_key < ? order by time_key limit ?)`,
  };
}

/** The statements of every call-log table, with `?` markers (SQLite's). */
export const CALL_LOG_SQL: Readonly<Record<CallLogTable, CallLogStatements>> = Object.fromEntries(
  CALL_LOG_TABLES.map((t) => [t, statementsFor(t)]),
) as Record<CallLogTable, CallLogStatements>;

/** The same SQL with PostgreSQL's numbered markers ($1, $2, …). */
export function numberedMarkers(text: string): string {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
}
