import { forgetRollupMonth } from './postgres-analytics.js';
import { HEAD_TABLE, OWNED_TABLES } from '../record-tables.js';
import type { Statements } from '../sql/statements.js';
import { lockRecords, withMonthLocked } from './advisory-locks.js';
import { nextMonth, type MonthlyPartitions } from './partitions.js';
import type { PgQueries } from './pg-queries.js';

/**
 * Retention on PostgreSQL: drops each whole month whose records have all expired (partitions detached concurrently:
 * reads go on), then removes the remaining expired records in batches, each a short transaction holding the records'
 * locks. Resolves to the number of records removed.
 */
export async function expireRecords(
  db: PgQueries,
  sql: Statements,
  partitions: MonthlyPartitions,
  cutoffKey: string,
  batchSize: number,
): Promise<number> {
  let removed = 0;
  for (const month of await partitions.months()) {
    if (nextMonth(month) > cutoffKey) break;
    removed += await dropMonthIfExpired(db, partitions, month, cutoffKey);
  }
  for (;;) {
    const { selected, deleted } = await db.transaction(async (client) => {
      const ids = (await db.all(client, sql.expiredBatch, { cutoff: cutoffKey, limit: batchSize })).map((r) => r.id);
      if (ids.length === 0) return { selected: 0, deleted: 0 };
      await lockRecords(client, ids);
      // Re-checked under the lock: a newer version may have moved the record's end past the cutoff.
      const gone = await client.query<{ id: string }>(
        `delete from ${HEAD_TABLE.name} where ${HEAD_TABLE.idColumn} = any($1::text[]) and end_key < $2 returning id`,
        [ids, cutoffKey],
      );
      const goneIds = gone.rows.map((r) => r.id);
      for (const table of OWNED_TABLES) {
        await client.query(`delete from ${table.name} where ${table.idColumn} = any($1::text[])`, [goneIds]);
      }
      return { selected: ids.length, deleted: goneIds.length };
    });
    removed += deleted;
    if (selected < batchSize) return removed;
  }
}

/**
 * Drops a month when none of its records ends at or after the cutoff. Every row of a record lives in the month of its
 * current start (writeBatch moves history along), so the month's partitions hold only those records. The month's
 * lock, taken alone here and shared by writers, keeps a late record from landing in it meanwhile.
 */
async function dropMonthIfExpired(
  db: PgQueries,
  partitions: MonthlyPartitions,
  month: string,
  cutoffKey: string,
): Promise<number> {
  const client = await db.pool.connect();
  try {
    return await withMonthLocked(client, month, async () => {
      const { rows } = await client.query<{ n: number; live: number }>(
        `select count(*) as n, count(*) filter (where end_key >= $1) as live from ${partitions.recordsPartition(month)}`,
        [cutoffKey],
      );
      if (Number(rows[0]!.live) > 0) return 0;
      await partitions.drop(month, client);
      await forgetRollupMonth(client, month);
      return Number(rows[0]!.n);
    });
  } finally {
    client.release();
  }
}
