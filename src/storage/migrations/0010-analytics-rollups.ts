import { PostgresAdapter, sql, type Kysely } from 'kysely';
import { PLACE_AND_CLIENT_ROLLUPS as ROLLUPS } from '../sql/analytics-columns.js';
import { rollupDdl, rollupRebuild, SQLITE_DIRTY_DDL, SQLITE_DIRTY_TRIGGERS } from '../sql/rollup-ddl.js';

/**
 * The rollup tables of the analytics query API (docs/analytics.md, "How queries are answered"): per day and a few
 * dimensions, the counts and sums of the per-stream table (`streams`, 0008), kept equal to it by triggers on every
 * insert, update and delete (on SQLite the triggers mark the changed days, which the analytics role recomputes
 * before it reads a rollup), and filled from the rows already there.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const dialect = db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
  for (const spec of ROLLUPS) {
    for (const statement of [...rollupDdl(spec, dialect), ...rollupRebuild(spec, dialect)]) {
      await sql.raw(statement).execute(db);
    }
  }
  if (dialect === 'sqlite') for (const statement of SQLITE_DIRTY_DDL) await sql.raw(statement).execute(db);
}

/** Drops the rollups with their triggers (and, on PostgreSQL, their trigger functions). */
export async function down(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  if (!postgres) {
    for (const trigger of SQLITE_DIRTY_TRIGGERS) await sql.raw(`drop trigger ${trigger}`).execute(db);
    await sql`drop table stream_rollup_dirty`.execute(db);
  }
  for (const spec of ROLLUPS) {
    if (postgres) {
      for (const event of ['insert', 'update', 'delete']) {
        await sql.raw(`drop trigger ${spec.table}_${event} on streams`).execute(db);
      }
      for (const fn of ['added', 'removed', 'changed']) {
        await sql.raw(`drop function ${spec.table}_${fn}()`).execute(db);
      }
    }
    await sql.raw(`drop table ${spec.table}`).execute(db);
  }
}
