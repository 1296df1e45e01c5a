/**
 * Several server instances on one PostgreSQL database: two real `callrecords serve` processes on one schema take
 * interleaved, overlapping streams of versions of the same records at once, while clients read and page through
 * the list on both. Afterwards every record holds its highest version, every distinct version is in its history
 * exactly once, and the list has every record once. Also: stores opening a fresh schema at the same moment migrate it
 * once.
 *
 * The arrival order is random; the seed is printed with any failure and can be fixed with CALLRECORDS_TEST_SEED.
 */
import type { Json } from './helpers/json.js';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { seededRandom, type SeededRandom } from '../src/generate/seeded-random.js';
import { PostgresStore } from '../src/storage/postgres/postgres-store.js';
import { POSTGRES_ENABLED, POSTGRES_URL, testSchema, type TestSchema } from './helpers/postgres.js';
import { migrationProvider } from '../src/storage/migrations/index.js';
import { makeRecord } from './helpers/records.js';
import { startServer, type ServerProcess } from './helpers/server-process.js';

const SKIP = POSTGRES_ENABLED ? false : 'PostgreSQL is not reachable (see test/helpers/postgres.ts)';
const SEED = Number(process.env.CALLRECORDS_TEST_SEED ?? Date.now() % 1_000_000);
const RECORDS = 200;
/** Records whose every version starts in another month. */
const MOVING_RECORDS = 40;
const VERSIONS = 4;
/** The share of (record, version) items each server gets a second time. */
const REPEAT_SHARE = 0.25;
const MIN_BATCH = 3;
const MAX_BATCH = 12;
/** Ingest requests in flight per server. */
const IN_FLIGHT = 6;
const LIST_PAGE = 25;

const recordId = (i: number) => `two-${String(i).padStart(3, '0')}`;

/**
 * Version `version` of record `i`: `version` sessions and `version + 1` participants, so a reader can tell that a
 * record and its items come from the same version. Records start in three different months (three partitions,
 * created by whichever instance writes first); a record's start never changes, so its place in the list is fixed.
 */
function recordVersion(i: number, version: number): Record<string, Json> {
  const start = new Date(Date.UTC(2025, i % 3, 1 + (i % 27), 8, i % 60)).toISOString();
  return makeRecord({ id: recordId(i), version, start, sessions: version, participants: version + 1 });
}

/** One item sent: a version of a record. */
interface Item {
  id: string;
  version: number;
  record: Record<string, Json>;
}

/** Versions 1 to VERSIONS of `count` records, made by `make(i, version)`. */
function allVersions(count: number, make: (i: number, version: number) => Record<string, Json>): Item[] {
  return Array.from({ length: count }, (_, i) =>
    Array.from({ length: VERSIONS }, (_, v) => {
      const record = make(i, v + 1);
      return { id: record.id as string, version: v + 1, record };
    }),
  ).flat();
}

/** Every item, some twice, shuffled, cut into batches of MIN_BATCH to MAX_BATCH items. */
function stream(rng: SeededRandom, all: readonly Item[]): Item[][] {
  const items: Item[] = [];
  for (const item of all) {
    items.push(item);
    if (rng.chance(REPEAT_SHARE)) items.push(item);
  }
  for (let k = items.length - 1; k > 0; k--) {
    const j = rng.int(0, k);
    [items[k], items[j]] = [items[j]!, items[k]!];
  }
  const batches: Item[][] = [];
  for (let k = 0; k < items.length;) {
    const size = rng.int(MIN_BATCH, MAX_BATCH);
    batches.push(items.slice(k, k + size));
    k += size;
  }
  return batches;
}

/** What one ingest request answered, item by item. */
interface Sent {
  server: number;
  items: Item[];
  status: number;
  body: Json;
}

/** Sends `batches` to `server`, IN_FLIGHT requests at a time; resolves to every answer. */
async function send(server: ServerProcess, index: number, batches: Item[][]): Promise<Sent[]> {
  const sent: Sent[] = [];
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      const items = batches[next++]!;
      const res = await fetch(`${server.url}/api/callRecords`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ value: items.map((it) => it.record) }),
      });
      const text = await res.text();
      let body: Json;
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
      sent.push({ server: index, items, status: res.status, body });
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return sent;
}

