import { PostgresAdapter, sql, type Kysely } from 'kysely';
import { ROLLUPS } from '../sql/analytics-columns.js';
import { rollupDdl, rollupRebuild } from '../sql/rollup-ddl.js';

/**
 * The rollup tables of the analytics query API (docs/analytics.md, "How queries are answered"): per day and a few
 * dimensions, the counts and sums of the per-stream table (`streams`, 0008), kept equal to it by triggers on every
 * insert, update and delete, and filled from the rows already there.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const dialect = db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
  for (const spec of ROLLUPS) {
    for (const statement of [...rollupDdl(spec, dialect), ...rollupRebuild(spec, dialect)]) {
      await sql.raw(statement).execute(db);
    }
  }
}

/** Drops the rollups with their triggers (and, on PostgreSQL, their trigger functions). */
export async function down(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  for (const spec of ROLLUPS) {
    for (const event of ['insert', 'update', 'delete']) {
      const trigger = `${spec.table}_${event}`;
      await sql.raw(postgres ? `drop trigger ${trigger} on streams` : `drop trigger ${trigger}`).execute(db);
    }
    if (postgres) {
      for (const fn of ['added', 'removed', 'changed'])
        await sql.raw(`drop function ${spec.table}_${fn}()`).execute(db);
    }
    await sql.raw(`drop table ${spec.table}`).execute(db);
  }
}
