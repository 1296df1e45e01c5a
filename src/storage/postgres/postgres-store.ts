import { Kysely } from 'kysely';
import { PostgresSync } from './postgres-sync.js';
import { decompressJson } from '../compression.js';
import { migrateToLatest } from '../migrate.js';
import { POSTGRES_SQL } from '../sql/dialect-sql.js';
import { ListQueryBuilder } from '../sql/list-query.js';
import type { Database } from '../sql/schema.js';
import { buildStatements, type Statements } from '../sql/statements.js';
import {
  exportValues,
  exportVersionValues,
  toExportedRecord,
  toExportedVersion,
  toHead,
  mapped,
  toPageItem,
  toParticipant,
  toSession,
  toListedRecord,
  toPartialRecord,
  toRecordEnd,
  toVersionInfo,
} from '../sql/rows.js';
import type { HistoryStore, MetaStore, PrivacyStore, RecordStore, SyncStateStore, UpkeepStore } from '../roles.js';
import type {
  Collection,
  ExportRange,
  ExportedRecord,
  ExportedVersion,
  ListedRecord,
  PageRequest,
  PartialRecord,
  PartialRecordQuery,
  RecordFilterQuery,
  RecordHead,
  RecordQuery,
  RecordRead,
  RecordWrite,
  StoreHealth,
  StoredItem,
  VersionCursor,
  VersionInfo,
  WriteResult,
  StoredJson,
} from '../store.js';
import { DEFAULT_EXPIRE_BATCH } from '../store.js';
import { RECORD_TABLES } from '../record-tables.js';
import { writeBatch } from './batch-write.js';
import { createPool, parsePostgresUrl } from './connection.js';
import { expireRecords } from './expire-records.js';
import { MonthlyPartitions } from './partitions.js';
import { PgQueries } from './pg-queries.js';
import { PostgresKeys } from './postgres-keys.js';
import { PostgresPrivacy } from './postgres-privacy.js';
import { PostgresCallLogs } from './postgres-call-logs.js';
import { PostgresLogPrivacy } from './postgres-log-privacy.js';
import { PostgresAnalytics } from './postgres-analytics.js';
import { PostgresTelephonyAnalytics } from './postgres-telephony-analytics.js';
import { PostgresCallSearch } from './postgres-call-search.js';
import { PostgresStreams } from './postgres-streams.js';
import { PgSubscriptions } from './pg-subscriptions.js';
import { SchemaScopedPostgresDialect } from './schema-introspector.js';

const UNIQUE_VIOLATION = '23505';
const DUPLICATE_SCHEMA = '42P06';

/**
 * The production store: PostgreSQL through pg. Reads run the statements shared with SQLite (sql/statements.ts,
 * sql/list-query.ts) as named prepared statements (pg-queries.ts); writes go around the query builder
 * (batch-write.ts: one transaction per batch under advisory locks, versions decided in memory, rows sent with COPY);
 * retention drops whole monthly partitions (expire-records.ts).
 */
export class PostgresStore implements RecordStore, HistoryStore, MetaStore, UpkeepStore {
  readonly kind = 'postgres';
  /** The keys and audit roles, on the same pool (postgres-keys.ts). */
  readonly keyStore: PostgresKeys;
  /** The privacy role, a class of its own over the same pool (postgres-privacy.ts). */
  readonly privacy: PrivacyStore;
  /** The call-log role, on the same pool (postgres-call-logs.ts). */
  readonly callLogs: PostgresCallLogs;
  /** The call-log privacy role, on the same pool (postgres-log-privacy.ts). */
  readonly logPrivacy: PostgresLogPrivacy;
  /** The stream role (postgres-streams.ts), on the same pool. */
  readonly streams: PostgresStreams;
  /** The sync role, over the same pool (postgres-sync.ts). */
  readonly sync: SyncStateStore;
  /** The analytics role (postgres-analytics.ts), on the same pool. */
  readonly analytics: PostgresAnalytics;
  /** The telephony analytics role (postgres-telephony-analytics.ts), on the same pool. */
  readonly telephonyAnalytics: PostgresTelephonyAnalytics;
  /** The call search role (postgres-call-search.ts), on the same pool. */
  readonly callSearch: PostgresCallSearch;

