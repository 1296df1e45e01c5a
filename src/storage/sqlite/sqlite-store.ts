import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { decompressJson } from '../compression.js';
import { CURRENT_TABLES, HISTORY_TABLES, OWNED_TABLES, type RowContext } from '../record-tables.js';
import { sqliteTableSql, type SqliteTableSql } from './record-table-sql.js';
import { DEFAULT_LOCK_TIMEOUT_MS, isBusy, retryWhileBusy } from './busy-retry.js';
import { openSqliteFile } from './sqlite-file.js';
import type { Database } from '../sql/schema.js';
import { SQLITE_SQL } from '../sql/dialect-sql.js';
import { ListQueryBuilder, type ListStatement } from '../sql/list-query.js';
import { buildStatements, type Statements } from '../sql/statements.js';
import {
  exportValues,
  exportVersionValues,
  toExportedRecord,
  toExportedVersion,
  toHead,
  toParticipant,
  toSession,
  mapped,
  toListedRecord,
  toPartialRecord,
  toRecordEnd,
  toVersionInfo,
} from '../sql/rows.js';
import type { SqlTemplate } from '../sql/template.js';
import { decideWrite, toCurrentHead } from '../write-decision.js';
import type { HistoryStore, MetaStore, RecordStore, UpkeepStore } from '../roles.js';
import type {
  Collection,
  PageRequest,
  RecordRead,
  ExportRange,
  ExportedRecord,
  ExportedVersion,
  ListedRecord,
  PartialRecord,
  PartialRecordQuery,
  RecordFilterQuery,
  RecordHead,
  RecordQuery,
  RecordWrite,
  StoreHealth,
  StoredItem,
  VersionCursor,
  VersionInfo,
  WriteResult,
} from '../store.js';
import { DEFAULT_EXPIRE_BATCH } from '../store.js';

/** How a SQLite store is opened. */
export interface SqliteOpenOptions {
  /** How long, in all, to wait for another process that holds the database before giving up (default 30 s). */
  lockTimeoutMs?: number | undefined;
}

/**
 * The embedded store: one SQLite file (or `:memory:`) through better-sqlite3. Statements come from the shared
 * Kysely definitions and run as prepared statements; a batch of records is written in one transaction.
 *
 * Several processes may use one file (a server, an import, an export, a migrate): every operation that finds the
 * database locked by another is tried again, without blocking the event loop, until the lock timeout
 * (busy-retry.ts), then fails with `serviceNotAvailable`. Writes take the write lock when they begin (`BEGIN
 * IMMEDIATE`): a transaction that read first and then wrote would fail at once if another process committed between.
 */
export class SqliteStore implements RecordStore, HistoryStore, MetaStore, UpkeepStore {
  readonly kind = 'sqlite';
  private readonly prepared = new Map<string, BetterSqlite3.Statement>();
  private readonly writeBatch: (records: readonly RecordWrite[], receivedAt: string) => WriteResult[];
  private readonly snapshot: <T>(read: () => T) => T;
  private readonly expireBatch: (cutoff: string, limit: number) => number;
  private readonly current = CURRENT_TABLES.map(sqliteTableSql);
  private readonly history = HISTORY_TABLES.map(sqliteTableSql);
  private readonly owned = OWNED_TABLES.map(sqliteTableSql);

  private constructor(
    private readonly db: BetterSqlite3.Database,
    private readonly kysely: Kysely<Database>,
    private readonly sql: Statements,
    private readonly listQueries: ListQueryBuilder,
    private readonly lockTimeoutMs: number,
  ) {
    this.writeBatch = db.transaction((records: readonly RecordWrite[], receivedAt: string) =>
      records.map((record) => this.writeOne(record, receivedAt)),
    ).immediate;
    // A read of several statements in one transaction sees one snapshot, even with another process writing.
    this.expireBatch = db.transaction((cutoff: string, limit: number) => {
      const ids = this.all(this.sql.expiredBatch, { cutoff, limit }).map((r) => r.id);
      for (const id of ids) {
        this.run(this.sql.deleteExpiredRecord, { id, cutoff });
        for (const table of this.owned) this.statement(table.deleteRecord).run(id);
      }
      return ids.length;
    }).immediate;
    const inTransaction = db.transaction((read: () => unknown) => read());
    this.snapshot = <T>(read: () => T): T => inTransaction(read) as T;
  }

