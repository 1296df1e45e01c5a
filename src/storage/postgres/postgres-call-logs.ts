import { CALL_LOG_SQL, numberedMarkers } from '../call-log-sql.js';
import {
  CALL_LOG_TABLES,
  DEFAULT_LOG_EXPIRE_BATCH,
  type CallLogTable,
  type LogCursor,
  type LogRowWrite,
  type LogWindow,
  type LogWriteStatus,
  type StoredLogRow,
} from '../call-log-types.js';
import type { CallLogStore } from '../roles.js';
import type { PgQueries } from './pg-queries.js';

const UPSERT_CACHE = new Map<CallLogTable, string>();

/**
 * The upsert of one row: inserted, updated when the stored body differs, and nothing when it is the same (no row
 * comes back then). `xmax = 0` tells a fresh insert from an update.
 */
function upsertOf(t: CallLogTable): string {
  let text = UPSERT_CACHE.get(t);
  if (text === undefined) {
    text =
      `insert into ${t} as t (row_key, time_key, period_end_key, link_key, user_id, row_json, received_at) ` +
      'values ($1, $2, $3, $4, $5, $6, $7) on conflict (row_key) do update set time_key = excluded.time_key, ' +
      'period_end_key = excluded.period_end_key, link_key = excluded.link_key, user_id = excluded.user_id, ' +
      'row_json = excluded.row_json, received_at = excluded.received_at, euii_purged_at = null where t.row_json <> excluded.row_json ' +
      'returning (xmax = 0) as inserted';
    UPSERT_CACHE.set(t, text);
  }
  return text;
}

/**
 * The call-log role on PostgreSQL: one transaction per batch of upserts (two instances writing the same row both
 * succeed, the second as `unchanged`), reads as single named statements.
 */
export class PostgresCallLogs implements CallLogStore {
  constructor(private readonly db: PgQueries) {}

  write(table: CallLogTable, rows: readonly LogRowWrite[], receivedAt: string): Promise<LogWriteStatus[]> {
    const text = upsertOf(table);
    return this.db.transaction(async (client) => {
      const statuses: LogWriteStatus[] = [];
      for (const r of rows) {
        const values = [r.rowKey, r.timeKey, r.periodEndKey ?? null, r.linkKey ?? null, r.userId ?? null, r.json];
        const result = await this.db.rows<{ inserted: boolean }>(client, text, [...values, receivedAt]);
        const row = result[0];
        statuses.push(row === undefined ? 'unchanged' : row.inserted ? 'inserted' : 'updated');
      }
      return statuses;
    });
  }

  listRows(table: CallLogTable, w: LogWindow, after: LogCursor | undefined, limit: number): Promise<StoredLogRow[]> {
    const sql = CALL_LOG_SQL[table];
    const which = w.toInclusive ? 'inclusive' : 'exclusive';
    return after === undefined
      ? this.all(sql.firstPage[which], w.fromKey, w.toKey, limit)
      : this.all(sql.nextPage[which], w.fromKey, w.toKey, after.timeKey, after.timeKey, after.rowKey, limit);
  }

  listPeriodRows(table: CallLogTable, fromKey: string, toKey: string): Promise<StoredLogRow[]> {
    return this.all(CALL_LOG_SQL[table].periods, fromKey, toKey);
  }

  rowsByLink(table: CallLogTable, linkKey: string): Promise<StoredLogRow[]> {
    return this.all(CALL_LOG_SQL[table].byLink, linkKey);
  }

  rowsByUser(table: CallLogTable, userId: string, fromKey: string, toKey: string): Promise<StoredLogRow[]> {
    return this.all(CALL_LOG_SQL[table].byUser, userId, fromKey, toKey);
  }

  async expire(cutoffKey: string, batchSize = DEFAULT_LOG_EXPIRE_BATCH): Promise<number> {
    let removed = 0;
    for (const table of CALL_LOG_TABLES) {
      const text = numberedMarkers(CALL_LOG_SQL[table].expireBatch);
      for (;;) {
        const n = (await this.db.pool.query(text, [cutoffKey, batchSize])).rowCount ?? 0;
        removed += n;
        if (n < batchSize) break;
      }
    }
    return removed;
  }

  private all(text: string, ...values: unknown[]): Promise<StoredLogRow[]> {
    return this.db.rows<StoredLogRow>(this.db.pool, numberedMarkers(text), values);
  }
}
