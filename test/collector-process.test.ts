/**
 * The collector as operators run it, against a `callrecords graph-simulator` process over HTTPS (MSAL without
 * instance discovery, the simulator's certificate trusted through NODE_EXTRA_CA_CERTS): `serve --sync` killed with
 * SIGKILL during a backfill and restarted stores every record; `callrecords sync --backfill-days` fills an archive
 * and exits; two instances on one PostgreSQL database store each record once. Each archive is compared with
 * `callrecords export` of the simulator's own database.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BACKENDS, DatabaseList } from './helpers/databases.js';
import { POSTGRES_ENABLED } from './helpers/postgres.js';
import { runCli, startServer, type ServerProcess } from './helpers/server-process.js';
import { startSimulator, type SimulatorProcess } from './helpers/simulator-process.js';
import { createSelfSignedCert, type SelfSignedCert } from './helpers/tls.js';

const TENANT = 'c0ffee00-0000-4000-8000-0000000000aa';
const CLIENT = 'a1b2c3d4-0000-4000-8000-0000000000bb';
const SECRET = 'collector-secret';
const DAY = 86_400_000;

let dir: string;
let cert: SelfSignedCert;
let sim: SimulatorProcess;
let simDb: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'callrecords-collector-'));
  cert = createSelfSignedCert(dir);
  simDb = join(dir, 'tenant.db');
  // 80 calls that all ended days ago (plus the simulator's meeting past both page sizes); 429s at the limits and
  // 503s on, so the collector's budgets and retries are exercised.
  sim = await startSimulator([
    ...['--tls-cert', cert.certFile, '--tls-key', cert.keyFile, '--db', `sqlite:${simDb}`],
    ...['--calls', '80', '--from', new Date(Date.now() - 7 * DAY).toISOString(), '--days', '4', '--seed', '11'],
    ...['--faults', '429,503', '--fault-rate', '0.05'],
    ...['--tenant-id', TENANT, '--client-id', CLIENT, '--client-secret', SECRET],
  ]);
});

after(async () => {
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const ENV = { NODE_EXTRA_CA_CERTS: '' };
function graphArgs(): string[] {
  ENV.NODE_EXTRA_CA_CERTS = cert.certFile;
  return [
    ...['--graph-tenant-id', TENANT, '--graph-client-id', CLIENT, '--graph-client-secret', SECRET],
    ...['--graph-url', sim.url, '--authority-host', sim.url],
  ];
}

/** `callrecords export` of a database, as records by id. */
function exported(db: string): Map<string, unknown> {
  const run = runCli(['export', '--db', db]);
  assert.equal(run.code, 0, run.stderr);
  const records = run.stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as { id: string });
  return new Map(records.map((r) => [r.id, r]));
}

function assertSameRecords(archive: string): void {
  const expected = exported(`sqlite:${simDb}`);
  const actual = exported(archive);
  assert.ok(expected.size >= 80);
  assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort());
  for (const [id, record] of expected) assert.deepEqual(actual.get(id), record, id);
}

/** Polls `GET /api/sync/status` until the backfill is done and nothing is queued or in progress. */
async function waitUntilSettled(server: ServerProcess, timeoutMs = 120_000): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = (await (await fetch(`${server.url}/api/sync/status`)).json()) as {
      backfill: { done?: boolean } | null;
      queue: { queued: number; inProgress: number; failed: number };
    };
    if (status.backfill?.done === true && status.queue.queued + status.queue.inProgress === 0) return status;
    if (Date.now() > deadline) assert.fail(`the collector did not settle: ${JSON.stringify(status)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const storedLines = (server: ServerProcess) => server.logs.filter((l) => l.includes('"msg":"sync: stored"'));

for (const backend of BACKENDS) {
  describe(`collector processes: ${backend.name}`, () => {
    const dbs = new DatabaseList(backend);
    after(() => dbs.dropAll());

    test('serve --sync killed with SIGKILL during a backfill, then restarted: every record is stored', async () => {
      const archive = dbs.create('killbf');
      const args = ['--db', archive.url, '--sync', ...graphArgs(), '--backfill-days', '8', '--fetch-lease', '2s'];
      const first = await startServer(args, ENV, { startTimeoutMs: 60_000 });
      let stored = 0;
      await first.waitForLog((line) => line.includes('"msg":"sync: stored"') && ++stored >= 5);
      assert.equal(await first.stop('SIGKILL'), null);
      const second = await startServer(args, ENV, { startTimeoutMs: 60_000 });
      try {
        const status = await waitUntilSettled(second);
        assert.deepEqual(status.failed, []);
      } finally {
        await second.stop();
      }
      assertSameRecords(archive.url);
    });

    test('callrecords sync --backfill-days fills the archive, prints a summary and exits 0', () => {
      const archive = dbs.create('syncbf');
      const run = runCli(['sync', '--db', archive.url, ...graphArgs(), '--backfill-days', '8'], { env: ENV });
      assert.equal(run.code, 0, run.stderr);
      const summary = JSON.parse(run.stdout) as { listed: number; queued: number; failed: number; left: number };
      assert.ok(summary.listed >= 80 && summary.queued === summary.listed, JSON.stringify(summary));
      assert.deepEqual([summary.failed, summary.left], [0, 0]);
      assertSameRecords(archive.url);
      // The telephony logs are pulled too (log-pull.ts): every kind, none refused, rows of the simulator's calls.
      const logs = (JSON.parse(run.stdout) as { logs: { kind: string; received: number; rejected: number }[] }).logs;
      assert.equal(logs.length, 5, JSON.stringify(logs));
      assert.ok(logs.every((f) => f.rejected === 0) && logs.some((f) => f.received > 0), JSON.stringify(logs));
    });
  });
}

describe(
  'two collectors on one PostgreSQL database',
  { skip: !POSTGRES_ENABLED && 'PostgreSQL is not running' },
  () => {
    const dbs = new DatabaseList(BACKENDS.find((b) => b.name === 'postgres') ?? BACKENDS[0]!);
    after(() => dbs.dropAll());

    test('share the work: each record is fetched and stored by one of them, once; nothing is lost', async () => {
      const archive = dbs.create('twosync');
      const args = ['--db', archive.url, '--sync', ...graphArgs(), '--backfill-days', '8'];
      const [a, b] = await Promise.all([
        startServer(args, ENV, { startTimeoutMs: 60_000 }),
        startServer(args, ENV, { startTimeoutMs: 60_000 }),
      ]);
      try {
        await waitUntilSettled(a);
      } finally {
        await Promise.all([a.stop(), b.stop()]);
      }
      const ids = [...storedLines(a), ...storedLines(b)].map((l) => (JSON.parse(l) as { id: string }).id);
      assert.equal(new Set(ids).size, ids.length, 'no record stored twice');
      assert.ok(storedLines(a).length > 0 && storedLines(b).length > 0, 'both instances worked');
      assertSameRecords(archive.url);
    });
  },
);

test('sync without an app or a credential, or with more than 30 days, is a configuration error (exit 2)', () => {
  const cases: [string[], RegExp][] = [
    [['--graph-client-id', CLIENT, '--graph-client-secret', SECRET], /needs --graph-tenant-id/],
    [['--graph-tenant-id', TENANT, '--graph-client-id', CLIENT], /one of --graph-client-secret and/],
    [[...graphArgs(), '--backfill-days', '31'], /at most 30/],
    [[...graphArgs(), '--fetch-lease', 'soon'], /--fetch-lease must be a duration/],
  ];
  for (const [args, message] of cases) {
    const run = runCli(['sync', '--db', 'sqlite::memory:', ...args]);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, message);
  }
});
