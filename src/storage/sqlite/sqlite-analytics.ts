import type { AnalyticsQuery, AnalyticsTable } from '../../analytics/query/model.js';
import type { AnalyticsStore } from '../roles.js';
import { ROLLUPS } from '../sql/analytics-columns.js';
import { analyticsTable, type RawRow } from '../sql/analytics-result.js';
import { planAnalytics, type CompiledSql } from '../sql/analytics-sql.js';
import { rollupRebuild } from '../sql/rollup-ddl.js';
import type { SqliteConnection } from './sqlite-connection.js';

/** The analytics role on SQLite: each query's statements on one snapshot, prepared per query (they vary). */
export class SqliteAnalytics implements AnalyticsStore {
  constructor(private readonly c: SqliteConnection) {}

  async aggregate(query: AnalyticsQuery): Promise<AnalyticsTable> {
    const plan = planAnalytics(query, 'sqlite');
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
    });
    await this.c.retry(rebuild);
  }
}