async function getJson(url: string): Promise<{ status: number; body: Json }> {
  const res = await fetch(url);
  return { status: res.status, body: await res.json() };
}

/**
 * Pages through the whole list, each page from the other server than the one before (the skip-token key is shared
 * through the database, so a link from one instance works on the other); returns the ids in order.
 */
async function listAll(servers: readonly ServerProcess[], label: string): Promise<string[]> {
  const seen: { id: string; start: string }[] = [];
  let path: string | undefined = '/v1.0/communications/callRecords';
  for (let page = 0; path !== undefined; page++) {
    const server = servers[page % servers.length]!;
    const res = await fetch(`${server.url}${path}`, { headers: { prefer: `odata.maxpagesize=${LIST_PAGE}` } });
    const body = (await res.json()) as Json;
    assert.equal(res.status, 200, `${label}: page ${page + 1}: ${JSON.stringify(body)}`);
    for (const r of body.value as { id: string; startDateTime: string }[])
      seen.push({ id: r.id, start: r.startDateTime });
    const link = body['@odata.nextLink'] as string | undefined;
    path = link === undefined ? undefined : link.slice(new URL(link).origin.length);
    assert.ok(page < 1000, `${label}: paging does not end`);
  }
  for (let k = 1; k < seen.length; k++) {
    const [a, b] = [seen[k - 1]!, seen[k]!];
    assert.ok(
      a.start < b.start || (a.start === b.start && a.id < b.id),
      `${label}: ${b.id} follows ${a.id} out of order or twice`,
    );
  }
  return seen.map((r) => r.id);
}

/**
 * Every request succeeded with nothing rejected; each distinct version was taken as new (inserted, updated or stale)
 * exactly once across both servers, every other arrival of it was unchanged; and each record was inserted once.
 */
function checkOutcomes(answers: readonly Sent[], records: number, seed: string): void {
  const firstArrivals = new Map<string, number>();
  const inserts = new Map<string, number>();
  for (const a of answers) {
    assert.equal(a.status, 200, `${seed}: server ${a.server} answered ${a.status}: ${JSON.stringify(a.body)}`);
    assert.equal(a.body.summary.rejected, 0, `${seed}: ${JSON.stringify(a.body)}`);
    assert.equal(a.body.value.length, a.items.length, `${seed}: one outcome per item`);
    a.items.forEach((it, k) => {
      const outcome = a.body.value[k];
      assert.equal(outcome.id, it.id, `${seed}: outcomes in request order`);
      assert.ok(
        ['inserted', 'updated', 'unchanged', 'stale'].includes(outcome.status),
        `${seed}: ${JSON.stringify(outcome)}`,
      );
      const key = `${it.id} v${it.version}`;
      if (outcome.status !== 'unchanged') firstArrivals.set(key, (firstArrivals.get(key) ?? 0) + 1);
      if (outcome.status === 'inserted') inserts.set(it.id, (inserts.get(it.id) ?? 0) + 1);
    });
  }
  const twice = [...firstArrivals].filter(([, n]) => n !== 1);
  assert.deepEqual(twice, [], `${seed}: versions taken as new more than once`);
  assert.equal(firstArrivals.size, records * VERSIONS, `${seed}: every version was new once`);
  assert.equal(inserts.size, records, `${seed}: every record inserted`);
  const again = [...inserts].filter(([, n]) => n > 1);
  assert.deepEqual(again, [], `${seed}: records inserted more than once`);
}

/**
 * Record `id` (the `i`th) is at its highest version with that version's sessions on one server, and the other has
 * its history with each version once, only the highest current, and each stored body retrievable. Returns the record.
 */
