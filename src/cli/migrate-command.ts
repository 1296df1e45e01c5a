import { openDatabase, type DatabaseOptions } from './open-database.js';

/** The options of `callrecords migrate`. */
export type MigrateOptions = DatabaseOptions;

/**
 * Opens the database, which brings its schema up to date (idempotent; on PostgreSQL under an advisory lock, so it may
 * run while instances start), reports how many records it holds, and closes it.
 */
export async function migrateCommand(
  opts: MigrateOptions,
  out: NodeJS.WritableStream = process.stdout,
): Promise<number> {
  const store = await openDatabase(opts, { mustExist: true });
  try {
    const health = await store.health();
    out.write(`callrecords: the ${health.kind} database is up to date (${health.records} records)\n`);
  } finally {
    await store.close();
  }
  return 0;
}
