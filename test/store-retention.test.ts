/**
 * Retention (--retain-days): exactly the records whose endDateTime is before the cutoff go, with their sessions,
 * participants and history; everything else stays. The clock is injected, so "30 days ago" is a fixed instant.
 */
import type { Json } from './helpers/json.js';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { validateCallRecord } from '../src/domain/validate.js';
import { Retention } from '../src/service/retention.js';
import { toRecordWrite } from '../src/service/record-fragments.js';
import { PostgresStore } from '../src/storage/postgres/postgres-store.js';
import type { CallRecordDatabase } from '../src/storage/roles.js';
import type { RecordWrite } from '../src/storage/store.js';
import { POSTGRES_ENABLED, POSTGRES_URL, testSchema } from './helpers/postgres.js';
import { makeRecord, type RecordSpec } from './helpers/records.js';
import { BACKENDS } from './helpers/databases.js';

/** 30 days before this instant is 2025-03-01T00:00:00Z. */
const NOW = new Date('2025-03-31T00:00:00.000Z');
const CUTOFF_KEY = '2025-03-01T00:00:00.0000000Z';

function writeOf(spec: RecordSpec, end?: string): RecordWrite {
  const record = makeRecord(spec);
  if (end !== undefined) (record as Record<string, Json>).endDateTime = end;
  const result = validateCallRecord(record);
  assert.ok(result.ok, JSON.stringify(result));
  return toRecordWrite(result.record, result.hasEvolvableMembers);
}

/** January 2025 expires whole; February has one expired record beside live ones; March is recent. */
const ARCHIVE: RecordWrite[] = [
  writeOf({ id: 'jan-a', start: '2025-01-10T09:00:00Z' }),
  writeOf({ id: 'jan-b', start: '2025-01-20T09:00:00Z', version: 1, sessions: 2 }),
  writeOf({ id: 'jan-b', start: '2025-01-20T09:00:00Z', version: 2, sessions: 3 }),
  writeOf({ id: 'feb-old', start: '2025-02-10T09:00:00Z', participants: 3 }),
  // Started in February, still running at the cutoff.
  writeOf({ id: 'feb-spanning', start: '2025-02-27T23:50:00Z' }, '2025-03-05T08:00:00Z'),
  // Ends exactly at the cutoff: not before it, so it stays.
  writeOf({ id: 'feb-at-cutoff', start: '2025-02-28T23:00:00Z' }, '2025-03-01T00:00:00Z'),
  writeOf({ id: 'mar-new', start: '2025-03-10T09:00:00Z', version: 1 }),
  writeOf({ id: 'mar-new', start: '2025-03-10T09:00:00Z', version: 2 }),
];
const EXPIRED = ['jan-a', 'jan-b', 'feb-old'];
const KEPT = ['feb-spanning', 'feb-at-cutoff', 'mar-new'];

async function sessionCount(store: CallRecordDatabase, id: string): Promise<number | undefined> {
  return (await store.records.readPage(id, { collection: 'sessions', fromOrdinal: 0, limit: 100 }))?.items.length;
}

for (const backend of BACKENDS) {
  describe(`retention (${backend.name})`, () => {
    let store: CallRecordDatabase;
    before(async () => {
      store = await backend.open();
      await store.records.write(ARCHIVE, '2025-03-20T00:00:00.000Z');
    });
    after(() => store.close());

    test('the cutoff is retainDays before the injected now', () => {
      const retention = new Retention(store.upkeep, { now: () => NOW }, 30);
      assert.equal(retention.cutoff(), '2025-03-01T00:00:00.000Z');
    });

    test('removes exactly the records that ended before the cutoff, with history and items', async () => {
      const keptBefore = await Promise.all(KEPT.map((id) => store.history.listVersions(id)));
      const pass = await new Retention(store.upkeep, { now: () => NOW }, 30).runOnce();
      assert.deepEqual(pass, { cutoff: '2025-03-01T00:00:00.000Z', removed: EXPIRED.length });
      for (const id of EXPIRED) {
        assert.equal(await store.records.readRecord(id), undefined, `${id} is gone`);
        assert.deepEqual(await store.history.listVersions(id), [], `${id} has no history left`);
        assert.equal(await store.history.getVersion(id, 1), undefined, `${id} version 1 is gone`);
        assert.equal(await sessionCount(store, id), undefined, `${id} has no sessions left`);
      }
      for (const [i, id] of KEPT.entries()) {
        assert.ok(await store.records.readRecord(id), `${id} is kept`);
        assert.deepEqual(await store.history.listVersions(id), keptBefore[i], `${id} keeps its whole history`);
        assert.equal(await sessionCount(store, id), 1, `${id} keeps its session`);
      }
      assert.equal(await store.records.countRecords({ start: [] }), KEPT.length);
      const health = await store.meta.health();
      assert.equal(health.records, KEPT.length);
      assert.equal(health.oldest?.id, 'feb-spanning');
      assert.equal(health.newest?.id, 'mar-new');
    });

    test('a second pass removes nothing; an expired record received again is stored again', async () => {
      assert.equal((await new Retention(store.upkeep, { now: () => NOW }, 30).runOnce()).removed, 0);
      const again = ARCHIVE.find((r) => r.id === 'jan-a')!;
      assert.deepEqual(await store.records.write([again], '2025-03-31T00:00:00.000Z'), [
        { status: 'inserted', currentVersion: 1 },
      ]);
      assert.equal((await store.records.readRecord('jan-a'))?.version, 1);
    });

    test('small batches remove the same records as one large one', async () => {
      const other = await backend.open();
      try {
        await other.records.write(ARCHIVE, '2025-03-20T00:00:00.000Z');
        assert.equal(await other.upkeep.expire(CUTOFF_KEY, 1), EXPIRED.length);
        const listed = await other.records.listRecords({ start: [], limit: 100 });
        assert.deepEqual(listed.map((r) => r.id).sort(), [...KEPT].sort());
      } finally {
        await other.close();
      }
    });

    test('an empty archive reports no oldest or newest record', async () => {
      const empty = await backend.open();
      try {
        assert.deepEqual(await empty.meta.health(), {
          kind: backend.name,
          records: 0,
          partial: 0,
          oldest: undefined,
          newest: undefined,
        });
      } finally {
        await empty.close();
      }
    });
  });
}

describe(
  'retention on PostgreSQL drops whole months',
  { skip: !POSTGRES_ENABLED && 'PostgreSQL not reachable' },
  () => {
    const schema = testSchema('retention');
    let store: PostgresStore;
    let client: pg.Client;
    before(async () => {
      store = await PostgresStore.open(schema.url);
      client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
    });
    after(async () => {
      await client.end();
      await store.close();
      await schema.drop();
    });

    async function partitions(): Promise<string[]> {
      const { rows } = await client.query<{ name: string }>(
        `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = $1 and c.relispartition and c.relkind = 'r' order by 1`,
        [schema.name],
      );
      return rows.map((r) => r.name);
    }

    test('a month whose records all expired loses its partitions; a month with a live record keeps them', async () => {
      await store.write(ARCHIVE, '2025-03-20T00:00:00.000Z');
      const months = (names: string[]) => [...new Set(names.map((n) => n.slice(-6)))];
      assert.deepEqual(months(await partitions()), ['202501', '202502', '202503']);
      assert.equal(await store.expire(CUTOFF_KEY), EXPIRED.length);
      const left = await partitions();
      assert.deepEqual(months(left), ['202502', '202503'], 'January is dropped whole');
      assert.equal(left.length, 10, 'five tables (streams too) × two months');
    });
  },
);
