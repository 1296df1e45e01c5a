import { CALL_LOG_SQL } from '../call-log-sql.js';
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
import type { SqliteConnection } from './sqlite-connection.js';

/** The call-log role on SQLite: one write transaction per batch, reads as single statements. */
export class SqliteCallLogs implements CallLogStore {
  constructor(private readonly c: SqliteConnection) {}

  write(table: CallLogTable, rows: readonly LogRowWrite[], receivedAt: string): Promise<LogWriteStatus[]> {
    const sql = CALL_LOG_SQL[table];
    const get = this.c.statement(sql.getJson);
    const insert = this.c.statement(sql.insert);
    const update = this.c.statement(sql.update);
    const writeAll = this.c.writeTransaction(() =>
      rows.map((r): LogWriteStatus => {
        const stored = get.get(r.rowKey) as { json: string } | undefined;
        const fields = [r.periodEndKey ?? null, r.linkKey ?? null, r.userId ?? null, r.json, receivedAt];
        if (stored === undefined) {
          insert.run(r.rowKey, r.timeKey, ...fields);
          return 'inserted';
        }
        if (stored.json === r.json) return 'unchanged';
        update.run(r.timeKey, ...fields, r.rowKey);
        return 'updated';
      }),
    );
    return this.c.retry(writeAll);
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
      for (;;) {
        const n = await this.c.retry(
          this.c.writeTransaction(
            () => this.c.statement(CALL_LOG_SQL[table].expireBatch).run(cutoffKey, batchSize).changes,
          ),
        );
        removed += n;
        if (n < batchSize) break;
      }
    }
    return removed;
  }

  private all(text: string, ...values: unknown[]): Promise<StoredLogRow[]> {
    return this.c.retry(() => this.c.statement(text).all(...values) as StoredLogRow[]);
  }
}
