import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { DEFAULT_LOCK_TIMEOUT_MS, isBusy, retryWhileBusy } from './busy-retry.js';
import { openSqliteFile } from './sqlite-file.js';
import type { Database } from '../sql/schema.js';
import { SQLITE_SQL } from '../sql/dialect-sql.js';
import { ListQueryBuilder, type ListStatement } from '../sql/list-query.js';
import { buildStatements, type Statements } from '../sql/statements.js';
import type { SqlTemplate } from '../sql/template.js';

/** How a SQLite database is opened. */
export interface SqliteOpenOptions {
  /** How long, in all, to wait for another process that holds the database before giving up (default 30 s). */
  lockTimeoutMs?: number | undefined;
}

/**
 * One SQLite file (or `:memory:`) through better-sqlite3, shared by the role classes of the SQLite backend: the
 * compiled statements (prepared once each), read snapshots, and the retry while another process holds the file.
 *
 * Several processes may use one file (a server, an import, an export, a migrate): every operation that finds the
 * database locked by another is tried again, without blocking the event loop, until the lock timeout
 * (busy-retry.ts), then fails with `serviceNotAvailable`. Writes take the write lock when they begin (`BEGIN
 * IMMEDIATE`, `immediate`): a transaction that read first and then wrote would fail at once if another process
 * committed between.
 */
export class SqliteConnection {
  private readonly prepared = new Map<string, BetterSqlite3.Statement>();
  private readonly snapshot: <T>(read: () => T) => T;

  private constructor(
    readonly db: BetterSqlite3.Database,
    private readonly kysely: Kysely<Database>,
    readonly sql: Statements,
    readonly listQueries: ListQueryBuilder,
    private readonly lockTimeoutMs: number,
  ) {
    // A read of several statements in one transaction sees one snapshot, even with another process writing.
    const inTransaction = db.transaction((read: () => unknown) => read());
    this.snapshot = <T>(read: () => T): T => inTransaction(read) as T;
  }

  /**
   * Opens (creating if needed) the database at `path` and migrates it. `:memory:` gives a private in-memory database.
   * Another process opening or writing the same file at the same moment is waited for, up to the lock timeout.
   */
  static async open(path: string, options: SqliteOpenOptions = {}): Promise<SqliteConnection> {
    const lockTimeoutMs = options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
    const { db, kysely } = await openSqliteFile(path, lockTimeoutMs);
    const statements = buildStatements(kysely, SQLITE_SQL);
    return new SqliteConnection(db, kysely, statements, new ListQueryBuilder(kysely, SQLITE_SQL), lockTimeoutMs);
  }

  /** A function that runs `work` in one write transaction, taking the write lock when it begins. */
  writeTransaction<A extends unknown[], T>(work: (...args: A) => T): (...args: A) => T {
    return this.db.transaction(work).immediate;
  }

  /** Runs an operation (one statement, or one transaction) again while another process holds the database. */
  retry<T>(operation: () => T): Promise<T> {
    return retryWhileBusy(operation, this.lockTimeoutMs);
  }

  /** Reads with several statements from one snapshot, tried again while the database is locked. */
  inSnapshot<T>(read: () => T): Promise<T> {
    return this.retry(() => this.snapshot(read));
  }

  /** Runs upkeep that may be skipped: what another process holds locked is left for a later run. */
  unlessBusy(upkeep: () => unknown): void {
    try {
      upkeep();
    } catch (error) {
      if (!isBusy(error)) throw error;
    }
  }

  /** The prepared statement of an SQL text, prepared on first use. */
  statement(sql: string): BetterSqlite3.Statement {
    let stmt = this.prepared.get(sql);
    if (stmt === undefined) {
      stmt = this.db.prepare(sql);
      this.prepared.set(sql, stmt);
    }
    return stmt;
  }

  // Where better-sqlite3's rows get the type their compiled statement carries: SQLite returns the columns as the
  // statements declare them (integers as numbers, the JSON as `StoredJson`; see sql/rows.ts).

  /** The first row of a compiled statement, typed by it. */
  get<P, O>(template: SqlTemplate<P, O>, values: P): O | undefined {
    return this.statement(template.sql).get(...template.bind(values)) as O | undefined;
  }

  /** Every row of a compiled statement, typed by it. */
  all<P, O>(template: SqlTemplate<P, O>, values: P): O[] {
    return this.statement(template.sql).all(...template.bind(values)) as O[];
  }

  /** Every row of a list or count statement, typed by it. */
  rows<O>(statement: ListStatement<O>): O[] {
    return this.statement(statement.sql).all(...statement.parameters) as O[];
  }

  /** Runs a compiled statement that returns no rows. */
  run<P>(template: SqlTemplate<P>, values: P): void {
    this.statement(template.sql).run(...template.bind(values));
  }

  /** Refreshes the planner's statistics (what another process holds is skipped) and closes the file; idempotent. */
  async close(): Promise<void> {
    if (!this.db.open) return;
    this.unlessBusy(() => this.db.pragma('optimize'));
    await this.kysely.destroy();
    if (this.db.open) this.db.close();
  }
}
