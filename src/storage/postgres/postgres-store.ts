import { Kysely, PostgresDialect } from 'kysely';
import type pg from 'pg';
import { decompressJson } from '../compression.js';
import { migrateToLatest } from '../migrate.js';
import { POSTGRES_SQL } from '../sql/dialect-sql.js';
import { ListQueryBuilder } from '../sql/list-query.js';
import type { Database } from '../sql/schema.js';
import { buildStatements, type Statements } from '../sql/statements.js';
import {
  exportValues,
  toExportedRecord,
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
  StoredJson,
} from '../store.js';
import { DEFAULT_EXPIRE_BATCH } from '../store.js';
import { createPool, parsePostgresUrl } from './connection.js';
import { copyRows } from './copy-rows.js';
import { COPY_COLUMNS, participantRows, recordRow, sessionRows, versionRow } from './record-rows.js';
import { MonthlyPartitions, monthOf, nextMonth } from './partitions.js';
import { bodyKey, planWrites, type CurrentHead } from './write-plan.js';

type Queryable = pg.Pool | pg.PoolClient;

/** SQLSTATEs after which a write transaction is simply tried again: deadlock, serialisation failure. */
const RETRYABLE = new Set(['40P01', '40001']);
/** "No partition of relation found for row": another instance's retention dropped a month this one knew. */
const NO_PARTITION = '23514';
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
    const months = new Set(records.map((r) => monthOf(r.startKey)));
    const ids = [...new Set(records.map((r) => r.id))];
    // Partitions are made on the same connection before the transaction begins (never while holding locks, and
    // without a second connection from the pool, which concurrent writers could have exhausted).
    const prepare = (client: pg.PoolClient) => this.partitions.ensure(months, client);
    return this.transaction(async (client) => {
      await lockMonthsShared(client, months);
      await lockRecords(client, ids);
      const heads = await this.currentHeads(client, ids);
      const bodies = await this.knownBodies(client, ids);
      const plan = planWrites(records, heads, bodies);
      // A record that moved to another month takes its older history rows with it (PostgreSQL moves the rows
      // between partitions), so that every row of a record lives in the month of its current start.
      if (plan.moved.size > 0) {
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
        const rows = plan.newVersions.map((r) => versionRow(r, plan.finalStart.get(r.id)!, receivedAt));
        await copyRows(client, 'record_versions', COPY_COLUMNS.record_versions, rows);
      }
      return plan.results;
    }, prepare);
  }

  async readRecord(id: string, page?: PageRequest): Promise<RecordRead | undefined> {
    if (page === undefined) {
      const row = await this.get(this.pool, this.sql.getRecord, { id });
      return row && { ...toHead(row), json: row.record_json as StoredJson };
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
    return rows.map(toListedRecord);
  }

  async countRecords(filter: RecordFilterQuery): Promise<number> {
    const { sql, parameters } = this.listQueries.count(filter);
    const { rows } = await this.pool.query<Row>({ name: this.nameOf(sql), text: sql, values: parameters });
    return Number(rows[0]!.n);
  }

  async listVersions(id: string): Promise<VersionInfo[]> {
    return this.snapshot(async (client) => {
      const current = await this.get(client, this.sql.currentHead, { id });
      return (await this.all(client, this.sql.listVersions, { id })).map((r) =>
        toVersionInfo(r, current?.content_hash),
      );
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
    const rows = await this.all(this.pool, this.sql.exportPage, exportValues(range, after, limit));
    return rows.map(toExportedRecord);
  }

  async sharedSecret(key: string, create: () => string): Promise<string> {
    const existing = await this.get(this.pool, this.sql.getMeta, { key });
    if (existing) return existing.value as string;
    await this.run(this.pool, this.sql.putMetaIfAbsent, { key, value: create() });
    return (await this.get(this.pool, this.sql.getMeta, { key }))!.value as string;
  }

  async health(): Promise<StoreHealth> {
    return this.snapshot(async (client) => {
      const count = this.listQueries.count({ start: [] });
      const { rows } = await client.query<Row>({ name: this.nameOf(count.sql), text: count.sql });
      return {
        kind: this.kind,
        records: Number(rows[0]!.n),
        oldest: toRecordEnd(await this.get(client, this.sql.oldestRecord, {})),
        newest: toRecordEnd(await this.get(client, this.sql.newestRecord, {})),
      };
    });
  }

  /**
   * Drops each whole month whose records have all expired (partitions detached concurrently: reads go on), then
   * removes the remaining expired records in batches, each a short transaction holding the records' locks.
   */
  async expire(cutoffKey: string, batchSize = DEFAULT_EXPIRE_BATCH): Promise<number> {
    let removed = 0;
    for (const month of await this.partitions.months()) {
      if (nextMonth(month) > cutoffKey) break;
      removed += await this.dropMonthIfExpired(month, cutoffKey);
    }
    for (;;) {
      const { selected, deleted } = await this.transaction(async (client) => {
        const ids = (await this.all(client, this.sql.expiredBatch, { cutoff: cutoffKey, limit: batchSize })).map(
          (r) => r.id as string,
        );
        if (ids.length === 0) return { selected: 0, deleted: 0 };
        await lockRecords(client, ids);
        // Re-checked under the lock: a newer version may have moved the record's end past the cutoff.
        const gone = await client.query<Row>(
          `delete from call_records where id = any($1::text[]) and end_key < $2 returning id`,
          [ids, cutoffKey],
        );
        const goneIds = gone.rows.map((r) => r.id as string);
        for (const table of ['sessions', 'participants', 'record_versions']) {
          await client.query(`delete from ${table} where record_id = any($1::text[])`, [goneIds]);
        }
        return { selected: ids.length, deleted: goneIds.length };
      });
      removed += deleted;
      if (selected < batchSize) return removed;
    }
  }

  /**
   * Drops a month when none of its records ends at or after the cutoff. Every row of a record lives in the month of
   * its current start (write() moves history along), so the month's partitions hold only those records. The month's
   * lock, taken exclusively here and shared by writers, keeps a late record from landing in it meanwhile.
   */
  private async dropMonthIfExpired(month: string, cutoffKey: string): Promise<number> {
    const client = await this.pool.connect();
    const key = monthLockKey(month);
    try {
      await client.query('select pg_advisory_lock(hashtextextended($1, 0))', [key]);
      try {
        const { rows } = await client.query<{ n: number; live: number }>(
          `select count(*) as n, count(*) filter (where end_key >= $1) as live
             from ${this.partitions.recordsPartition(month)}`,
          [cutoffKey],
        );
        if (Number(rows[0]!.live) > 0) return 0;
        await this.partitions.drop(month, client);
        return Number(rows[0]!.n);
      } finally {
        await client.query('select pg_advisory_unlock(hashtextextended($1, 0))', [key]);
      }
    } finally {
      client.release();
    }
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
    const rows = records.map((r) => recordRow(r, receivedAt));
    await copyRows(client, 'call_records', COPY_COLUMNS.call_records, rows);
    const sessions = records.flatMap(sessionRows);
    if (sessions.length > 0) await copyRows(client, 'sessions', COPY_COLUMNS.sessions, sessions);
    const participants = records.flatMap(participantRows);
    if (participants.length > 0) await copyRows(client, 'participants', COPY_COLUMNS.participants, participants);
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

  /** A record and a page of its items from one statement (one snapshot, one round trip). */
  private async recordWithPage(
    id: string,
    page: PageRequest,
  ): Promise<{ head: RecordHead; json: StoredJson; items: StoredItem[] } | undefined> {
    const values = { id, from: page.fromOrdinal, limit: page.limit };
    const template =
      page.collection === 'sessions' ? this.sql.recordWithSessionsPage : this.sql.recordWithParticipantsPage;
    const [record, ...items] = await this.all(this.pool, template, values);
    if (record === undefined || record.part !== 0) return undefined;
    return {
      head: toHead(record),
      json: record.record_json as StoredJson,
      items: items.map((r) => ({
        ordinal: r.ordinal as number,
        json: r.record_json as StoredJson,
        segmentsJson: (r.segments_json ?? undefined) as StoredJson | undefined,
      })),
    };
  }

  /** Runs `work` in a read-write transaction, again from the start after a deadlock or serialisation failure. */
  private async transaction<T>(
    work: (client: pg.PoolClient) => Promise<T>,
    prepare?: (client: pg.PoolClient) => Promise<void>,
  ): Promise<T> {
    const client = await this.pool.connect();
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          await prepare?.(client);
          await client.query('begin');
          const result = await work(client);
          await client.query('commit');
          return result;
        } catch (error) {
          await client.query('rollback').catch(() => undefined);
          const code = (error as { code?: string }).code;
          if (code === NO_PARTITION && attempt < MAX_ATTEMPTS) {
            this.partitions.forget();
            continue;
          }
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
/** Writers into a month hold its lock shared, so retention cannot drop the month under them (dropMonthIfExpired). */
function lockMonthsShared(client: pg.PoolClient, months: ReadonlySet<string>): Promise<void> {
  return advisoryLocks(client, [...months].map(monthLockKey), 'pg_advisory_xact_lock_shared');
}

/** The advisory-lock name of a month: writers into it share the lock, retention dropping it takes it alone. */
function monthLockKey(month: string): string {
  return `callrecords month ${month}`;
}

/**
 * Takes a transaction-scoped advisory lock per record id, so that writers (and retention) of overlapping batches
 * queue behind each other instead of deadlocking.
 */
function lockRecords(client: pg.PoolClient, ids: readonly string[]): Promise<void> {
  return advisoryLocks(client, ids, 'pg_advisory_xact_lock');
}

/** Transaction-scoped advisory locks on the hashes of `names`, taken in ascending key order (never a lock cycle). */
async function advisoryLocks(
  client: pg.PoolClient,
  names: readonly string[],
  lock: 'pg_advisory_xact_lock' | 'pg_advisory_xact_lock_shared',
): Promise<void> {
  await client.query({
    name: lock,
    text: `select ${lock}(k)
             from (select distinct hashtextextended(n, 0) as k from unnest($1::text[]) as n order by k) as keys`,
    values: [names],
  });
}
