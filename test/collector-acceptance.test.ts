/**
 * Issue 10's acceptance run, in process on a FakeClock: the collector against the Graph simulator with every fault
 * on (404 until ready, 429s at the limits, 503s, dropped notifications, `updated` versions, reauthorization events,
 * a meeting past 60 sessions and 130 participants). Notifications the simulator delivers are queued as the webhook
 * receiver queues them; sweeps repair the dropped ones. After the run settles the archive holds exactly the
 * simulator's records at their highest versions, the status shows an empty queue, and the simulator counted no
 * 20 s window over Graph's budgets. On every backend (the archive's database).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createCollector } from '../src/collector/collector.js';
import { STATE } from '../src/collector/state-keys.js';
import { SyncStatus } from '../src/collector/sync-status.js';
import { periodicSweep } from '../src/collector/sweeper.js';
import { backfill } from '../src/collector/sweeper.js';
import { tenantRecords, isBigMeeting } from '../src/simulator/tenant-records.js';
import type { CallRecordDatabase } from '../src/storage/roles.js';
import type { FetchReason } from '../src/storage/sync-state.js';
import { BACKENDS } from './helpers/databases.js';
import { settle } from './helpers/fake-graph.js';
import { injectFetch } from './helpers/inject-fetch.js';
import { createTestSimulator, TEST_REGISTRATION } from './helpers/simulator.js';

const NOW = new Date('2026-11-26T12:00:00.000Z');
const MIN = 60_000;
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** Every current record of a database by id, parsed. */
async function currentRecords(db: CallRecordDatabase): Promise<Map<string, Record<string, unknown>>> {
  const all = new Map<string, Record<string, unknown>>();
  let after: { startKey: string; id: string } | undefined;
  for (;;) {
    const page = await db.records.exportRecords({}, after, 500);
    for (const r of page) all.set(r.id, JSON.parse(r.rawJson) as Record<string, unknown>);
    if (page.length < 500) return all;
    after = { startKey: page.at(-1)!.startKey, id: page.at(-1)!.id };
  }
}

for (const backend of BACKENDS) {
  describe(`acceptance against the simulator, every fault on: ${backend.name}`, () => {
    // Six simulated hours of a faulty Graph: minutes of CPU on a busy machine, so a longer limit than the runner's.
    test(
      'the archive ends with exactly the simulator records, the queue empty, the budgets kept',
      { timeout: 600_000 },
      async () => {
        // A fault rate of 0.3: a few of the tenant's notifications are dropped in every run (at 0.15, sometimes none).
        const sim = await createTestSimulator({ faults: 'all', faultRate: 0.3, speed: 30, now: NOW });
        const db = await backend.open();
        try {
          const { clock } = sim;
          // Calls over the last day and the next three hours: the earlier ones are there already (a backfill finds
          // them), the later ones come live, announced (some notifications dropped), 404 until ready, then updated.
          const shape = { calls: 30, seed: 7, from: new Date(NOW.getTime() - 21 * 60 * MIN), days: 1, versions: true };
          const source = [...tenantRecords(shape)];
          assert.ok(source.some(isBigMeeting), 'a meeting past both page sizes');
          await sim.tenant.load(source);
          await sim.subscribe();
          const graphSeen: string[] = [];
          const collector = createCollector(
            {
              credentials: {
                tenantId: TEST_REGISTRATION.tenantId,
                clientId: TEST_REGISTRATION.clientId,
                clientSecret: TEST_REGISTRATION.clientSecret,
                authorityHost: 'https://simulator.test',
                graphUrl: 'https://simulator.test',
              },
              sweepIntervalMs: 15 * MIN,
              worker: { notReadyDelayMs: 60_000, notReadyMaxDelayMs: 10 * MIN },
            },
            db,
            { clock, fetch: injectFetch(sim.app, graphSeen), log: silent },
          );
          const drain = () => settle(clock, collector.worker.runUntilIdle());
          let delivered = 0;
          const queueNotifications = async () => {
            const received = sim.received().slice(delivered);
            delivered += received.length;
            const items = received.map((line) => {
              const [changeType, id] = line.split(' ') as [FetchReason, string];
              return { id, reason: changeType };
            });
            await db.sync.enqueue(items, clock.now().getTime());
          };

          await settle(clock, backfill(collector.sweepDeps, collector.owner, 2));
          await drain();
          let sinceSweep = 0;
          for (let minute = 0; minute < 6 * 60; minute++) {
            await sim.advance(MIN);
            await queueNotifications();
            await drain();
            if ((sinceSweep += MIN) >= 15 * MIN) {
              sinceSweep = 0;
              await settle(clock, periodicSweep(collector.sweepDeps, collector.owner));
            }
          }
          assert.equal(sim.tenant.stats().versionsPending, 0, 'the simulated tenant has released everything');
          // Settle: a last sweep repairs what dropped notifications missed, and the queue drains.
          await settle(clock, periodicSweep(collector.sweepDeps, collector.owner));
          for (let i = 0; i < 100; i++) {
            await drain();
            const stats = await db.sync.queueStats(clock.now().getTime());
            if (stats.queued + stats.leased === 0) break;
            await sim.advance(MIN);
          }

          const expected = await currentRecords(sim.db);
          const actual = await currentRecords(db);
          assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort(), 'the same records');
          for (const [id, record] of expected) {
            assert.deepEqual(actual.get(id), record, `record ${id} as the simulator holds it`);
            const versions = (await db.history.listVersions(id)).map((v) => v.version);
            const simVersions = (await sim.db.history.listVersions(id)).map((v) => v.version);
            assert.ok(
              versions.every((v) => simVersions.includes(v)),
              `${id}: only versions Graph served`,
            );
          }
          const withHistory = await Promise.all([...expected.keys()].map((id) => db.history.listVersions(id)));
          assert.ok(
            withHistory.some((v) => v.length > 1),
            'updated versions were fetched and kept in the history',
          );

          const status = await new SyncStatus(db.sync, clock).report();
          assert.deepEqual([status.queue.queued, status.queue.inProgress, status.queue.failed], [0, 0, 0]);
          assert.ok(status.lastSweep !== null && (await db.sync.getState(STATE.sweepCursor)) !== undefined);

          const stats = await sim.stats();
          assert.ok(stats.tenant.announcedEarly > 0, 'some records were announced before they were ready');
          assert.ok(
            stats.notifications.dropped > 0,
            `some notifications were dropped: ${JSON.stringify(stats.notifications)}`,
          );
          assert.ok(stats.graph.unavailable > 0, 'some requests met a 503');
          const { limits, maxPerRecord, maxList, maxPerApp } = stats.graph;
          assert.ok(maxPerRecord.count <= limits.record, `per record: ${maxPerRecord.count}`);
          assert.ok(maxList <= limits.list, `list: ${maxList}`);
          for (const [app, n] of Object.entries(maxPerApp)) assert.ok(n <= limits.app, `app ${app}: ${n}`);
          assert.equal(stats.graph.throttled.total, 0, 'the collector was never throttled: it kept the budgets');
        } finally {
          await db.close();
          await sim.close();
        }
      },
    );
  });
}
