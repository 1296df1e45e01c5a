/**
 * Issue 10 acceptance: `serve --sync --notification-url` killed with SIGKILL while Graph's change notifications are
 * queued, then restarted with the same arguments, stores every record. Real processes: a `graph-simulator` whose calls
 * end a few seconds after the test starts (`404` until ready, so each notified id waits in the queue for its retry),
 * and the server on a fixed port that the simulator's notifications reach. The archive is compared with `callrecords
 * export` of the simulator's own database.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shiftRecord } from '../src/simulator/shift-record.js';
import { BACKENDS, DatabaseList } from './helpers/databases.js';
import { runCli, startServer, type ServerProcess } from './helpers/server-process.js';
import { startSimulator, type SimulatorProcess } from './helpers/simulator-process.js';
import { createSelfSignedCert, httpsJson } from './helpers/tls.js';

const TENANT = 'c0ffee00-0000-4000-8000-0000000000cc';
const CLIENT = 'a1b2c3d4-0000-4000-8000-0000000000dd';
const SECRET = 'notify-kill-secret';
const CALLS = 20;
/** The first call ends this long after the test starts (time for both processes to start and subscribe)… */
const LEAD_MS = 12_000;
/** …and the others within this much more. With `--speed 200` each is readable 4.5–18 s after its end. */
const SPREAD_MS = 6_000;

interface SyncStatus {
  queue: { queued: number; inProgress: number; failed: number; oldest: { queuedDateTime: string } | null };
  subscription: { id: string } | null;
}
interface SimulatorStats {
  tenant: { versionsReleased: number; versionsPending: number };
  notifications: { delivered: number; outboxDepth: number };
}

/** A port that was free a moment ago (listen on 0, close): the server must be told its URL before it starts. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** `callrecords generate` calls moved so that call `i` ends at `firstEnd + i × step` (calls still going on). */
function liveCalls(firstEnd: number, step: number): string {
  const run = runCli(['generate', '--calls', String(CALLS), '--seed', '23', '--days', '1']);
  assert.equal(run.code, 0, run.stderr);
  const records = run.stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  return records
    .map((r, i) => shiftRecord(r, firstEnd + i * step - Date.parse(String(r.endDateTime))))
    .map((r) => `${JSON.stringify(r)}\n`)
    .join('');
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

async function statusOf(server: ServerProcess): Promise<SyncStatus> {
  return (await (await fetch(`${server.url}/api/sync/status`)).json()) as SyncStatus;
}

/** Polls `check` every 100 ms until it returns a value, or fails with `what` and the last value seen. */
async function until<T>(
  what: string | (() => string),
  timeoutMs: number,
  check: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

for (const backend of BACKENDS) {
  describe(`collector notifications, kill -9: ${backend.name}`, () => {
    test('serve --sync killed with SIGKILL while notifications are queued, then restarted: every record is stored', async () => {
      const dbs = new DatabaseList(backend);
      const dir = mkdtempSync(join(tmpdir(), 'callrecords-notify-kill-'));
      const processes: (ServerProcess | SimulatorProcess)[] = [];
      try {
        const cert = createSelfSignedCert(dir);
        const simDb = `sqlite:${join(dir, 'tenant.db')}`;
        writeFileSync(join(dir, 'live.ndjson'), liveCalls(Date.now() + LEAD_MS, SPREAD_MS / CALLS));
        const sim = await startSimulator([
          ...['--tls-cert', cert.certFile, '--tls-key', cert.keyFile, '--db', simDb],
          ...['--records', join(dir, 'live.ndjson'), '--speed', '200', '--faults', '404'],
          ...['--tenant-id', TENANT, '--client-id', CLIENT, '--client-secret', SECRET],
        ]);
        processes.push(sim);
        const simStats = async () =>
          (await httpsJson(`${sim.url}/_simulator/stats`, { ca: cert.cert })).body as SimulatorStats;

        const port = await freePort();
        const archive = dbs.create('notifykill');
        const args = [
          ...['--db', archive.url, '--sync', '--port', String(port), '--notification-url', `http://127.0.0.1:${port}`],
          ...['--graph-tenant-id', TENANT, '--graph-client-id', CLIENT, '--graph-client-secret', SECRET],
          ...['--graph-url', sim.url, '--authority-host', sim.url, '--sweep-interval', '1h', '--fetch-lease', '2s'],
        ];
        const env = { NODE_EXTRA_CA_CERTS: cert.certFile };
        const first = await startServer(args, env, { startTimeoutMs: 60_000 });
        processes.push(first);
        assert.equal(first.url, `http://127.0.0.1:${port}`);
        await until(
          () => `the Graph subscription: ${first.logs.slice(-8).join('\n')}`,
          30_000,
          async () =>
            first.logs.some((line) => line.includes('"msg":"Graph subscription created"')) ? true : undefined,
        );
        // Every call must come after the subscription, so that only notifications (no later sweep) bring it.
        assert.equal((await simStats()).tenant.versionsReleased, 0, 'the server subscribed too late; raise LEAD_MS');

        // Notified ids wait in the queue (404 until ready, retried after 30 s): kill the server then.
        const before = await until('notified ids in the queue', LEAD_MS + 30_000, async () => {
          const status = await statusOf(first);
          return status.queue.queued > 0 ? status : undefined;
        });
        assert.ok(first.logs.some((line) => line.includes('"msg":"notifications received"')));
        const killedAt = Date.now();
        assert.equal(await first.stop('SIGKILL'), null);

        const second = await startServer(args, env, { startTimeoutMs: 60_000 });
        processes.push(second);
        // The queue outlived the process: what was waiting before the kill is still there.
        const after = await statusOf(second);
        assert.ok(after.queue.queued + after.queue.inProgress > 0, JSON.stringify(after));
        assert.ok(Date.parse(after.queue.oldest!.queuedDateTime) < killedAt, JSON.stringify({ before, after }));
        assert.equal(after.subscription?.id, before.subscription?.id, 'the same Graph subscription is kept');

        await until('the simulator and the archive to settle', 90_000, async () => {
          const stats = await simStats();
          if (stats.tenant.versionsPending + stats.notifications.outboxDepth > 0) return undefined;
          const status = await statusOf(second);
          return status.queue.queued + status.queue.inProgress === 0 ? status : undefined;
        });
        const settled = await statusOf(second);
        assert.equal(settled.queue.failed, 0, JSON.stringify(settled));

        const expected = exported(simDb);
        const actual = exported(archive.url);
        assert.equal(expected.size, CALLS);
        assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort());
        for (const [id, record] of expected) assert.deepEqual(actual.get(id), record, id);
      } finally {
        // A process already ended by a signal has a null exitCode: stop() would wait for an exit that has passed.
        for (const p of processes.filter((p) => p.child.signalCode === null)) await p.stop();
        await dbs.dropAll();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
