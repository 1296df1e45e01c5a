/**
 * The collector's own receiver and subscription manager against the Graph simulator (issue 10, point 2 with point 7):
 * the manager subscribes to the simulator (whose handshake reaches the collector's receiver), records the simulator
 * releases arrive as notifications and land in the collector's fetch queue, and the simulator's
 * `reauthorizationRequired` events are answered by reauthorizing — one subscription throughout. In process, on one
 * FakeClock; every request between the two goes through `inject`.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { graphSubscriptionsOverFetch } from '../src/collector/graph-subscriptions.js';
import { SubscriptionManager } from '../src/collector/subscription-manager.js';
import { FakeClock } from '../src/fake-clock.js';
import { createApp } from '../src/http/create-app.js';
import type { Fetch } from '../src/runtime/runtime.js';
import { createSimulator } from '../src/simulator/create-simulator.js';
import { parseFaults } from '../src/simulator/faults.js';
import { tenantRecords } from '../src/simulator/tenant-records.js';
import { SQLITE_BACKEND } from './helpers/databases.js';
import { injectFetch } from './helpers/inject-fetch.js';
import { TEST_REGISTRATION } from './helpers/simulator.js';

const NOW = new Date('2026-11-26T12:00:00.000Z');
const MIN = 60_000;
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('the collector subscribed to the Graph simulator', () => {
  test('notifications reach the fetch queue through the receiver, and reauthorization keeps one subscription', async () => {
    const clock = new FakeClock(NOW);
    const collectorDb = await SQLITE_BACKEND.open();
    const simDb = await SQLITE_BACKEND.open();
    const collector = await createApp({
      db: collectorDb,
      clock,
      bodyLimit: 1 << 20,
      logger: false,
      notificationUrl: 'https://collector.example',
    });
    // The simulator's handshakes and notifications go to the collector's app.
    const toCollector: Fetch = injectFetch(collector);
    const sim = await createSimulator({
      db: simDb,
      clock,
      speed: 60,
      faults: parseFaults('reauth'),
      faultRate: 0,
      seed: 1,
      registration: TEST_REGISTRATION,
      bodyLimit: 1 << 20,
      logger: false,
      fetch: toCollector,
    });
    try {
      const toSimulator = injectFetch(sim.app);
      const tokens = {
        token: async () => {
          const res = await toSimulator(`https://simulator.test/${TEST_REGISTRATION.tenantId}/oauth2/v2.0/token`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({
              grant_type: 'client_credentials',
              client_id: TEST_REGISTRATION.clientId,
              client_secret: TEST_REGISTRATION.clientSecret!,
              scope: 'https://graph.microsoft.com/.default',
            }).toString(),
          });
          return ((await res.json()) as { access_token: string }).access_token;
        },
      };
      const graph = graphSubscriptionsOverFetch({ graphUrl: 'https://simulator.test', fetch: toSimulator, tokens });
      const manager = new SubscriptionManager(
        { notificationBase: 'https://collector.example', graph, sync: collectorDb.sync, meta: collectorDb.meta },
        { clock, log: silent },
      );
      const delivery = sim.delivery({ clock, fetch: toCollector, log: silent });

      assert.equal(await manager.runOnce(), 'created');
      const shape = { calls: 8, seed: 3, from: new Date(NOW.getTime() - 22 * 60 * MIN), days: 1, versions: false };
      const source = [...tenantRecords(shape)];
      await sim.tenant.load(source);
      const passes: string[] = [];
      for (let minute = 0; minute < 3 * 60; minute++) {
        await clock.advance(MIN);
        await sim.tenant.tick();
        await delivery.runOnce();
        passes.push(await manager.runOnce());
      }
      const queued = await collectorDb.sync.claim('test', 100, clock.now().getTime(), MIN);
      const ids = new Set(queued.map((q) => q.id));
      const released = await simDb.records.exportRecords({}, undefined, 100);
      assert.ok(released.length > 0, 'the simulator released records');
      for (const r of released) assert.ok(ids.has(r.id), `${r.id} was notified and queued`);
      assert.ok(passes.includes('reauthorized'), `reauthorized (${[...new Set(passes)].join(', ')})`);
      assert.ok(!passes.includes('recreated'));
      assert.equal((await simDb.subscriptions.list()).length, 1, 'one subscription on the simulator');
    } finally {
      await collector.close();
      await sim.app.close();
      await collectorDb.close();
      await simDb.close();
    }
  });
});
