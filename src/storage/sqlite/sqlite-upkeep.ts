import { OWNED_TABLES } from '../record-tables.js';
import type { UpkeepStore } from '../roles.js';
import { DEFAULT_EXPIRE_BATCH } from '../store.js';
import { sqliteTableSql } from './record-table-sql.js';
import type { SqliteConnection } from './sqlite-connection.js';

/** The upkeep role on SQLite: retention in short batches, and the housekeeping after a bulk import. */
export class SqliteUpkeep implements UpkeepStore {
  private readonly expireBatch: (cutoff: string, limit: number) => number;

  constructor(private readonly c: SqliteConnection) {
    const owned = OWNED_TABLES.map(sqliteTableSql);
    this.expireBatch = c.writeTransaction((cutoff: string, limit: number) => {
      const ids = c.all(c.sql.expiredBatch, { cutoff, limit }).map((r) => r.id);
      for (const id of ids) {
        c.run(c.sql.deleteExpiredRecord, { id, cutoff });
        for (const table of owned) c.statement(table.deleteRecord).run(id);
      }
      return ids.length;
    });
  }

  async expire(cutoffKey: string, batchSize = DEFAULT_EXPIRE_BATCH): Promise<number> {
    let removed = 0;
    for (;;) {
      const batch = await this.c.retry(() => this.expireBatch(cutoffKey, batchSize));
      removed += batch;
      if (batch < batchSize) return removed;
      // Between batches the event loop serves whatever requests are waiting.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /**
   * Folds the write-ahead log back into the database and refreshes planner statistics (after a bulk import). Upkeep
   * only: what another process holds locked is skipped (the checkpoint then stops where readers still are), and a
   * later run or the last close does it.
   */
  async optimize(): Promise<void> {
    this.c.unlessBusy(() => this.c.db.pragma('wal_checkpoint(TRUNCATE)'));
    this.c.unlessBusy(() => this.c.db.pragma('optimize'));
  }
}