async function checkFinal(servers: readonly ServerProcess[], i: number, id: string, seed: string): Promise<Json> {
  const server = servers[i % servers.length]!;
  const other = servers[(i + 1) % servers.length]!;
  const key = encodeURIComponent(id);
  const record = await getJson(`${server.url}/v1.0/communications/callRecords/${key}?$expand=sessions`);
  assert.equal(record.status, 200, `${seed}: ${id}: ${JSON.stringify(record.body)}`);
  assert.equal(record.body.version, VERSIONS, `${seed}: ${id} is not at its highest version`);
  assert.equal(record.body.sessions.length, VERSIONS, `${seed}: ${id} has the sessions of another version`);
  const history = await getJson(`${other.url}/api/callRecords/${key}/versions`);
  assert.equal(history.status, 200, `${seed}: ${id}: ${JSON.stringify(history.body)}`);
  assert.deepEqual(
    history.body.value.map((v: Json) => [v.version, v.current]),
    Array.from({ length: VERSIONS }, (_, v) => [v + 1, v + 1 === VERSIONS]),
    `${seed}: history of ${id}`,
  );
  return record.body;
}

describe('two instances on one PostgreSQL schema', { skip: SKIP }, () => {
  let schema: TestSchema;
  const servers: ServerProcess[] = [];
  const rng = seededRandom(SEED);
  const seed = `seed ${SEED}`;

  before(async () => {
    schema = testSchema('two');
    // Both start (and migrate the fresh schema) at the same moment.
    servers.push(...(await Promise.all([startServer(['--db', schema.url]), startServer(['--db', schema.url])])));
  });

  after(async () => {
    try {
      const codes = await Promise.all(servers.map((s) => s.stop()));
      assert.deepEqual(codes, [0, 0], 'both servers exit 0 on SIGTERM');
    } finally {
      await schema.drop();
    }
  });

  test('concurrent, overlapping versions on both servers: no failure, highest version wins, history complete, list whole', async (t) => {
    const all = allVersions(RECORDS, recordVersion);
    const streams = servers.map(() => stream(rng, all));
    let writing = true;
    const passes: string[][] = [];
    const snapshots = { checked: 0 };

    // Readers while the writes go on: whole list passes, and records read with their sessions and participants.
    const lister = (async () => {
      while (writing) passes.push(await listAll(servers, `${seed}: a list pass during the writes`));
    })();
    const reader = (async () => {
      while (writing) {
        const i = rng.int(0, RECORDS - 1);
        const server = servers[i % servers.length]!;
        const base = `${server.url}/v1.0/communications/callRecords/${recordId(i)}`;
        for (const url of [`${base}?$expand=sessions($expand=segments)`, `${base}?$expand=participants_v2`]) {
          const res = await getJson(url);
          if (res.status === 404) continue;
          assert.equal(res.status, 200, `${seed}: ${url}: ${JSON.stringify(res.body)}`);
          const { version, sessions, participants_v2: participants } = res.body;
          if (sessions) assert.equal(sessions.length, version, `${seed}: ${url}: sessions of another version`);
          if (participants)
            assert.equal(participants.length, version + 1, `${seed}: ${url}: participants of v≠${version}`);
          snapshots.checked++;
        }
      }
    })();

    let answers: Sent[];
    try {
      answers = (await Promise.all(servers.map((s, k) => send(s, k, streams[k]!)))).flat();
    } finally {
      writing = false;
      await Promise.allSettled([lister, reader]);
    }
    await lister;
    await reader;

    checkOutcomes(answers, RECORDS, seed);

    // While writing: every list pass had each record at most once, in order (checked in listAll).
    assert.ok(passes.length >= 1, `${seed}: no list pass completed during the writes`);
    for (const pass of passes) assert.equal(new Set(pass).size, pass.length, `${seed}: a record listed twice`);

    // Afterwards: the highest version everywhere, with its own items; the history has each version once.
    for (let i = 0; i < RECORDS; i++) await checkFinal(servers, i, recordId(i), seed);

    const ids = await listAll(servers, `${seed}: the list after the writes`);
    assert.equal(ids.length, RECORDS, `${seed}: ${ids.length} records listed`);
    assert.deepEqual(
      [...ids].sort(),
      Array.from({ length: RECORDS }, (_, i) => recordId(i)),
      `${seed}: the list has every record once`,
    );
    const count = await fetch(`${servers[1]!.url}/v1.0/communications/callRecords/$count`);
    assert.equal(await count.text(), String(RECORDS), `${seed}: $count`);
    assert.ok(snapshots.checked > 0, `${seed}: no record was read during the writes`);
    const items = answers.reduce((n, a) => n + a.items.length, 0);
    t.diagnostic(
      `${seed}: ${answers.length} ingest requests, ${items} items; ${passes.length} list passes and ` +
        `${snapshots.checked} record reads during the writes`,
    );
  });

  test('records whose startDateTime moves to another month between versions (new partitions on both servers)', async () => {
    // Version v of move-i starts in month (i + v) mod 4 of May to August 2026: no partition exists yet for them, and
    // each later version moves the record, with its history, into another month.
    const moving = (i: number, version: number) =>
      makeRecord({
        id: `move-${String(i).padStart(2, '0')}`,
        version,
        start: new Date(Date.UTC(2026, 4 + ((i + version) % 4), 10, 9, i)).toISOString(),
        sessions: version,
      });
    const all = allVersions(MOVING_RECORDS, moving);
    const answers = (await Promise.all(servers.map((s, k) => send(s, k, stream(rng, all))))).flat();
    checkOutcomes(answers, MOVING_RECORDS, seed);
    for (let i = 0; i < MOVING_RECORDS; i++) {
      const record = await checkFinal(servers, i, moving(i, VERSIONS).id as string, seed);
      assert.equal(record.startDateTime, moving(i, VERSIONS).startDateTime, `${seed}: ${record.id} start`);
      for (let version = 1; version <= VERSIONS; version++) {
        const stored = await getJson(`${servers[version % 2]!.url}/api/callRecords/${record.id}/versions/${version}`);
        assert.equal(stored.status, 200, `${seed}: ${record.id} v${version}: ${JSON.stringify(stored.body)}`);
        assert.equal(stored.body.startDateTime, moving(i, version).startDateTime, `${seed}: ${record.id} v${version}`);
      }
    }
    const window =
      '$filter=startDateTime%20ge%202026-05-01T00:00:00Z%20and%20startDateTime%20lt%202026-09-01T00:00:00Z';
    const listed = await getJson(`${servers[0]!.url}/v1.0/communications/callRecords?${window}`);
    assert.deepEqual(
      listed.body.value.map((r: Json) => r.id).sort(),
      Array.from({ length: MOVING_RECORDS }, (_, i) => moving(i, 1).id),
      `${seed}: each moved record listed once, in its last month`,
    );
  });
});

