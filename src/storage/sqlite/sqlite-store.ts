import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { compareVersions } from '../../domain/version-order.js';
import { compressJson, decompressJson } from '../compression.js';
import { migrateToLatest } from '../migrate.js';
import type { Database } from '../sql/schema.js';
import { SQLITE_SQL } from '../sql/dialect-sql.js';
import { ListQueryBuilder } from '../sql/list-query.js';
import { buildStatements, type Statements } from '../sql/statements.js';
import {
  exportValues,
  exportVersionValues,
  toExportedRecord,
  toExportedVersion,
  toHead,
  toItem,
  toListedRecord,
  toRecordEnd,
  toVersionInfo,
  type Row,
} from '../sql/rows.js';
import type { SqlTemplate } from '../sql/template.js';
import type {
  CallRecordStore,
  Collection,
  PageRequest,
  RecordRead,
  ExportRange,
  ExportedRecord,
  ExportedVersion,
  ListedRecord,
  RecordFilterQuery,
  RecordHead,
  RecordQuery,
  RecordWrite,
  StoreHealth,
  StoredItem,
  VersionCursor,
  VersionInfo,
  WriteResult,
  StoredJson,
} from '../store.js';
import { DEFAULT_EXPIRE_BATCH } from '../store.js';

/**
 * The embedded store: one SQLite file (or `:memory:`) through better-sqlite3. Statements come from the shared
 * Kysely definitions and run as prepared statements; a batch of records is written in one transaction.
 */
export class SqliteStore implements CallRecordStore {
  readonly kind = 'sqlite';
  private readonly prepared = new Map<string, BetterSqlite3.Statement>();
  private readonly writeBatch: (records: readonly RecordWrite[], receivedAt: string) => WriteResult[];
  private readonly snapshot: <T>(read: () => T) => T;
  private readonly expireBatch: (cutoff: string, limit: number) => number;

  private constructor(
    private readonly db: BetterSqlite3.Database,
    private readonly kysely: Kysely<Database>,
    private readonly sql: Statements,
    private readonly listQueries: ListQueryBuilder,
  ) {
    this.writeBatch = db.transaction((records: readonly RecordWrite[], receivedAt: string) =>
      records.map((record) => this.writeOne(record, receivedAt)),
    );
    // A read of several statements in one transaction sees one snapshot, even with another process writing.
    this.expireBatch = db.transaction((cutoff: string, limit: number) => {
      const ids = this.all(this.sql.expiredBatch, { cutoff, limit }).map((r) => r.id as string);
      for (const id of ids) {
        this.run(this.sql.deleteExpiredRecord, { id, cutoff });
        this.run(this.sql.deleteSessions, { id });
        this.run(this.sql.deleteParticipants, { id });
        this.run(this.sql.deleteVersions, { id });
      }
      return ids.length;
    });
    const inTransaction = db.transaction((read: () => unknown) => read());
    this.snapshot = <T>(read: () => T): T => inTransaction(read) as T;
  }

