/**
 * Several processes on one SQLite file, as the README's own sequence has it: `callrecords serve` takes POSTs while
 * `callrecords import`, `export` and `migrate` run on the same file. They wait for each other instead of failing; a
 * process that must give up (here: a lock held longer than `--lock-timeout`) says how far it got, its exit status or
 * HTTP status says so, and doing it again completes the job.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import BetterSqlite3 from 'better-sqlite3';
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { finished } from 'node:stream/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeGeneratedNdjson } from '../src/generate/index.js';
import { makeRecord } from './helpers/records.js';
import { runCli, spawnCli, startServer, type CliRun } from './helpers/server-process.js';

const IMPORTED = 3000;
/** Records per POST, and POSTs in flight at once. */
const PER_POST = 3;
const IN_FLIGHT = 2;

const ids = (ndjson: string) =>
  ndjson
    .trim()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line).id as string);

/** POSTs small batches of new records to `url` until `stop()`; `stop` resolves to the ids acknowledged and the failures. */
function keepPosting(url: string): {
  posted(): number;
  stop(): Promise<{ acknowledged: string[]; failures: string[] }>;
} {
  let running = true;
  let next = 0;
  const acknowledged: string[] = [];
  const failures: string[] = [];
  const poster = async () => {
    while (running) {
      const batch = Array.from({ length: PER_POST }, () => {
        const n = next++;
        const start = new Date(Date.UTC(2024, 5, 1) + n * 60_000).toISOString();
        return makeRecord({ id: `posted-${n}`, start });
      });
      const res = await fetch(`${url}/api/callRecords`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson' },
        body: batch.map((r) => JSON.stringify(r)).join('\n'),
      });
      const text = await res.text();
      if (res.status === 200 && JSON.parse(text).summary.inserted === PER_POST) {
        acknowledged.push(...batch.map((r) => r.id as string));
      } else failures.push(`${res.status} ${text}`);
    }
  };
  const posters = Array.from({ length: IN_FLIGHT }, poster);
  return {
    posted: () => acknowledged.length,
    stop: async () => {
      running = false;
      await Promise.all(posters);
      return { acknowledged, failures };
    },
  };
}

