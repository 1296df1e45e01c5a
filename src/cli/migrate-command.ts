import { openDatabaseOption, type DatabaseOptions } from './database-options.js';

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
  const database = await openDatabaseOption(opts, { mustExist: true });
  try {
    const health = await database.meta.health();
    out.write(`callrecords: the ${health.kind} database is up to date (${health.records} records)\n`);
  } finally {
    await database.close();
  }
  return 0;
}
