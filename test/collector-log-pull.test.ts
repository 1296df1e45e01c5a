/**
 * The collector pulls the telephony logs from the Graph simulator (issue 14, point 3): every kind, window by window,
 * every page; afterwards the archive holds exactly the simulator's rows; a second pull fetches nothing new (the
 * cursor per kind); a pull cut short in the middle of a window resumes without loss and without storing a row twice.
 * In process, on one FakeClock, every request through `inject`; both stores.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { aggregateDialout } from '../src/call-logs/dialout-aggregate.js';
import { LOG_KINDS } from '../src/call-logs/log-kinds.js';
import { createCollector, type SyncConfig } from '../src/collector/collector.js';
import { logCursorKey, pullAllLogs, pullLogKind, type LogPullFindings } from '../src/collector/log-pull.js';
import { SyncStatus } from '../src/collector/sync-status.js';
import type { Fetch } from '../src/runtime/runtime.js';
import type { CallRecordDatabase } from '../src/storage/roles.js';
import { loadTenantLogs } from '../src/simulator/tenant-logs.js';
import { BACKENDS } from './helpers/databases.js';
import { injectFetch } from './helpers/inject-fetch.js';
import { createTestSimulator, TEST_REGISTRATION, type TestSimulator } from './helpers/simulator.js';

const NOW = new Date('2026-11-26T12:00:00.000Z');
const DAY = 86_400_000;
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
/** 100 days of calls: the row logs take two 90-day windows, the dial-out report one window per day. */
const SHAPE = { calls: 500, seed: 7, from: new Date(NOW.getTime() - 100 * DAY), days: 100, versions: false };
/** Pages of this many rows (Prefer: odata.maxpagesize), so every window has several. */
const PAGE = 9;
const UNLIMITED = { windowMs: 60_500, app: 1e9, record: 1e9, list: 1e9 };
const ALL_TIME = { fromKey: '2000-01-01T00:00:00.0000000Z', toKey: '2100-01-01T00:00:00.0000000Z' };

/** A fetch to the simulator asking for small pages, that can be made to fail (HTTP 400) from a given request on. */
function simulatorFetch(sim: TestSimulator, failAfter = Infinity): { fetch: Fetch; functionCalls: string[] } {
  const functionCalls: string[] = [];
  const inner = injectFetch(sim.app);
  const fetch: Fetch = async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    functionCalls.push(decodeURIComponent(new URL(url).pathname));
    if (functionCalls.length > failAfter) return new Response('{"error":{"code":"BadRequest"}}', { status: 400 });
    const headers = new Headers(init?.headers);
    headers.set('prefer', `odata.maxpagesize=${PAGE}`);
    return inner(input, { ...init, headers });
  };
  return { fetch, functionCalls };
}

function collectorOver(db: CallRecordDatabase, sim: TestSimulator, fetch: Fetch) {
  const config: SyncConfig = {
    credentials: {
      tenantId: TEST_REGISTRATION.tenantId,
      clientId: TEST_REGISTRATION.clientId,
      clientSecret: TEST_REGISTRATION.clientSecret,
      authorityHost: 'https://simulator.test',
      graphUrl: 'https://simulator.test',
    },
    sweepIntervalMs: 60_000,
    tokens: { token: async () => (await sim.auth()).authorization.slice('Bearer '.length) },
    logLimits: UNLIMITED,
    logSettleMs: 0,
  };
  return createCollector(config, db, { clock: sim.clock, fetch, log: silent });
}

/** Every stored row of every kind (dial-out reports with their periods), as `key json` lines in time order. */
async function tables(db: CallRecordDatabase): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const kind of LOG_KINDS) {
    const rows =
      kind.timeProperty === undefined
        ? await db.callLogs.listPeriodRows(kind.table, ALL_TIME.fromKey, ALL_TIME.toKey)
        : await db.callLogs.listRows(kind.table, { ...ALL_TIME, toInclusive: true }, undefined, 1e6);
    out[kind.name] = rows.map((r) => `${r.timeKey} ${r.rowKey} ${r.json}`);
  }
  return out;
}

const total = (found: LogPullFindings[] | undefined, name: keyof LogPullFindings) =>
  (found ?? []).reduce((sum, f) => sum + (f[name] as number), 0);

