/**
 * `callrecords export --all-versions` and its import as a user runs them: real processes, real databases. The backup
 * must keep what the archive is for — every version of every record, which one is current, when each arrived.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/storage/open-database.js';
import { createTestApp, fixedClock } from './helpers/test-app.js';
import { runCli } from './helpers/server-process.js';
import { BACKENDS, DatabaseList, type Backend } from './helpers/databases.js';
import { cutShortCopy, makeRecord } from './helpers/records.js';

const ANNOTATION = '@callrecords.receivedDateTime';

/** The record ids the history below covers. */
const IDS = ['hist-1', 'hist-2', 'hist-3'];

/**
 * Three imports, one after another, so the versions arrive at three different times: hist-1 gets v1, then v2, then a
 * different v1 that arrives late (stale, kept in history only); hist-2 and hist-3 one version each.
 */
function buildHistory(dir: string, url: string): void {
  const late = makeRecord({ id: 'hist-1', version: 1, sessions: 2 });
  const files = [
    [makeRecord({ id: 'hist-1', version: 1 }), makeRecord({ id: 'hist-2', start: '2024-02-01T08:00:00Z' })],
    [makeRecord({ id: 'hist-1', version: 2 }), makeRecord({ id: 'hist-3', start: '2024-01-01T08:00:00Z' })],
    [late],
  ];
  files.forEach((records, i) => {
    const file = join(dir, `history-${i}.ndjson`);
    writeFileSync(file, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const res = runCli(['import', file, '--db', url, '--no-progress']);
    assert.equal(res.code, 0, res.stderr);
  });
}

/** `GET /api/callRecords/{id}/versions` for every id, as the service answers it from the database at `url`. */
async function historyListing(url: string): Promise<unknown[]> {
  const { app, close } = await createTestApp({ db: await openDatabase(url) });
  try {
    const bodies = [];
    for (const id of IDS) {
      const res = await app.inject({ method: 'GET', url: `/api/callRecords/${id}/versions` });
      assert.equal(res.statusCode, 200, res.body);
      bodies.push(res.json());
    }
    return bodies;
  } finally {
    await close();
  }
}

function exportAll(url: string): string {
  const res = runCli(['export', '--all-versions', '--db', url]);
  assert.equal(res.code, 0, res.stderr);
  return res.stdout;
}

/** Exports `from` with every version, imports that into `to` and checks that nothing was lost or changed. */
async function assertRoundTrip(dir: string, from: string, to: string): Promise<void> {
  const first = exportAll(from);
  const file = join(dir, `backup-${Math.random().toString(36).slice(2)}.ndjson`);
  writeFileSync(file, first);
  const load = runCli(['import', file, '--db', to, '--no-progress']);
  assert.equal(load.code, 0, load.stderr);
  assert.match(load.stdout, /inserted 3, updated 1, unchanged 0, stale 1, rejected 0/);
  assert.equal(exportAll(to), first, 'export --all-versions of the restored database is byte-identical');
  const [restored, original] = [to, from].map((url) => runCli(['export', '--db', url]));
  assert.equal(restored!.code, 0, restored!.stderr);
  assert.equal(original!.code, 0, original!.stderr);
  assert.equal(restored!.stdout, original!.stdout);
  assert.deepEqual(await historyListing(to), await historyListing(from));
}

for (const backend of BACKENDS) {
  describe(`callrecords export --all-versions (${backend.name})`, () => {
    let dir: string;
    let source: string;
    const databases = new DatabaseList(backend);
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'callrecords-history-'));
      source = databases.create('hist_src').url;
      buildHistory(dir, source);
    });
    after(() => databases.dropAll());
    after(() => rmSync(dir, { recursive: true, force: true }));

    test('writes every version, oldest receive first within each record, with its receive time', async () => {
      const lines = exportAll(source)
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      assert.deepEqual(
        lines.map((l) => [l.id, l.version, (l.sessions as unknown[]).length]),
        [
          ['hist-3', 1, 1],
          ['hist-2', 1, 1],
          ['hist-1', 1, 1],
          ['hist-1', 2, 1],
          ['hist-1', 1, 2],
        ],
      );
      const [listing] = (await historyListing(source)) as { value: { receivedDateTime: string }[] }[];
      const received = lines.slice(2).map((l) => l[ANNOTATION]);
      assert.deepEqual([...received].sort(), listing!.value.map((v) => v.receivedDateTime).sort());
      assert.equal(new Set(received).size, 3, 'three imports, three receive times');
      assert.equal(Object.keys(lines[0]!)[0], ANNOTATION, 'the annotation comes first, as OData puts them');
    });

    test('export → import into a fresh database → export is byte-identical, history included', async () => {
      await assertRoundTrip(dir, source, databases.create('hist_copy').url);
    });

    test('the plain export still writes the current version only, without annotations', () => {
      const lines = runCli(['export', '--db', source]).stdout.trim().split('\n');
      assert.equal(lines.length, 3);
      assert.doesNotMatch(lines.join('\n'), /@callrecords/);
    });

    test('a version its source cut short is still partial after the round trip, with its next link', async () => {
      const from = databases.create('hist_cut').url;
      const whole = makeRecord({ id: 'hist-cut', version: 3, sessions: 61 });
      const res = runCli(['import', '-', '--db', from, '--no-progress'], {
        input: JSON.stringify(cutShortCopy(whole)),
      });
      assert.equal(res.code, 0, res.stderr);
      const first = exportAll(from);
      assert.match(first, /"sessions@odata\.nextLink":"https:\/\/graph\.microsoft\.com\//);
      const to = databases.create('hist_cut_copy').url;
      const load = runCli(['import', '-', '--db', to, '--no-progress'], { input: first });
      assert.equal(load.code, 0, load.stderr);
      assert.match(load.stdout, /inserted 1, .*, partial 1/);
      assert.equal(exportAll(to), first);
      const { app, close } = await createTestApp({ db: await openDatabase(to) });
      try {
        const versions = (await app.inject({ method: 'GET', url: '/api/callRecords/hist-cut/versions' })).json();
        assert.equal(versions.value[0].partial, '60 of ≥ 61 sessions; follow sessions@odata.nextLink');
      } finally {
        await close();
      }
    });

    test('an unreadable receive time rejects that line only', () => {
      const line = JSON.stringify({ [ANNOTATION]: 'yesterday', ...makeRecord({ id: 'hist-bad' }) });
      const res = runCli(['import', '-', '--db', databases.create('hist_bad').url], { input: line + '\n' });
      assert.equal(res.code, 1);
      assert.match(res.stderr, /line 1 \(id hist-bad\): rejected: @callrecords\.receivedDateTime: not a UTC date-time/);
    });
  });
}

