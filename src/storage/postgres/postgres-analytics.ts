import type pg from 'pg';
import type { AnalyticsQuery, AnalyticsTable } from '../../analytics/query/model.js';
import type { AnalyticsStore } from '../roles.js';
import { ROLLUPS } from '../sql/analytics-columns.js';
import { analyticsTable, type RawRow } from '../sql/analytics-result.js';
import { planAnalytics, type CompiledSql } from '../sql/analytics-sql.js';
import { rollupRebuild } from '../sql/rollup-ddl.js';

/**
 * The analytics role on PostgreSQL, over the store's pool (whose connections' search path is the store's schema).
 * A query with percentiles runs its statements in one read-only repeatable-read transaction, so they see one snapshot.
 * The statements are sent unnamed: they vary with each query, and a named one would stay prepared on its connection.
 */
export class PostgresAnalytics implements AnalyticsStore {
  constructor(private readonly pool: pg.Pool) {}

  async aggregate(query: AnalyticsQuery): Promise<AnalyticsTable> {
    const plan = planAnalytics(query, 'postgres');
    const run = async (on: pg.Pool | pg.PoolClient, statement: CompiledSql) =>
      (await on.query<RawRow>(statement.sql, [...statement.parameters])).rows;
    if (plan.percentiles.length === 0) return analyticsTable(query, plan, await run(this.pool, plan.main), []);
    const client = await this.pool.connect();
    try {
      await client.query('begin isolation level repeatable read read only');
      const main = await run(client, plan.main);
      const percentiles: RawRow[][] = [];
      for (const p of plan.percentiles) percentiles.push(await run(client, p.statement));
      await client.query('commit');
      return analyticsTable(query, plan, main, percentiles);
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async rebuildRollups(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('begin');
      for (const spec of ROLLUPS) {
        // Writers of the stream table wait meanwhile, so no change falls between the delete and the refill.
        await client.query(`lock table ${spec.table} in exclusive mode`);
        for (const statement of rollupRebuild(spec, 'postgres')) await client.query(statement);
      }
      await client.query('commit');
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

/**
 * Removes a month from the rollups after retention dropped its partitions (a dropped partition fires no delete
 * trigger). The rollups' day is the day of the call's start, as the month partitions' bound is.
 */
export async function forgetRollupMonth(on: pg.Pool | pg.PoolClient, month: string): Promise<void> {
  for (const spec of ROLLUPS) {
    await on.query(`delete from ${spec.table} where day >= $1 and day < $2`, [month, `${month}-99`]);
  }
}
