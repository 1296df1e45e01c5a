import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { RollupSpec } from '../sql/analytics-columns.js';
import { rollupDdl, rollupRebuild } from '../sql/rollup-ddl.js';

/**
 * The rollup by day and call type (docs/analytics.md, "How queries are answered"), which besides the counts of
 * 0010's rollups counts calls, poor calls and failed segments, so that the overview's volume and failures per day need
 * not count distinct values over every stream of the period. Kept like 0010's rollups: PostgreSQL triggers over
 * transition tables; on SQLite, 0010's triggers mark changed days, which the analytics role recomputes in every
 * rollup.
 *
 * The spec is written out here, not read from ROLLUPS, so a later change to that list leaves this migration as it
 * is. The SQL comes from the generator (rollup-ddl.ts), which is safe because this migration creates the table, its
 * triggers and its contents from that one generator in one go, so they always agree with one another and depend on
 * nothing an earlier migration left: a later change to the generated SQL must drop and re-create the rollup in its
 * own migration (never alter it in place), and then a new database and an upgraded one both end with that change's
 * table.
 */
const DAY_ROLLUP_0013: RollupSpec = { table: 'stream_rollup_day', dimensions: ['callType'], callCounters: true };

function dialectOf(db: Kysely<unknown>): 'sqlite' | 'postgres' {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/** Creates the rollup (and its PostgreSQL triggers) and fills it from the stream rows already there. */
export async function up(db: Kysely<unknown>): Promise<void> {
  const dialect = dialectOf(db);
  for (const statement of [...rollupDdl(DAY_ROLLUP_0013, dialect), ...rollupRebuild(DAY_ROLLUP_0013, dialect)]) {
    await sql.raw(statement).execute(db);
  }
}

/** Drops the rollup with, on PostgreSQL, its triggers and their functions. */
export async function down(db: Kysely<unknown>): Promise<void> {
  const table = DAY_ROLLUP_0013.table;
  if (dialectOf(db) === 'postgres') {
    for (const event of ['insert', 'update', 'delete']) {
      await sql.raw(`drop trigger ${table}_${event} on streams`).execute(db);
    }
    for (const fn of ['added', 'removed', 'changed']) await sql.raw(`drop function ${table}_${fn}()`).execute(db);
  }
  await sql.raw(`drop table ${table}`).execute(db);
}
