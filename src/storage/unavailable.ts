/**
 * Which driver errors mean the database cannot be reached right now — as opposed to a bug or a refused statement —
 * so that the HTTP layer can answer them `serviceNotAvailable` (503, retry later) instead of 500. The knowledge of
 * driver error codes stays here, beside the drivers; the store itself still throws what the driver threw.
 */

// Node's socket errors on the way to a PostgreSQL server (connect, or a connection cut mid-query).
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

// PostgreSQL SQLSTATEs (https://www.postgresql.org/docs/current/errcodes-appendix.html): class 08 connection
// exceptions, and the server shutting down or starting (57P01 admin_shutdown — pg_terminate_backend —, 57P02
// crash_shutdown, 57P03 cannot_connect_now), and too many connections (53300).
const POSTGRES_STATES = /^(08[0-9A-Z]{3}|57P0[123]|53300)$/;

// SQLite result codes (https://www.sqlite.org/rescode.html) that mean the file is gone or cannot be read or written:
// I/O errors (SQLITE_IOERR and its extended codes), a file that cannot be opened, a file moved or deleted under an open
// connection. A busy file is handled by busy-retry.ts; a corrupt one is not a passing condition.
const SQLITE_CODES = /^SQLITE_(IOERR.*|CANTOPEN.*|READONLY_DBMOVED)$/;

// pg's own errors for a connection that broke, which carry no code.
const PG_MESSAGES =
  /^(Connection terminated|Client has encountered a connection error|Client was closed and is not queryable|timeout exceeded when trying to connect)/;

/** Whether `error` (or its cause, or one of an AggregateError's errors) says the database is unreachable for now. */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 4) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (SOCKET_CODES.has(code) || POSTGRES_STATES.test(code) || SQLITE_CODES.test(code)) return true;
  }
  if (PG_MESSAGES.test(error.message)) return true;
  if (error instanceof AggregateError && error.errors.some((e) => isDatabaseUnavailable(e, depth + 1))) return true;
  return isDatabaseUnavailable(error.cause, depth + 1);
}