  /** Opens (creating if needed) the database at `path` and migrates it. `:memory:` gives a private in-memory store. */
  static async open(path: string): Promise<SqliteStore> {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const db = new BetterSqlite3(path);
    // Durable on commit with WAL (dependencies.md, trap 5); readers never block the writer.
    // 16 KB pages for a new database (before WAL, which fixes the page size; an existing file keeps its own): a
    // session's segments (often 5–20 KB of JSON) then span fewer overflow pages, which is most of a read's cost.
    db.pragma('page_size = 16384');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    db.pragma('journal_size_limit = 67108864');
    const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: db }) });
    await migrateToLatest(kysely as Kysely<unknown>);
    return new SqliteStore(db, kysely, buildStatements(kysely, SQLITE_SQL), new ListQueryBuilder(kysely, SQLITE_SQL));
  }

  async write(records: readonly RecordWrite[], receivedAt: string): Promise<WriteResult[]> {
    return this.writeBatch(records, receivedAt);
  }

  async readRecord(id: string, page?: PageRequest): Promise<RecordRead | undefined> {
    return this.snapshot(() => {
      const row = this.get(this.sql.getRecord, { id });
      if (row === undefined) return undefined;
      const read: RecordRead = { ...toHead(row), json: row.record_json as StoredJson };
      if (page !== undefined) read.items = this.pageItems(id, page);
      return read;
    });
  }

  async readPage(id: string, page: PageRequest): Promise<{ head: RecordHead; items: StoredItem[] } | undefined> {
    return this.snapshot(() => {
      const head = this.get(this.sql.recordHead, { id });
      return head && { head: toHead(head), items: this.pageItems(id, page) };
    });
  }

  async readItem(
    id: string,
    collection: Collection,
    itemId: string,
  ): Promise<{ head: RecordHead; item: StoredItem | undefined } | undefined> {
    return this.snapshot(() => {
      const head = this.get(this.sql.recordHead, { id });
      if (head === undefined) return undefined;
      const row =
        collection === 'sessions'
          ? this.get(this.sql.sessionById, { id, sessionId: itemId })
          : this.get(this.sql.participantById, { id, participantId: itemId });
      return { head: toHead(head), item: row && toItem(row) };
    });
  }

  async listRecords(query: RecordQuery): Promise<ListedRecord[]> {
    const { sql, parameters } = this.listQueries.list(query);
    const rows = this.statement(sql).all(...parameters) as Row[];
    return rows.map(toListedRecord);
  }

  async countRecords(filter: RecordFilterQuery): Promise<number> {
    const { sql, parameters } = this.listQueries.count(filter);
    return Number((this.statement(sql).get(...parameters) as Row).n);
  }

  async listVersions(id: string): Promise<VersionInfo[]> {
    const current = this.get(this.sql.currentHead, { id });
    return this.all(this.sql.listVersions, { id }).map((r) => toVersionInfo(r, current?.content_hash));
  }

  async getVersion(id: string, version: number): Promise<string | undefined> {
    const stored = this.get(this.sql.getVersion, { id, version })?.raw_brotli as Buffer | undefined;
    return stored && decompressJson(stored);
  }

  async exportRecords(
    range: ExportRange,
    after: { startKey: string; id: string } | undefined,
    limit: number,
  ): Promise<ExportedRecord[]> {
    const rows = this.all(this.sql.exportPage, exportValues(range, after, limit));
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
    const existing = this.get(this.sql.getMeta, { key });
    if (existing) return existing.value as string;
    this.run(this.sql.putMetaIfAbsent, { key, value: create() });
    return this.get(this.sql.getMeta, { key })!.value as string;
  }

  async health(): Promise<StoreHealth> {
    return this.snapshot(() => ({
      kind: this.kind,
      records: Number((this.statement(this.listQueries.count({ start: [] }).sql).get() as Row).n),
      oldest: toRecordEnd(this.get(this.sql.oldestRecord, {})),
      newest: toRecordEnd(this.get(this.sql.newestRecord, {})),
    }));
  }

  async expire(cutoffKey: string, batchSize = DEFAULT_EXPIRE_BATCH): Promise<number> {
    let removed = 0;
    for (;;) {
      const batch = this.expireBatch(cutoffKey, batchSize);
      removed += batch;
      if (batch < batchSize) return removed;
      // Between batches the event loop serves whatever requests are waiting.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** Folds the write-ahead log back into the database and refreshes planner statistics (after a bulk import). */
  async optimize(): Promise<void> {
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.pragma('optimize');
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    this.db.pragma('optimize');
    await this.kysely.destroy();
    if (this.db.open) this.db.close();
  }

  /** The query plan SQLite would use for a list query (tests assert that filters use an index). */
  explainList(query: RecordQuery): string[] {
    const { sql, parameters } = this.listQueries.list(query);
    const rows = this.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...parameters) as Row[];
    return rows.map((r) => String(r.detail));
  }

  private pageItems(id: string, page: PageRequest): StoredItem[] {
    const values = { id, from: page.fromOrdinal, limit: page.limit };
    const template = page.collection === 'sessions' ? this.sql.sessionsPage : this.sql.participantsPage;
    return this.all(template, values).map(toItem);
  }

  private writeOne(record: RecordWrite, batchReceivedAt: string): WriteResult {
    const { id, contentHash: hash } = record;
    // A restored backup carries each version's own receive time.
    const receivedAt = record.receivedAt ?? batchReceivedAt;
    const current = this.get(this.sql.currentHead, { id });
    if (this.get(this.sql.versionExists, { id, hash })) {
      return { status: 'unchanged', currentVersion: (current?.version as number | undefined) ?? record.version };
    }
    this.run(this.sql.insertVersion, {
      id,
      hash,
      version: record.version,
      lastModified: record.lastModified,
      receivedAt,
      rawBrotli: compressJson(record.rawJson),
    });
    if (current) {
      const order = compareVersions(record, {
        version: current.version as number,
        lastModifiedKey: current.last_modified_key as string,
        contentHash: current.content_hash as string,
      });
      if (order <= 0) return { status: order < 0 ? 'stale' : 'unchanged', currentVersion: current.version as number };
    }
    this.replaceCurrent(record, receivedAt, current !== undefined);
    return { status: current ? 'updated' : 'inserted', currentVersion: record.version };
  }

  private replaceCurrent(record: RecordWrite, receivedAt: string, hadCurrent: boolean): void {
    const { id } = record;
    this.run(this.sql.upsertRecord, {
      id,
      version: record.version,
      startKey: record.startKey,
      endKey: record.endKey,
      lastModifiedKey: record.lastModifiedKey,
      recordJson: record.recordJson,
      sessionCount: record.sessions.length,
      participantCount: record.participants.length,
      hash: record.contentHash,
      hasEvolvable: record.hasEvolvable ? 1 : 0,
      receivedAt,
    });
    if (hadCurrent) {
      this.run(this.sql.deleteSessions, { id });
      this.run(this.sql.deleteParticipants, { id });
    }
    record.sessions.forEach((s, ordinal) =>
      this.run(this.sql.insertSession, { id, ordinal, sessionId: s.id, json: s.json, segmentsJson: s.segmentsJson }),
    );
    record.participants.forEach((p, ordinal) =>
      this.run(this.sql.insertParticipant, {
        id,
        ordinal,
        participantId: p.id,
        startKey: record.startKey,
        json: p.json,
      }),
    );
  }

  private statement(sql: string): BetterSqlite3.Statement {
    let stmt = this.prepared.get(sql);
    if (stmt === undefined) {
      stmt = this.db.prepare(sql);
      this.prepared.set(sql, stmt);
    }
    return stmt;
  }

  private get<P>(template: SqlTemplate<P>, values: P): Row | undefined {
    return this.statement(template.sql).get(...template.bind(values)) as Row | undefined;
  }

  private all<P>(template: SqlTemplate<P>, values: P): Row[] {
    return this.statement(template.sql).all(...template.bind(values)) as Row[];
  }

  private run<P>(template: SqlTemplate<P>, values: P): void {
    this.statement(template.sql).run(...template.bind(values));
  }
}
