import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrateToLatest, migrationsPending } from '../migrate.js';
import type { Database } from '../sql/schema.js';
import { ATTEMPT_BUSY_TIMEOUT_MS, retryWhileBusy } from './busy-retry.js';

/**
 * Opens (creating if needed) the SQLite database at `path` with the store's settings and migrates it; `:memory:` is
 * a private in-memory database. Another process opening or writing the same file meanwhile is waited for, up to
 * `lockTimeoutMs`.
 */
export async function openSqliteFile(
  path: string,
  lockTimeoutMs: number,
): Promise<{ db: BetterSqlite3.Database; kysely: Kysely<Database> }> {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new BetterSqlite3(path);
  try {
    db.pragma(`busy_timeout = ${ATTEMPT_BUSY_TIMEOUT_MS}`);
    // Durable on commit with WAL (dependencies.md, trap 5); readers never block the writer.
    // 16 KB pages for a new database (before WAL, which fixes the page size; an existing file keeps its own): a
    // session's segments (often 5–20 KB of JSON) then span fewer overflow pages, which is most of a read's cost.
    await retryWhileBusy(() => {
      db.pragma('page_size = 16384');
      db.pragma('journal_mode = WAL');
    }, lockTimeoutMs);
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // Deleted content is overwritten with zeros, so a privacy purge leaves no copy in free pages (src/privacy/).
    db.pragma('secure_delete = ON');
    db.pragma('journal_size_limit = 67108864');
    const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: db }) });
    await retryWhileBusy(() => migrate(db, kysely as Kysely<unknown>), lockTimeoutMs);
    return { db, kysely };
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Runs the pending migrations in one transaction that holds the write lock. Kysely runs SQLite migrations statement by
 * statement (its SQLite adapter declares no transactional DDL), so two processes opening a new file at once would
 * both create the tables; under the lock the second finds them made. An up-to-date file is only read: an export or
 * a migrate beside a writing server does not wait for it.
 */
async function migrate(db: BetterSqlite3.Database, kysely: Kysely<unknown>): Promise<void> {
  if (!(await migrationsPending(kysely))) return;
  db.exec('BEGIN IMMEDIATE');
  try {
    await migrateToLatest(kysely);
    db.exec('COMMIT');
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
}