describe('one SQLite file, several processes', () => {
  let dir: string;
  let importFile: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'callrecords-shared-'));
    importFile = join(dir, 'generated.ndjson');
    const out = createWriteStream(importFile);
    const options = { calls: IMPORTED, seed: 8, from: new Date('2025-01-01T00:00:00Z'), days: 30, versions: false };
    await writeGeneratedNdjson(options, out);
    out.end();
    await finished(out);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('import, export and migrate beside a server taking POSTs all complete, and every record is stored', async () => {
    const db = `sqlite:${join(dir, 'shared.db')}`;
    const server = await startServer(['--db', db]);
    let runs: CliRun[];
    let posts: { acknowledged: string[]; failures: string[] };
    try {
      const posting = keepPosting(server.url);
      const imported = spawnCli(['import', importFile, '--db', db, '--no-progress']);
      // While the import runs: an export of the posted records' months, and a migrate, each on the same file.
      const exported = spawnCli(['export', '--db', db, '--to', '2025-01-01']);
      const migrated = spawnCli(['migrate', '--db', db]);
      runs = await Promise.all([imported.done, exported.done, migrated.done]);
      posts = await posting.stop();
    } finally {
      assert.equal(await server.stop(), 0);
    }
    const [imported, exported, migrated] = runs;
    assert.equal(imported!.code, 0, imported!.stderr);
    assert.match(imported!.stdout, new RegExp(`: ${IMPORTED} records in `));
    assert.match(imported!.stdout, new RegExp(`inserted ${IMPORTED}, updated 0, unchanged 0, stale 0, rejected 0`));
    assert.equal(exported!.code, 0, exported!.stderr);
    ids(exported!.stdout); // whole NDJSON lines, however the writes interleaved
    assert.equal(migrated!.code, 0, migrated!.stderr);
    assert.match(migrated!.stdout, /the sqlite database is up to date/);

    assert.deepEqual(posts.failures, [], 'every POST is acknowledged');
    assert.ok(posts.acknowledged.length > 0);
    const stored = new Set(ids(runCli(['export', '--db', db]).stdout));
    const missing = posts.acknowledged.filter((id) => !stored.has(id));
    assert.deepEqual(missing, [], 'every acknowledged POST is stored');
    assert.equal(stored.size, IMPORTED + posts.acknowledged.length, 'the archive holds the union, each record once');
  });

  test('processes opening a new file at the same moment all migrate it, once', async () => {
    const path = join(dir, 'new.db');
    // migrate refuses a file that is not there (it would create an empty database): an empty file is a new database.
    writeFileSync(path, '');
    const runs = await Promise.all(
      Array.from({ length: 4 }, () => spawnCli(['migrate', '--db', `sqlite:${path}`]).done),
    );
    assert.deepEqual(
      runs.map((r) => [r.code, r.stderr]),
      runs.map(() => [0, '']),
    );
    const db = new BetterSqlite3(path, { readonly: true });
    try {
      const names = db.prepare('select name from kysely_migration order by name').all() as { name: string }[];
      assert.deepEqual(
        names.map((r) => r.name),
        ['0001-initial', '0002-postgres-partitions', '0003-completeness', '0004-sync-state', '0005-subscriptions'],
      );
    } finally {
      db.close();
    }
  });

  describe('when a process holds the file longer than --lock-timeout', () => {
    const path = () => join(dir, 'held.db');
    let holder: BetterSqlite3.Database;
    before(() => {
      writeFileSync(path(), '');
      assert.equal(runCli(['migrate', '--db', `sqlite:${path()}`]).code, 0);
      holder = new BetterSqlite3(path());
      holder.pragma('busy_timeout = 5000');
    });
    after(() => holder.close());
    const count = () => (holder.prepare('select count(*) as n from call_records').get() as { n: number }).n;

    test('import says up to which line it stored records and exits 75; running it again completes it', async () => {
      const db = `sqlite:${path()}`;
      const lines = Array.from({ length: 1500 }, (_, i) =>
        JSON.stringify(
          makeRecord({ id: `held-${i}`, start: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString() }),
        ),
      );
      const importer = spawnCli(['import', '-', '--db', db, '--no-progress', '--lock-timeout', '1'], { stdin: true });
      // The first 600 records fill one batch (500 or more; the rest waits for more input) and it is written.
      importer.child.stdin!.write(lines.slice(0, 600).join('\n') + '\n');
      while (count() === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      const written = count();
      holder.prepare('begin immediate').run();
      let stopped: CliRun;
      try {
        importer.child.stdin!.end(lines.slice(600).join('\n') + '\n');
        stopped = await importer.done;
        assert.equal(count(), written, 'nothing more was stored while the lock was held');
      } finally {
        holder.prepare('commit').run();
      }
      assert.equal(stopped.code, 75, stopped.stderr);
      assert.match(stopped.stdout, new RegExp(`^stdin: ${written} records in `, 'm'));
      assert.match(stopped.stdout, new RegExp(`inserted ${written}, updated 0, unchanged 0, stale 0, rejected 0`));
      assert.match(stopped.stderr, /^callrecords: import stopped before the end: The SQLite database stayed locked/m);
      assert.match(
        stopped.stderr,
        new RegExp(`the first ${written} records \\(through line ${written}\\) are stored, nothing after them`),
      );
      assert.equal(count(), written);

      const again = runCli(['import', '-', '--db', db, '--no-progress'], { input: lines.join('\n') + '\n' });
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stdout, new RegExp(`inserted ${1500 - written}, updated 0, unchanged ${written}, stale 0`));
      assert.equal(count(), 1500);
    });

    test('the server answers a POST it cannot store in time with a Graph 503 and Retry-After, and reads go on', async () => {
      const server = await startServer(['--db', `sqlite:${path()}`, '--lock-timeout', '1']);
      const post = (id: string) =>
        fetch(`${server.url}/api/callRecords`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(makeRecord({ id })),
        });
      try {
        holder.prepare('begin immediate').run();
        let refused: Response;
        let health: Response;
        let migrated: CliRun;
        try {
          refused = await post('held-post');
          health = await fetch(`${server.url}/api/health`);
          migrated = await spawnCli(['migrate', '--db', `sqlite:${path()}`, '--lock-timeout', '1']).done;
        } finally {
          holder.prepare('commit').run();
        }
        assert.equal(refused.status, 503);
        assert.equal(refused.headers.get('retry-after'), '5');
        const body = (await refused.json()) as { error: { code: string; message: string; innerError: object } };
        assert.equal(body.error.code, 'serviceNotAvailable');
        assert.match(body.error.message, /locked by another process/);
        assert.ok(body.error.innerError);
        assert.equal(health.status, 200, 'reads do not wait for the lock');
        assert.equal(migrated.code, 0, migrated.stderr);

        const accepted = await post('held-post');
        assert.equal(accepted.status, 200);
        assert.equal(((await accepted.json()) as { summary: { inserted: number } }).summary.inserted, 1);
      } finally {
        assert.equal(await server.stop(), 0);
      }
    });
  });
});
