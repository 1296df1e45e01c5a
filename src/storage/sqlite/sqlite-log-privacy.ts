import type { CallLogTable } from '../call-log-types.js';
import type { LogRowReplacement, PurgeableLogRow } from '../log-privacy-types.js';
import { LOG_PRIVACY_SQL } from '../log-privacy-sql.js';
import type { LogPrivacyStore } from '../roles.js';
import type { SqliteConnection } from './sqlite-connection.js';

/**
 * The call-log privacy role on SQLite: a batch of rows replaced in one write transaction. The file is opened with
 * `secure_delete` (sqlite-file.ts), so the cells the old rows held are zeroed; after a batch the write-ahead log is
 * checkpointed, so no copy of them stays in the log either (as sqlite-privacy.ts does for records).
 */
export class SqliteLogPrivacy implements LogPrivacyStore {
  private readonly replaceBatch: (
    table: CallLogTable,
    replacements: readonly LogRowReplacement[],
    purgedAt: string,
  ) => number;

  constructor(private readonly c: SqliteConnection) {
    this.replaceBatch = c.writeTransaction((table, replacements, purgedAt) => {
      const sql = LOG_PRIVACY_SQL[table];
      let done = 0;
      for (const { oldKey, oldJson, write: w } of replacements) {
        const taken = c.statement(sql.take).get(oldKey, oldJson) as { receivedAt: string } | undefined;
        if (taken === undefined) continue;
        const values = [w.rowKey, w.timeKey, w.periodEndKey ?? null, w.linkKey ?? null, w.userId ?? null, w.json];
        c.statement(sql.put).run(...values, taken.receivedAt, purgedAt);
        done++;
      }
      return done;
    });
  }

  unpurgedLogRows(table: CallLogTable, cutoffKey: string, limit: number): Promise<PurgeableLogRow[]> {
    return this.all(LOG_PRIVACY_SQL[table].unpurged, cutoffKey, limit);
  }

  logRowsOfUser(table: CallLogTable, userId: string, limit: number): Promise<PurgeableLogRow[]> {
    return this.all(LOG_PRIVACY_SQL[table].ofUser, userId, limit);
  }

  async replaceLogRows(
    table: CallLogTable,
    replacements: readonly LogRowReplacement[],
    purgedAt: string,
  ): Promise<number> {
    if (replacements.length === 0) return 0;
    const done = await this.c.retry(() => this.replaceBatch(table, replacements, purgedAt));
    this.c.unlessBusy(() => this.c.db.pragma('wal_checkpoint(TRUNCATE)'));
    // Between batches the event loop serves whatever requests are waiting (the batch itself is synchronous).
    await new Promise((resolve) => setImmediate(resolve));
    return done;
  }

  private all(text: string, ...values: unknown[]): Promise<PurgeableLogRow[]> {
    return this.c.retry(() => this.c.statement(text).all(...values) as PurgeableLogRow[]);
  }
}