const other = (name: string): Backend | undefined => BACKENDS.find((b) => b.name === name);

describe('callrecords export --all-versions across stores', { skip: other('postgres') === undefined }, () => {
  let dir: string;
  const sqlite = new DatabaseList(other('sqlite')!);
  const postgres = new DatabaseList(other('postgres') ?? other('sqlite')!);
  before(() => (dir = mkdtempSync(join(tmpdir(), 'callrecords-history-'))));
  after(() => Promise.all([sqlite.dropAll(), postgres.dropAll()]));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('SQLite → PostgreSQL keeps every version, the current one and every receive time', async () => {
    const source = sqlite.create('hist_lite').url;
    buildHistory(dir, source);
    await assertRoundTrip(dir, source, postgres.create('hist_pg').url);
  });
});

for (const backend of BACKENDS) {
  test(`the ingest API ignores the receive-time annotation and stamps its own time (${backend.name})`, async () => {
    const { app, close } = await createTestApp({ backend });
    try {
      const line = JSON.stringify({ [ANNOTATION]: '2020-01-01T00:00:00.000Z', ...makeRecord({ id: 'api-annotated' }) });
      const res = await app.inject({
        method: 'POST',
        url: '/api/callRecords',
        headers: { 'content-type': 'application/x-ndjson' },
        payload: line + '\n',
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().value[0].status, 'inserted');
      const versions = await app.inject({ method: 'GET', url: '/api/callRecords/api-annotated/versions' });
      assert.deepEqual(
        versions.json().value.map((v: { receivedDateTime: string }) => v.receivedDateTime),
        [fixedClock.now().toISOString()],
      );
    } finally {
      await close();
    }
  });
}
