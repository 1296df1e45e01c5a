import { CliError } from './cli-error.js';
import { databaseUrl, expandHome } from './config-values.js';

/** The options of `callrecords backup`. */
export interface BackupOptions {
  db: string;
}

/**
 * Copies the SQLite database named by `--db` into `file` with SQLite's online backup API, safe while a server is
 * serving and ingesting into it (src/storage/sqlite/sqlite-backup.ts), and reports the size. A PostgreSQL database is
 * refused: pg_dump backs it up (docs/operations.md).
 */
export async function backupCommand(
  file: string,
  opts: BackupOptions,
  out: NodeJS.WritableStream = process.stdout,
): Promise<number> {
  if (opts.db.startsWith('postgres://') || opts.db.startsWith('postgresql://')) {
    throw new CliError(
      'backup copies SQLite databases only; back up PostgreSQL with pg_dump (docs/operations.md, "PostgreSQL")',
    );
  }
  if (!opts.db.startsWith('sqlite:')) throw new CliError(`backup: '${opts.db}' is not a sqlite:<path> URL`);
  const from = databaseUrl(opts.db).slice('sqlite:'.length);
  if (from === '' || from === ':memory:') throw new CliError('backup: an in-memory database has nothing to copy');
  const to = expandHome(file, 'backup');
  const { backupSqlite } = await import('../storage/sqlite/sqlite-backup.js');
  let pages: number;
  try {
    pages = await backupSqlite(from, to);
  } catch (error) {
    throw new CliError(`backup of ${from} failed: ${(error as Error).message}`, 1);
  }
  out.write(`callrecords: backed up ${from} to ${to} (${pages} pages)\n`);
  return 0;
}
