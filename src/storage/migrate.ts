import { Migrator, type Kysely } from 'kysely';
import { migrationProvider } from './migrations/index.js';

/**
 * Brings the schema up to date; throws with the failing migration's name if one fails. Idempotent. On PostgreSQL
 * Kysely holds an advisory lock while it migrates, so instances starting together migrate once, one after the other;
 * `schema` names where the migration bookkeeping lives (the store's own schema).
 */
export async function migrateToLatest(db: Kysely<unknown>, schema?: string): Promise<void> {
  const { error, results } = await migrator(db, schema).migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`database migration ${failed} failed: ${String(error)}`, { cause: error });
  }
}

/** Whether a migration has yet to run. Reads only (nothing is created), so it needs no lock. */
export async function migrationsPending(db: Kysely<unknown>, schema?: string): Promise<boolean> {
  const migrations = await migrator(db, schema).getMigrations();
  return migrations.some((m) => m.executedAt === undefined);
}

function migrator(db: Kysely<unknown>, schema: string | undefined): Migrator {
  return new Migrator({ db, provider: migrationProvider, migrationTableSchema: schema });
}
