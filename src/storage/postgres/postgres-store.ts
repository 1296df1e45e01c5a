import { Kysely, PostgresDialect } from 'kysely';
import type pg from 'pg';
import { compressJson, decompressJson } from '../compression.js';
import { migrateToLatest } from '../migrate.js';
import { EXPORT_MAX_KEY, EXPORT_MIN_KEY } from '../sql/bounds.js';
import { POSTGRES_SQL } from '../sql/dialect-sql.js';
import { ListQueryBuilder } from '../sql/list-query.js';
import type { Database } from '../sql/schema.js';
import { buildStatements, type Statements } from '../sql/statements.js';
import { toHead, toItem, type Row } from '../sql/rows.js';
import type { SqlTemplate } from '../sql/template.js';
import type {
  CallRecordStore,
  Collection,
  ExportRange,
  ExportedRecord,
  ListedRecord,
  PageRequest,
  RecordFilterQuery,
  RecordHead,
  RecordQuery,
  RecordRead,
  RecordWrite,
  StoreHealth,
  StoredItem,
  VersionInfo,
  WriteResult,
} from '../store.js';
import { createPool, parsePostgresUrl } from './connection.js';
import { copyRows } from './copy-rows.js';
import { MonthlyPartitions, monthOf } from './partitions.js';
import { bodyKey, planWrites, type CurrentHead } from './write-plan.js';

type Queryable = pg.Pool | pg.PoolClient;

/** SQLSTATEs after which a write transaction is simply tried again: deadlock, serialisation failure. */
const RETRYABLE = new Set(['40P01', '40001']);
const MAX_ATTEMPTS = 6;
const UNIQUE_VIOLATION = '23505';
const DUPLICATE_SCHEMA = '42P06';

/**
 * The production store: PostgreSQL through pg. Reads run the statements shared with SQLite (sql/statements.ts,
 * sql/list-query.ts) as named prepared statements; writes go around the query builder: one transaction per batch
 * that locks the batch's record ids (advisory locks, in one order, so instances never deadlock), decides every
 * version in memory (write-plan.ts) and sends the rows with COPY.
 */
export class PostgresStore implements CallRecordStore {
  readonly kind = 'postgres';
  private readonly names = new Map<string, string>();

