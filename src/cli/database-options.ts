import { AppError } from '../errors.js';
import { openDatabase } from '../storage/open-database.js';
import type { CallRecordDatabase } from '../storage/roles.js';
import { databaseUrl } from './config-values.js';
import { wholeNumber } from './whole-number.js';

/** The options every command that opens the database takes: `--db` and `--lock-timeout`. */
export interface DatabaseOptions {
  db: string;
  /** Seconds (commander hands over the text; the option table gives the default). */
  lockTimeout?: string;
}

/**
 * The exit status of a command that gave up waiting for the database (another process held it too long): 75, "try
 * again later" (EX_TEMPFAIL in sysexits.h), so a script can tell it from a usage error (2) or rejected records (1).
 */
export const EXIT_TRY_AGAIN = 75;

/**
 * Opens the database `--db` names through `openDatabase` (`~` expanded; with `mustExist`, a SQLite file that is not
 * there is refused rather than created), waiting up to `--lock-timeout` for another process that holds a SQLite file.
 */
export function openDatabaseOption(
  opts: DatabaseOptions,
  options: { mustExist?: boolean } = {},
): Promise<CallRecordDatabase> {
  const seconds = opts.lockTimeout === undefined ? undefined : wholeNumber(opts.lockTimeout, '--lock-timeout');
  return openDatabase(databaseUrl(opts.db, options), {
    lockTimeoutMs: seconds === undefined ? undefined : seconds * 1000,
  });
}

/** Whether an error means the database was busy or unreachable for now, so that running again may succeed. */
export function isTemporary(error: unknown): boolean {
  return error instanceof AppError && error.code === 'serviceNotAvailable';
}
