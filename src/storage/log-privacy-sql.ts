/**
 * The statements of the call-log privacy role, written once with `?` markers and used by both stores (PostgreSQL's
 * copy numbers them, call-log-sql.ts `numberedMarkers`). Table names come from CALL_LOG_TABLES only.
 */
import { CALL_LOG_TABLES, type CallLogTable } from './call-log-types.js';

/** The statements on one call-log table. */
export interface LogPrivacyStatements {
  /** Rows not marked purged before a cutoff: (cutoff, limit). Served by the partial index of migration 0012. */
  readonly unpurged: string;
  /** One user's rows: (user_id, limit). */
  readonly ofUser: string;
  /** Deletes a row if its body is still the one read, returning its receive time: (row_key, row_json). */
  readonly take: string;
  /** Writes a rewritten row, marked (a row already under the key takes its values): 8 columns. */
  readonly put: string;
}

const COLUMNS = 'row_key as "rowKey", time_key as "timeKey", period_end_key as "periodEndKey", row_json as "json"';

function statementsFor(t: CallLogTable): LogPrivacyStatements {
  return {
    unpurged: `select ${COLUMNS} from ${t} where euii_purged_at is null and time_key < ? order by time_key, row_key limit ?`,
    ofUser: `select ${COLUMNS} from ${t} where user_id = ? order by time_key, row_key limit ?`,
    take: `delete from ${t} where row_key = ? and row_json = ? returning received_at as "receivedAt"`,
    put:
      `insert into ${t} (row_key, time_key, period_end_key, link_key, user_id, row_json, received_at, euii_purged_at) ` +
      'values (?, ?, ?, ?, ?, ?, ?, ?) on conflict (row_key) do update set time_key = excluded.time_key, ' +
      'period_end_key = excluded.period_end_key, link_key = excluded.link_key, user_id = excluded.user_id, ' +
      'row_json = excluded.row_json, euii_purged_at = excluded.euii_purged_at',
  };
}

/** The statements of every call-log table, with `?` markers (SQLite's). */
export const LOG_PRIVACY_SQL: Readonly<Record<CallLogTable, LogPrivacyStatements>> = Object.fromEntries(
  CALL_LOG_TABLES.map((t) => [t, statementsFor(t)]),
) as Record<CallLogTable, LogPrivacyStatements>;