  /**
   * Opens (creating if needed) the database at `path` and migrates it. `:memory:` gives a private in-memory store.
   * Another process opening or writing the same file at the same moment is waited for, up to the lock timeout.
   */
  static async open(path: string, options: SqliteOpenOptions = {}): Promise<SqliteStore> {
    const lockTimeoutMs = options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
    const { db, kysely } = await openSqliteFile(path, lockTimeoutMs);
    const statements = buildStatements(kysely, SQLITE_SQL);
    return new SqliteStore(db, kysely, statements, new ListQueryBuilder(kysely, SQLITE_SQL), lockTimeoutMs);
  }

  async write(records: readonly RecordWrite[], receivedAt: string): Promise<WriteResult[]> {
    return this.retry(() => this.writeBatch(records, receivedAt));
  }

  async readRecord(id: string, page?: PageRequest): Promise<RecordRead | undefined> {
    return this.inSnapshot(() => {
      const row = this.get(this.sql.getRecord, { id });
      if (row === undefined) return undefined;
      const read: RecordRead = { ...toHead(row), json: row.record_json };
      if (page !== undefined) read.items = this.pageItems(id, page);
      return read;
    });
  }

  async readPage(id: string, page: PageRequest): Promise<{ head: RecordHead; items: StoredItem[] } | undefined> {
    return this.inSnapshot(() => {
      const head = this.get(this.sql.recordHead, { id });
      return head && { head: toHead(head), items: this.pageItems(id, page) };
    });
  }

  async readItem(
    id: string,
    collection: Collection,
    itemId: string,
  ): Promise<{ head: RecordHead; item: StoredItem | undefined } | undefined> {
    return this.inSnapshot(() => {
      const head = this.get(this.sql.recordHead, { id });
      if (head === undefined) return undefined;
      const item =
        collection === 'sessions'
          ? mapped(this.get(this.sql.sessionById, { id, sessionId: itemId }), toSession)
          : mapped(this.get(this.sql.participantById, { id, participantId: itemId }), toParticipant);
      return { head: toHead(head), item };
    });
  }

  async listRecords(query: RecordQuery): Promise<ListedRecord[]> {
    const rows = await this.retry(() => this.rows(this.listQueries.list(query)));
    return rows.map(toListedRecord);
  }

  async countRecords(filter: RecordFilterQuery): Promise<number> {
    return this.retry(() => this.rows(this.listQueries.count(filter))[0]!.n);
  }

  async listPartialRecords(query: PartialRecordQuery): Promise<PartialRecord[]> {
    return this.retry(() =>
      this.all(this.sql.partialPage, { after: query.after ?? '', limit: query.limit }).map(toPartialRecord),
    );
  }

  async listVersions(id: string): Promise<VersionInfo[]> {
    return this.inSnapshot(() => {
      const current = this.get(this.sql.currentHead, { id });
      return this.all(this.sql.listVersions, { id }).map((r) => toVersionInfo(r, current?.content_hash));
    });
  }

  async getVersion(id: string, version: number): Promise<string | undefined> {
    const stored = await this.retry(() => this.get(this.sql.getVersion, { id, version })?.raw_brotli);
    return stored === undefined ? undefined : decompressJson(stored);
  }

  async exportRecords(
    range: ExportRange,
    after: { startKey: string; id: string } | undefined,
    limit: number,
  ): Promise<ExportedRecord[]> {
    const rows = await this.retry(() => this.all(this.sql.exportPage, exportValues(range, after, limit)));
    return rows.map(toExportedRecord);
  }

  async exportVersions(
    range: ExportRange,
    after: VersionCursor | undefined,
    limit: number,
  ): Promise<ExportedVersion[]> {
    return this.all(this.sql.exportVersionsPage, exportVersionValues(range, after, limit)).map(toExportedVersion);
  }

  async sharedSecret(key: string, create: () => string): Promise<string> {
    return this.retry(() => {
      const existing = this.get(this.sql.getMeta, { key });
      if (existing) return existing.value;
      this.run(this.sql.putMetaIfAbsent, { key, value: create() });
      return this.get(this.sql.getMeta, { key })!.value;
    });
  }

  async health(): Promise<StoreHealth> {
    return this.inSnapshot(() => ({
      kind: this.kind,
      records: this.rows(this.listQueries.count({ start: [] }))[0]!.n,
      partial: this.get(this.sql.partialCount, {})!.n,
      oldest: toRecordEnd(this.get(this.sql.oldestRecord, {})),
      newest: toRecordEnd(this.get(this.sql.newestRecord, {})),
    }));
  }