describe('stores opening a fresh schema at the same moment', { skip: SKIP }, () => {
  const OPENERS = 4;
  let schema: TestSchema;
  before(() => (schema = testSchema('migrate')));
  after(() => schema.drop());

  test(`${OPENERS} stores all open, and the schema is migrated once`, async () => {
    const opened = await Promise.allSettled(Array.from({ length: OPENERS }, () => PostgresStore.open(schema.url)));
    const stores = opened.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    try {
      const failures = opened.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
      assert.deepEqual(failures, [], 'every open succeeds');
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      try {
        const migrations = await client.query<{ name: string }>(
          `select name from ${schema.name}.kysely_migration order by name`,
        );
        assert.deepEqual(
          migrations.rows.map((r) => r.name),
          Object.keys(await migrationProvider.getMigrations()).sort(),
          'each migration ran once',
        );
        const tables = await client.query<{ name: string }>(
          `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where n.nspname = $1 and c.relkind = 'p' order by name`,
          [schema.name],
        );
        assert.deepEqual(
          tables.rows.map((r) => r.name),
          ['call_records', 'participants', 'record_versions', 'sessions', 'streams'],
          'the partitioned tables exist once',
        );
      } finally {
        await client.end();
      }
      // Every store works on the one schema.
      await Promise.all(stores.map((s) => s.health()));
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });
});