  private constructor(
    private readonly db: PgQueries,
    private readonly kysely: Kysely<Database>,
    private readonly sql: Statements,
    private readonly listQueries: ListQueryBuilder,
    private readonly partitions: MonthlyPartitions,
  ) {
    this.keyStore = new PostgresKeys(db.pool);
    this.privacy = new PostgresPrivacy(db, (client) => this.streams.derivation(client));
    this.callLogs = new PostgresCallLogs(db);
    this.logPrivacy = new PostgresLogPrivacy(db);
    this.streams = new PostgresStreams(db);
    this.sync = new PostgresSync(db);
    this.analytics = new PostgresAnalytics(db.pool);
    this.telephonyAnalytics = new PostgresTelephonyAnalytics(db.pool);
    this.callSearch = new PostgresCallSearch(db);
  }

  /** Connects, creates the schema if needed and migrates it (under Kysely's advisory migration lock). */
  static async open(url: string): Promise<PostgresStore> {
    const location = parsePostgresUrl(url);
    const pool = createPool(location);
    try {
      await pool.query(`create schema if not exists ${location.schema}`);
    } catch (error) {
      // `if not exists` does not hold against a concurrent create: the instance that loses the race gets a unique
      // violation on pg_namespace (or duplicate_schema). The schema exists either way.
      const code = (error as { code?: string }).code;
      if (code !== UNIQUE_VIOLATION && code !== DUPLICATE_SCHEMA) {
        await pool.end();
        throw error;
      }
    }
    // The Migrator checks for its tables through the dialect's introspector: scoped to the store's schema, so DDL on
    // other schemas meanwhile cannot fail the open (schema-introspector.ts).
    const kysely = new Kysely<Database>({ dialect: new SchemaScopedPostgresDialect({ pool }, location.schema) });
    try {
      await migrateToLatest(kysely as Kysely<unknown>, location.schema);
    } catch (error) {
      await kysely.destroy();
      throw error;
    }
    return new PostgresStore(
      new PgQueries(pool),
      kysely,
      buildStatements(kysely, POSTGRES_SQL),
      new ListQueryBuilder(kysely, POSTGRES_SQL),
      new MonthlyPartitions(pool),
    );
  }

  async write(records: readonly RecordWrite[], receivedAt: string): Promise<WriteResult[]> {
    return records.length === 0
      ? []
      : writeBatch(this.db, this.partitions, records, receivedAt, (client) => this.streams.derivation(client));
  }

  async readRecord(id: string, page?: PageRequest): Promise<RecordRead | undefined> {
    if (page === undefined) {
      const row = await this.db.get(this.db.pool, this.sql.getRecord, { id });
      return row && { ...toHead(row), json: row.record_json };
    }
    const read = await this.recordWithPage(id, page);
    return read && { ...read.head, json: read.json, items: read.items };
  }

  async readPage(id: string, page: PageRequest): Promise<{ head: RecordHead; items: StoredItem[] } | undefined> {
    const read = await this.recordWithPage(id, page);
    return read && { head: read.head, items: read.items };
  }

  async readItem(
    id: string,
    collection: Collection,
    itemId: string,
  ): Promise<{ head: RecordHead; item: StoredItem | undefined } | undefined> {
    return this.db.snapshot(async (client) => {
      const head = await this.db.get(client, this.sql.recordHead, { id });
      if (head === undefined) return undefined;
      const item =
        collection === 'sessions'
          ? mapped(await this.db.get(client, this.sql.sessionById, { id, sessionId: itemId }), toSession)
          : mapped(await this.db.get(client, this.sql.participantById, { id, participantId: itemId }), toParticipant);
      return { head: toHead(head), item };
    });
  }

  async listRecords(query: RecordQuery): Promise<ListedRecord[]> {
    return (await this.db.query(this.db.pool, this.listQueries.list(query))).map(toListedRecord);
  }

  async countRecords(filter: RecordFilterQuery): Promise<number> {
    return (await this.db.query(this.db.pool, this.listQueries.count(filter)))[0]!.n;
  }

  async listPartialRecords(query: PartialRecordQuery): Promise<PartialRecord[]> {
    const rows = await this.db.all(this.db.pool, this.sql.partialPage, {
      after: query.after ?? '',
      limit: query.limit,
    });
    return rows.map(toPartialRecord);
  }

  async listVersions(id: string): Promise<VersionInfo[]> {
    return this.db.snapshot(async (client) => {
      const current = await this.db.get(client, this.sql.currentHead, { id });
      return (await this.db.all(client, this.sql.listVersions, { id })).map((r) =>
        toVersionInfo(r, current?.content_hash),
      );
    });
  }