for (const backend of BACKENDS) {
  describe(`the collector pulls the telephony logs from the simulator (${backend.name})`, () => {
    test('every kind ends equal to the simulator, and a second pull fetches nothing new', async () => {
      const sim = await createTestSimulator({ backend, now: NOW });
      const archive = await backend.open();
      try {
        const loaded = await loadTenantLogs(sim.db.callLogs, sim.clock, SHAPE);
        for (const kind of LOG_KINDS) assert.ok(loaded[kind.name] > 0, `the simulator has ${kind.name} rows`);
        assert.ok(loaded.pstnCalls + loaded.directRoutingCalls > 3 * PAGE, 'several pages');
        const { fetch, functionCalls } = simulatorFetch(sim);
        const collector = collectorOver(archive, sim, fetch);

        const first = await pullAllLogs(collector.logDeps, collector.owner, 110);
        assert.equal(first?.length, LOG_KINDS.length);
        assert.equal(total(first, 'rejected'), 0);
        const pstn = first!.find((f) => f.kind === 'pstnCalls')!;
        assert.equal(pstn.windows, 2, 'two windows of at most 90 days');
        assert.ok(pstn.requests > 2, 'next links followed');
        for (const call of functionCalls) {
          const m = /(get\w+)\(fromDateTime=([^,]+),toDateTime=([^)]+)\)/.exec(call);
          if (m === null) continue;
          assert.ok(Date.parse(m[3]!) - Date.parse(m[2]!) <= 90 * DAY, `${call}: at most 90 days`);
          assert.ok(call.startsWith('/beta/'), `${call}: from beta, whose rows have every property`);
        }

        const status = await new SyncStatus(archive.sync, sim.clock).report();
        for (const entry of status.logs) {
          assert.equal(
            entry.cursor,
            entry.kind.startsWith('pstnOnline') ? '2026-11-26T00:00:00.000Z' : NOW.toISOString(),
          );
          assert.equal(entry.lastPull?.rejected, 0, `${entry.kind} in the status`);
        }

        // The day of NOW ends; a pull then fetches only that day's dial-out report, nothing else.
        await sim.clock.advance(13 * 60 * 60_000);
        const before = functionCalls.length;
        const second = await pullAllLogs(collector.logDeps, collector.owner, 110);
        assert.equal(total(second, 'received') - second!.find((f) => f.kind.startsWith('pstnOnline'))!.received, 0);
        assert.equal(total(second, 'unchanged'), 0, 'no row fetched twice');
        assert.ok(functionCalls.length - before <= LOG_KINDS.length, 'one request per kind');

        const [mine, theirs] = [await tables(archive), await tables(sim.db)];
        for (const kind of LOG_KINDS) sameRows(mine[kind.name]!, theirs[kind.name]!, kind.name);
        // The function's answer over the whole span (a sum of the daily reports) is the simulator's too.
        const report = async (db: CallRecordDatabase) =>
          aggregateDialout(
            (await db.callLogs.listPeriodRows('pstn_dialout_reports', ALL_TIME.fromKey, ALL_TIME.toKey)).map(
              (r) => JSON.parse(r.json) as Record<string, unknown>,
            ),
          );
        assert.deepEqual(await report(archive), await report(sim.db));
      } finally {
        await archive.close();
        await sim.close();
      }
    });

    test('a pull cut short between pages and windows resumes without loss, each row stored once', async () => {
      const sim = await createTestSimulator({ backend, now: NOW });
      const archive = await backend.open();
      try {
        await loadTenantLogs(sim.db.callLogs, sim.clock, SHAPE);
        // Graph refuses the 3rd request on: pstnCalls has stored two pages, its cursor has not moved.
        const broken = simulatorFetch(sim, 2);
        const crashed = collectorOver(archive, sim, broken.fetch);
        const cut = await pullAllLogs(crashed.logDeps, crashed.owner, 110);
        const pstn = cut!.find((f) => f.kind === 'pstnCalls');
        assert.equal(pstn, undefined, 'the pull of pstnCalls failed');
        assert.equal(await archive.sync.getState(logCursorKey(LOG_KINDS[0]!)), undefined, 'its cursor unmoved');
        const partial = (await tables(archive)).pstnCalls!.length;
        assert.equal(partial, 2 * PAGE, 'the pages before the break are stored');

        // A restart (a new collector over the same database) finishes the job.
        const restarted = collectorOver(archive, sim, simulatorFetch(sim).fetch);
        const resumed = await pullAllLogs(restarted.logDeps, restarted.owner, 110);
        const again = resumed!.find((f) => f.kind === 'pstnCalls')!;
        assert.equal(again.unchanged, partial, 'the window is read again; its stored rows are left as they are');
        const [mine, theirs] = [await tables(archive), await tables(sim.db)];
        for (const kind of LOG_KINDS) sameRows(mine[kind.name]!, theirs[kind.name]!, kind.name);
      } finally {
        await archive.close();
        await sim.close();
      }
    });

    test('a pull stopped between two windows resumes at the second, fetching nothing twice', async () => {
      const sim = await createTestSimulator({ backend, now: NOW });
      const archive = await backend.open();
      try {
        await loadTenantLogs(sim.db.callLogs, sim.clock, SHAPE);
        const pstnCalls = LOG_KINDS.find((k) => k.name === 'pstnCalls')!;
        const stopped = collectorOver(archive, sim, simulatorFetch(sim).fetch);
        const first = await pullLogKind(stopped.logDeps, pstnCalls, 110, () => false);
        assert.equal(first.windows, 1, 'stopped after the first window');
        const cursor = await archive.sync.getState(logCursorKey(pstnCalls));
        assert.equal(cursor, new Date(NOW.getTime() - 20 * DAY).toISOString(), 'the cursor at the first window end');

        const restarted = collectorOver(archive, sim, simulatorFetch(sim).fetch);
        const rest = await pullLogKind(restarted.logDeps, pstnCalls, 110);
        assert.equal(rest.windows, 1, 'only the second window');
        assert.equal(rest.unchanged, 0, 'no row fetched twice');
        assert.equal(first.inserted + rest.inserted, (await tables(sim.db)).pstnCalls!.length);
        sameRows((await tables(archive)).pstnCalls!, (await tables(sim.db)).pstnCalls!, 'pstnCalls');
      } finally {
        await archive.close();
        await sim.close();
      }
    });
  });
}

/** The two tables hold the same rows; on a difference, the first differing row of each (not thousands of lines). */
function sameRows(mine: string[], theirs: string[], kind: string): void {
  const i = mine.findIndex((line, n) => line !== theirs[n]);
  if (i < 0 && mine.length === theirs.length) return;
  assert.fail(`${kind}: ${mine.length} rows vs ${theirs.length}; first difference:\n${mine[i]}\n${theirs[i]}`);
}