  async expire(cutoffKey: string, batchSize = DEFAULT_EXPIRE_BATCH): Promise<number> {
    let removed = 0;
    for (;;) {
      const batch = await this.retry(() => this.expireBatch(cutoffKey, batchSize));
      removed += batch;
      if (batch < batchSize) return removed;
      // Between batches the event loop serves whatever requests are waiting.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /**
   * Folds the write-ahead log back into the database and refreshes planner statistics (after a bulk import). Upkeep
   * only: what another process holds locked is skipped (the checkpoint then stops where readers still are), and a
   * later run or the last close does it.
   */
  async optimize(): Promise<void> {
    this.unlessBusy(() => this.db.pragma('wal_checkpoint(TRUNCATE)'));
    this.unlessBusy(() => this.db.pragma('optimize'));
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    this.unlessBusy(() => this.db.pragma('optimize'));
    await this.kysely.destroy();
    if (this.db.open) this.db.close();
  }

  /** The query plan SQLite would use for a list query (tests assert that filters use an index). */
  explainList(query: RecordQuery): string[] {
    const { sql, parameters } = this.listQueries.list(query);
    const rows = this.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...parameters) as { detail: string }[];
    return rows.map((r) => r.detail);
  }

  /** Runs an operation (one statement, or one transaction) again while another process holds the database. */
  private retry<T>(operation: () => T): Promise<T> {
    return retryWhileBusy(operation, this.lockTimeoutMs);
  }

  /** Reads with several statements from one snapshot, tried again while the database is locked. */
  private inSnapshot<T>(read: () => T): Promise<T> {
    return this.retry(() => this.snapshot(read));
  }

  private unlessBusy(upkeep: () => unknown): void {
    try {
      upkeep();
    } catch (error) {
      if (!isBusy(error)) throw error;
    }
  }

  private pageItems(id: string, page: PageRequest): StoredItem[] {
    const values = { id, from: page.fromOrdinal, limit: page.limit };
    return page.collection === 'sessions'
      ? this.all(this.sql.sessionsPage, values).map(toSession)
      : this.all(this.sql.participantsPage, values).map(toParticipant);
  }

  private writeOne(record: RecordWrite, batchReceivedAt: string): WriteResult {
    const { id, contentHash: hash } = record;
    // A restored backup carries each version's own receive time.
    const context = { receivedAt: record.receivedAt ?? batchReceivedAt, startKey: record.startKey };
    const row = this.get(this.sql.currentHead, { id });
    const known = this.get(this.sql.versionExists, { id, hash }) !== undefined;
    const decision = decideWrite(record, row && toCurrentHead(row), known);
    if (decision.addToHistory) this.insertRows(this.history, record, context);
    if (decision.becomesCurrent) {
      // The current version's rows are replaced whole, in every table of the current version.
      if (row !== undefined) for (const table of this.current) this.statement(table.deleteRecord).run(id);
      this.insertRows(this.current, record, context);
    }
    return decision.result;
  }

  private insertRows(tables: readonly SqliteTableSql[], record: RecordWrite, context: RowContext): void {
    for (const table of tables) {
      const insert = this.statement(table.insert);
      for (const values of table.table.rows(record, context)) insert.run(...table.row(values));
    }
  }

  private statement(sql: string): BetterSqlite3.Statement {
    let stmt = this.prepared.get(sql);
    if (stmt === undefined) {
      stmt = this.db.prepare(sql);
      this.prepared.set(sql, stmt);
    }
    return stmt;
  }

  // Where better-sqlite3's rows get the type their compiled statement carries: SQLite returns the columns as the
  // statements declare them (integers as numbers, the JSON as `StoredJson`; see sql/rows.ts).
  private get<P, O>(template: SqlTemplate<P, O>, values: P): O | undefined {
    return this.statement(template.sql).get(...template.bind(values)) as O | undefined;
  }

  private all<P, O>(template: SqlTemplate<P, O>, values: P): O[] {
    return this.statement(template.sql).all(...template.bind(values)) as O[];
  }

  private rows<O>(statement: ListStatement<O>): O[] {
    return this.statement(statement.sql).all(...statement.parameters) as O[];
  }

  private run<P>(template: SqlTemplate<P>, values: P): void {
    this.statement(template.sql).run(...template.bind(values));
  }
}