  async getVersion(id: string, version: number): Promise<string | undefined> {
    const stored = (await this.db.get(this.db.pool, this.sql.getVersion, { id, version }))?.raw_brotli;
    return stored && decompressJson(stored);
  }

  async exportRecords(
    range: ExportRange,
    after: { startKey: string; id: string } | undefined,
    limit: number,
  ): Promise<ExportedRecord[]> {
    const rows = await this.db.all(this.db.pool, this.sql.exportPage, exportValues(range, after, limit));
    return rows.map(toExportedRecord);
  }

  async exportVersions(
    range: ExportRange,
    after: VersionCursor | undefined,
    limit: number,
  ): Promise<ExportedVersion[]> {
    const rows = await this.db.all(this.db.pool, this.sql.exportVersionsPage, exportVersionValues(range, after, limit));
    return rows.map(toExportedVersion);
  }

  async sharedSecret(key: string, create: () => string): Promise<string> {
    const existing = await this.db.get(this.db.pool, this.sql.getMeta, { key });
    if (existing) return existing.value;
    await this.db.all(this.db.pool, this.sql.putMetaIfAbsent, { key, value: create() });
    return (await this.db.get(this.db.pool, this.sql.getMeta, { key }))!.value;
  }

  async ping(): Promise<void> {
    await this.db.pool.query('select 1');
  }

  async sizeBytes(): Promise<number> {
    // Leaf tables only (a partitioned parent holds nothing itself); pg_total_relation_size adds indexes and TOAST.
    const { rows } = await this.db.pool.query<{ size: string }>(
      `select coalesce(sum(pg_total_relation_size(c.oid)), 0)::text as size from pg_class c
         join pg_namespace n on n.oid = c.relnamespace where n.nspname = current_schema() and c.relkind = 'r'`,
    );
    return Number(rows[0]!.size);
  }

  async health(): Promise<StoreHealth> {
    return this.db.snapshot(async (client) => {
      const [counted] = await this.db.query(client, this.listQueries.count({ start: [] }));
      return {
        kind: this.kind,
        records: counted!.n,
        partial: (await this.db.get(client, this.sql.partialCount, {}))!.n,
        oldest: toRecordEnd(await this.db.get(client, this.sql.oldestRecord, {})),
        newest: toRecordEnd(await this.db.get(client, this.sql.newestRecord, {})),
      };
    });
  }

  async expire(cutoffKey: string, batchSize = DEFAULT_EXPIRE_BATCH): Promise<number> {
    return expireRecords(this.db, this.sql, this.partitions, cutoffKey, batchSize);
  }

  /** Refreshes planner statistics after a bulk import. */
  async optimize(): Promise<void> {
    await this.db.pool.query(`analyze ${RECORD_TABLES.map((t) => t.name).join(', ')}`);
  }

  /** The subscriptions role, over this store's pool (pg-subscriptions.ts). */
  get subscriptions(): PgSubscriptions {
    return (this.#subscriptions ??= new PgSubscriptions(this.db));
  }

  #subscriptions: PgSubscriptions | undefined;

  async close(): Promise<void> {
    await this.kysely.destroy();
  }

  /** The query plan PostgreSQL would use for a list query (tests assert that filters use an index). */
  async explainList(query: RecordQuery): Promise<string[]> {
    const { sql, parameters } = this.listQueries.list(query);
    const { rows } = await this.db.pool.query<Record<string, unknown>>(`explain ${sql}`, parameters);
    return rows.map((r) => String(r['QUERY PLAN']));
  }

  /** A record and a page of its items from one statement (one snapshot, one round trip). */
  private async recordWithPage(
    id: string,
    page: PageRequest,
  ): Promise<{ head: RecordHead; json: StoredJson; items: StoredItem[] } | undefined> {
    const values = { id, from: page.fromOrdinal, limit: page.limit };
    const template =
      page.collection === 'sessions' ? this.sql.recordWithSessionsPage : this.sql.recordWithParticipantsPage;
    const [record, ...items] = await this.db.all(this.db.pool, template, values);
    if (record === undefined || record.part !== 0) return undefined;
    return {
      head: toHead(record),
      json: record.record_json,
      items: items.map(toPageItem),
    };
  }
}