  private constructor(
    private readonly pool: pg.Pool,
    private readonly kysely: Kysely<Database>,
    private readonly sql: Statements,
    private readonly listQueries: ListQueryBuilder,
    private readonly partitions: MonthlyPartitions,
  ) {}

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
    const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    try {
      await migrateToLatest(kysely as Kysely<unknown>, location.schema);
    } catch (error) {
      await kysely.destroy();
      throw error;
    }
    return new PostgresStore(
      pool,
      kysely,
      buildStatements(kysely, POSTGRES_SQL),
      new ListQueryBuilder(kysely, POSTGRES_SQL),
      new MonthlyPartitions(pool),
    );
  }

  async write(records: readonly RecordWrite[], receivedAt: string): Promise<WriteResult[]> {
    if (records.length === 0) return [];
    await this.partitions.ensure(new Set(records.map((r) => monthOf(r.startKey))));
    const ids = [...new Set(records.map((r) => r.id))];
    return this.transaction(async (client) => {
      await lockRecords(client, ids);
      const heads = await this.currentHeads(client, ids);
      const bodies = await this.knownBodies(client, ids);
      const plan = planWrites(records, heads, bodies);
      // A record that moved to another month takes its older history rows with it (PostgreSQL moves the rows
      // between partitions), so that every row of a record lives in the month of its current start.
      if (plan.moved.size > 0) {
        await this.partitions.ensure(new Set([...plan.moved.values()].map(monthOf)));
        await client.query(
          `update record_versions v set start_key = m.start_key
             from unnest($1::text[], $2::text[]) as m(id, start_key)
            where v.record_id = m.id and v.start_key <> m.start_key`,
          [[...plan.moved.keys()], [...plan.moved.values()]],
        );
      }
      if (plan.replaced.length > 0) {
        for (const table of ['sessions', 'participants']) {
          await client.query(`delete from ${table} where record_id = any($1::text[])`, [plan.replaced]);
        }
        await client.query(`delete from call_records where id = any($1::text[])`, [plan.replaced]);
      }
      await this.copyCurrent(client, [...plan.newCurrent.values()], receivedAt);
      if (plan.newVersions.length > 0) {
        await copyRows(
          client,
          'record_versions',
          ['record_id', 'start_key', 'content_hash', 'version', 'last_modified', 'received_at', 'raw_brotli'],
          plan.newVersions.map((r) => [
            r.id,
            plan.finalStart.get(r.id)!,
            r.contentHash,
            r.version,
            r.lastModified,
            receivedAt,
            compressJson(r.rawJson),
          ]),
        );
      }
      return plan.results;
    });
  }

  async readRecord(id: string, page?: PageRequest): Promise<RecordRead | undefined> {
    if (page === undefined) {
      const row = await this.get(this.pool, this.sql.getRecord, { id });
      return row && { ...toHead(row), json: row.record_json as Buffer };
    }
    return this.snapshot(async (client) => {
      const row = await this.get(client, this.sql.getRecord, { id });
      if (row === undefined) return undefined;
      return { ...toHead(row), json: row.record_json as Buffer, items: await this.pageItems(client, id, page) };
    });
  }

  async readPage(id: string, page: PageRequest): Promise<{ head: RecordHead; items: StoredItem[] } | undefined> {
    return this.snapshot(async (client) => {
      const head = await this.get(client, this.sql.recordHead, { id });
      return head && { head: toHead(head), items: await this.pageItems(client, id, page) };
    });
  }

  async readItem(
    id: string,
    collection: Collection,
    itemId: string,
  ): Promise<{ head: RecordHead; item: StoredItem | undefined } | undefined> {
    return this.snapshot(async (client) => {
      const head = await this.get(client, this.sql.recordHead, { id });
      if (head === undefined) return undefined;
      const row =
        collection === 'sessions'
          ? await this.get(client, this.sql.sessionById, { id, sessionId: itemId })
          : await this.get(client, this.sql.participantById, { id, participantId: itemId });
      return { head: toHead(head), item: row && toItem(row) };
    });
  }

  async listRecords(query: RecordQuery): Promise<ListedRecord[]> {
    const { sql, parameters } = this.listQueries.list(query);
    const { rows } = await this.pool.query<Row>({ name: this.nameOf(sql), text: sql, values: parameters });
    return rows.map((r) => ({
      id: r.id as string,
      startKey: r.start_key as string,
      json: r.record_json as Buffer,
      hasEvolvable: r.has_evolvable === 1,
    }));
  }

  async countRecords(filter: RecordFilterQuery): Promise<number> {
    const { sql, parameters } = this.listQueries.count(filter);
    const { rows } = await this.pool.query<Row>({ name: this.nameOf(sql), text: sql, values: parameters });
    return Number(rows[0]!.n);
  }

  async listVersions(id: string): Promise<VersionInfo[]> {
    return this.snapshot(async (client) => {
      const current = await this.get(client, this.sql.currentHead, { id });
      return (await this.all(client, this.sql.listVersions, { id })).map((r) => ({
        version: r.version as number,
        lastModifiedDateTime: r.last_modified as string,
        receivedDateTime: r.received_at as string,
        current: current?.content_hash === r.content_hash,
      }));
    });
  }

  async getVersion(id: string, version: number): Promise<string | undefined> {
    const stored = (await this.get(this.pool, this.sql.getVersion, { id, version }))?.raw_brotli as Buffer | undefined;
    return stored && decompressJson(stored);
  }

  async exportRecords(
    range: ExportRange,
    after: { startKey: string; id: string } | undefined,
    limit: number,
  ): Promise<ExportedRecord[]> {
    const rows = await this.all(this.pool, this.sql.exportPage, {
      from: range.fromKey ?? EXPORT_MIN_KEY,
      to: range.toKey ?? EXPORT_MAX_KEY,
      afterStart: after?.startKey ?? '',
      afterId: after?.id ?? '',
      limit,
    });
    return rows.map((r) => ({
      id: r.id as string,
      startKey: r.start_key as string,
      rawJson: decompressJson(r.raw_brotli as Buffer),
    }));
  }

  async sharedSecret(key: string, create: () => string): Promise<string> {
    const existing = await this.get(this.pool, this.sql.getMeta, { key });
    if (existing) return existing.value as string;
    await this.run(this.pool, this.sql.putMetaIfAbsent, { key, value: create() });
    return (await this.get(this.pool, this.sql.getMeta, { key }))!.value as string;
  }

  async health(): Promise<StoreHealth> {
    return { kind: this.kind, records: await this.countRecords({ start: [] }) };
  }

  /** Refreshes planner statistics after a bulk import. */
  async optimize(): Promise<void> {
    await this.pool.query('analyze call_records, sessions, participants, record_versions');
  }

  async close(): Promise<void> {
    await this.kysely.destroy();
  }

  /** The query plan PostgreSQL would use for a list query (tests assert that filters use an index). */
  async explainList(query: RecordQuery): Promise<string[]> {
    const { sql, parameters } = this.listQueries.list(query);
    const { rows } = await this.pool.query<Row>(`explain ${sql}`, parameters);
    return rows.map((r) => String(r['QUERY PLAN']));
  }

  private async copyCurrent(client: pg.PoolClient, records: readonly RecordWrite[], receivedAt: string) {
    if (records.length === 0) return;
    await copyRows(
      client,
      'call_records',
      [
        'id',
        'version',
        'start_key',
        'end_key',
        'last_modified_key',
        'record_json',
        'session_count',
        'participant_count',
        'content_hash',
        'has_evolvable',
        'received_at',
      ],
      records.map((r) => [
        r.id,
        r.version,
        r.startKey,
        r.endKey,
        r.lastModifiedKey,
        r.recordJson,
        r.sessions.length,
        r.participants.length,
        r.contentHash,
        r.hasEvolvable ? 1 : 0,
        receivedAt,
      ]),
    );
    if (records.some((r) => r.sessions.length > 0)) {
      await copyRows(
        client,
        'sessions',
        ['record_id', 'start_key', 'ordinal', 'session_id', 'session_json', 'segments_json'],
        records.flatMap((r) => r.sessions.map((s, i) => [r.id, r.startKey, i, s.id, s.json, s.segmentsJson])),
      );
    }
    if (records.some((r) => r.participants.length > 0)) {
      await copyRows(
        client,
        'participants',
        ['record_id', 'start_key', 'ordinal', 'participant_id', 'participant_json'],
        records.flatMap((r) => r.participants.map((p, i) => [r.id, r.startKey, i, p.id, p.json])),
      );
    }
  }

  private async currentHeads(client: pg.PoolClient, ids: string[]): Promise<Map<string, CurrentHead>> {
    const { rows } = await client.query<Row>({
      name: 'pg_current_heads',
      text: `select id, version, start_key, last_modified_key, content_hash from call_records where id = any($1::text[])`,
      values: [ids],
    });
    return new Map(
      rows.map((r) => [
        r.id as string,
        {
          version: r.version as number,
          startKey: r.start_key as string,
          lastModifiedKey: r.last_modified_key as string,
          contentHash: r.content_hash as string,
        },
      ]),
    );
  }

  private async knownBodies(client: pg.PoolClient, ids: string[]): Promise<Set<string>> {
    const { rows } = await client.query<Row>({
      name: 'pg_known_bodies',
      text: `select record_id, content_hash from record_versions where record_id = any($1::text[])`,
      values: [ids],
    });
    return new Set(rows.map((r) => bodyKey(r.record_id as string, r.content_hash as string)));
  }

  private async pageItems(client: Queryable, id: string, page: PageRequest): Promise<StoredItem[]> {
    const values = { id, from: page.fromOrdinal, limit: page.limit };
    const template = page.collection === 'sessions' ? this.sql.sessionsPage : this.sql.participantsPage;
    return (await this.all(client, template, values)).map(toItem);
  }

  /** Runs `work` in a read-write transaction, again from the start after a deadlock or serialisation failure. */
  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          await client.query('begin');
          const result = await work(client);
          await client.query('commit');
          return result;
        } catch (error) {
          await client.query('rollback').catch(() => undefined);
          const code = (error as { code?: string }).code;
          if (code === undefined || !RETRYABLE.has(code) || attempt >= MAX_ATTEMPTS) throw error;
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
        }
      }
    } finally {
      client.release();
    }
  }

  /** Runs several reads on one snapshot (a repeatable-read, read-only transaction). */
  private async snapshot<T>(read: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('begin isolation level repeatable read read only');
      const result = await read(client);
      await client.query('commit');
      return result;
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** A stable prepared-statement name per SQL text, so each connection parses and plans a statement once. */
  private nameOf(sql: string): string {
    let name = this.names.get(sql);
    if (name === undefined) {
      name = `cr_${this.names.size}`;
      this.names.set(sql, name);
    }
    return name;
  }

  private async all<P>(on: Queryable, template: SqlTemplate<P>, values: P): Promise<Row[]> {
    const text = template.sql;
    return (await on.query<Row>({ name: this.nameOf(text), text, values: template.bind(values) })).rows;
  }

  private async get<P>(on: Queryable, template: SqlTemplate<P>, values: P): Promise<Row | undefined> {
    return (await this.all(on, template, values))[0];
  }

  private async run<P>(on: Queryable, template: SqlTemplate<P>, values: P): Promise<void> {
    await this.all(on, template, values);
  }
}

/**
 * Takes a transaction-scoped advisory lock per record id, in ascending key order, so that writers (and retention) of
 * overlapping batches queue behind each other instead of deadlocking.
 */
async function lockRecords(client: pg.PoolClient, ids: readonly string[]): Promise<void> {
  await client.query({
    name: 'pg_lock_records',
    text: `select pg_advisory_xact_lock(k)
             from (select distinct hashtextextended(id, 0) as k from unnest($1::text[]) as id order by k) as keys`,
    values: [ids],
  });
}
