/**
 * The collector against a fake Graph (the archive's Graph read API, with faults), on every backend: whole records
 * past 60 sessions and 130 participants, 404 until ready, giving up with the reason visible, `updated` versions,
 * sweeps that queue what is missing or newer, a backfill resumed after a cut, and the status.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createCollector, type Collector } from '../src/collector/collector.js';
import { SyncStatus } from '../src/collector/sync-status.js';
import { backfill, periodicSweep } from '../src/collector/sweeper.js';
import { STATE } from '../src/collector/state-keys.js';
import { FakeClock } from '../src/fake-clock.js';
import type { CallRecordDatabase } from '../src/storage/roles.js';
import { BACKENDS } from './helpers/databases.js';
import { FAKE_GRAPH_URL, FakeGraph, graphError, settle } from './helpers/fake-graph.js';
import { makeRecord } from './helpers/records.js';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const NOW = Date.UTC(2024, 2, 2, 12);
const MIN = 60_000;

async function storedJson(db: CallRecordDatabase, id: string): Promise<unknown> {
  const [exported] = await db.records.exportRecords({}, undefined, 1000).then((all) => all.filter((r) => r.id === id));
  return exported === undefined ? undefined : JSON.parse(exported.rawJson);
}

for (const backend of BACKENDS) {
  describe(`collector: ${backend.name}`, () => {
    let db: CallRecordDatabase;
    let graph: FakeGraph;
    let clock: FakeClock;
    let collector: Collector;
    before(async () => {
      db = await backend.open();
      clock = new FakeClock(new Date(NOW));
      graph = await FakeGraph.create([], clock);
      collector = createCollector(
        {
          credentials: { tenantId: 't', clientId: 'c', authorityHost: 'x', graphUrl: FAKE_GRAPH_URL },
          sweepIntervalMs: 15 * MIN,
          tokens: { token: async () => 'token' },
          worker: { notReadyDelayMs: 30_000, notReadyCapMs: 60 * MIN },
        },
        db,
        { clock, fetch: graph.fetch, log: silent },
      );
    });
    after(async () => {
      await graph.close();
      await db.close();
    });

    /** Works the queue until nothing is queued or leased, advancing the clock for retries. */
    async function drain(): Promise<void> {
      for (let i = 0; i < 500; i++) {
        await settle(clock, collector.worker.runUntilIdle());
        const stats = await db.sync.queueStats(clock.now().getTime());
        if (stats.queued + stats.leased === 0) return;
        await clock.advance(10_000);
      }
      assert.fail('the queue did not drain');
    }

    test('a meeting of 150 sessions and 300 participants is stored whole, as Graph holds it', async () => {
      const big = makeRecord({ id: 'big', sessions: 150, participants: 300, start: '2024-03-02T08:00:00Z' });
      await graph.put([big]);
      await db.sync.enqueue([{ id: 'big', reason: 'created' }], clock.now().getTime());
      await drain();
      const stored = (await storedJson(db, 'big')) as { sessions: unknown[]; participants_v2: unknown[] };
      assert.equal(stored.sessions.length, 150);
      assert.equal(stored.participants_v2.length, 300);
      assert.deepEqual(stored, big);
      assert.equal((await db.history.listVersions('big')).find((v) => v.current)?.partial, undefined);
      assert.ok(graph.requestsFor('participants_v2').length >= 3, 'participants followed page by page');
    });

    test('a record that answers 404 five times is fetched once it is ready', async () => {
      await graph.put([makeRecord({ id: 'late', start: '2024-03-02T09:00:00Z' })]);
      let misses = 0;
      graph.faults.push((url) => {
        if (!url.includes('late') || misses >= 5) return undefined;
        misses++;
        return graphError(404, 'NotFound');
      });
      await db.sync.enqueue([{ id: 'late', reason: 'created' }], clock.now().getTime());
      await drain();
      graph.faults = [];
      assert.equal(misses, 5);
      assert.equal(graph.requestsFor('late?').length, 6, 'five 404s, then the record');
      assert.equal(((await storedJson(db, 'late')) as { id: string }).id, 'late');
    });

    test('a record that never appears is given up on after the cap, and the status says why', async () => {
      await db.sync.enqueue([{ id: 'ghost', reason: 'created' }], clock.now().getTime());
      await drain();
      const status = await new SyncStatus(db.sync, clock).report();
      assert.equal(status.queue.queued, 0);
      assert.equal(status.queue.failed, 1);
      assert.equal(status.failed[0]?.id, 'ghost');
      assert.match(status.failed[0]!.error, /404/);
      assert.ok(status.failed[0]!.attempts > 3);
    });

    test('an updated notification fetches again and stores the new version in the history', async () => {
      await graph.put([makeRecord({ id: 'grows', version: 1, start: '2024-03-02T10:00:00Z' })]);
      await db.sync.enqueue([{ id: 'grows', reason: 'created' }], clock.now().getTime());
      await drain();
      await graph.put([makeRecord({ id: 'grows', version: 2, start: '2024-03-02T10:00:00Z', sessions: 3 })]);
      await db.sync.enqueue([{ id: 'grows', reason: 'updated', knownVersion: 2 }], clock.now().getTime());
      await drain();
      assert.deepEqual(
        (await db.history.listVersions('grows')).map((v) => [v.version, v.current]),
        [
          [1, false],
          [2, true],
        ],
      );
    });

    test('a sweep queues what is missing or newer, keeps its cursor and findings', async () => {
      await graph.put([
        makeRecord({ id: 'sw-new', start: '2024-03-02T11:00:00Z' }),
        makeRecord({ id: 'grows', version: 3, start: '2024-03-02T10:00:00Z' }),
      ]);
      const findings = await settle(clock, periodicSweep(collector.sweepDeps, collector.owner));
      assert.ok(findings);
      assert.deepEqual([findings.missing, findings.newer], [1, 1]);
      assert.ok(findings.listed >= 4);
      assert.equal(await db.sync.getState(STATE.sweepCursor), findings.to);
      await drain();
      assert.equal((await db.history.listVersions('grows')).find((v) => v.current)?.version, 3);
      const again = await settle(clock, periodicSweep(collector.sweepDeps, collector.owner));
      assert.equal(again?.queued, 0, 'nothing left to fetch');
      const status = await new SyncStatus(db.sync, clock).report();
      assert.equal(status.lastSweep?.queued, 0);
      assert.ok(
        status.lag.samples >= 1 && status.lag.p95Seconds !== null,
        'lag of the first versions stored in the last hour',
      );
    });

    test('a sweep cursor moved back (a gap to repair) makes the next sweep start there', async () => {
      const gapStart = new Date(clock.now().getTime() - 3 * 86_400_000).toISOString();
      await db.sync.setState(STATE.sweepCursor, gapStart);
      const findings = await settle(clock, periodicSweep(collector.sweepDeps, collector.owner));
      assert.equal(findings?.from, gapStart);
      assert.equal(await db.sync.getState(STATE.sweepCursor), findings?.to);
    });

    test('a backfill cut short resumes where it stopped', async () => {
      await graph.put([
        makeRecord({ id: 'old-1', start: new Date(clock.now().getTime() - 2 * 86_400_000).toISOString() }),
      ]);
      let lists = 0;
      graph.faults.push((url) => (url.includes('callRecords?') && ++lists === 5 ? graphError(400, 'cut') : undefined));
      await assert.rejects(settle(clock, backfill(collector.sweepDeps, collector.owner, 3)));
      graph.faults = [];
      const cut = JSON.parse((await db.sync.getState(STATE.backfill))!) as {
        next: number;
        from: number;
        done: boolean;
      };
      assert.equal(cut.done, false);
      assert.ok(cut.next > cut.from);
      lists = 0;
      const seenBefore = graph.requestsFor('callRecords?').length;
      const findings = await settle(clock, backfill(collector.sweepDeps, collector.owner, 3));
      assert.equal(new Date(findings.from).getTime(), cut.next, 'resumed at the cursor');
      assert.ok(graph.requestsFor('callRecords?').length - seenBefore < 12, 'not from the start');
      await drain();
      assert.ok(await storedJson(db, 'old-1'));
    });
  });
}
