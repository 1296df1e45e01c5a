import type { AnalyticsQuery, AnalyticsTable } from '../../analytics/query/model.js';
import type { AnalyticsStore } from '../roles.js';
import { ROLLUPS } from '../sql/analytics-columns.js';
import { analyticsTable, type RawRow } from '../sql/analytics-result.js';
import { planAnalytics, type CompiledSql } from '../sql/analytics-sql.js';
import { rollupRebuild, rollupRefreshDay } from '../sql/rollup-ddl.js';
import type { SqliteConnection } from './sqlite-connection.js';

/** The analytics role on SQLite: each query's statements on one snapshot, prepared per query (they vary). */
export class SqliteAnalytics implements AnalyticsStore {
  constructor(private readonly c: SqliteConnection) {}

  async aggregate(query: AnalyticsQuery): Promise<AnalyticsTable> {
    const plan = planAnalytics(query, 'sqlite');
    if (plan.source !== 'streams') await this.refreshDirtyDays();
    const run = (statement: CompiledSql) => this.c.db.prepare(statement.sql).all(...statement.parameters) as RawRow[];
    return this.c.inSnapshot(() =>
      analyticsTable(
        query,
        plan,
        run(plan.main),
        plan.percentiles.map((p) => run(p.statement)),
      ),
    );
  }

  async rebuildRollups(): Promise<void> {
    const rebuild = this.c.writeTransaction(() => {
      for (const spec of ROLLUPS) for (const statement of rollupRebuild(spec, 'sqlite')) this.c.db.exec(statement);
      this.c.db.exec('delete from stream_rollup_dirty');
    });
    await this.c.retry(rebuild);
  }

  /**
   * Recomputes the days the triggers marked (streams written, replaced or removed since the last read) in every
   * rollup, in one write transaction, so the rollup read next equals the stream table.
   */
  private async refreshDirtyDays(): Promise<void> {
    const dirty = this.c.statement('select day from stream_rollup_dirty');
    if (dirty.get() === undefined) return;
    const refresh = this.c.writeTransaction(() => {
      const days = (dirty.all() as { day: string }[]).map((r) => r.day);
      for (const spec of ROLLUPS) {
        const [clear, fill] = rollupRefreshDay(spec).map((sql) => this.c.statement(sql));
        for (const day of days) {
          clear!.run(day);
          fill!.run(day, nextDay(day));
        }
      }
      this.c.statement('delete from stream_rollup_dirty').run();
    });
    await this.c.retry(refresh);
  }
}

/** The start key that follows every start key of `day` (a start key begins with its yyyy-mm-dd, then `T`). */
function nextDay(day: string): string {
  return `${day}U`;
}
