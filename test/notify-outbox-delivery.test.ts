/**
 * Delivery of the archive's change notifications from the outbox (issue 10, point 8), on every backend: Graph's
 * notification shape, a subscriber down for a while that receives every notification exactly once when it is back,
 * the 4-hour give-up, lifecycle events, an injected delivery policy, and two instances sharing one outbox.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { FakeClock } from '../src/fake-clock.js';
import { createApp } from '../src/http/create-app.js';
import { OutboxDelivery, outboxDeliveryJob } from '../src/notify/outbox-delivery.js';
import { Runtime, type RuntimeLog } from '../src/runtime/runtime.js';
import type { CallRecordDatabase } from '../src/storage/roles.js';
import { BACKENDS } from './helpers/databases.js';
import { FakeSubscriber } from './helpers/fake-subscriber.js';
import { makeRecord } from './helpers/records.js';

const MINUTE = 60_000;
const TENANT = 'dcd219dd-bc68-4b9b-bf0b-4a33a796be35';

function quietLog(): RuntimeLog & { lines: { level: string; msg?: string }[] } {
  const lines: { level: string; msg?: string }[] = [];
  const note = (level: string) => (_fields: unknown, msg?: string) => void lines.push({ level, msg });
  return { lines, info: note('info'), warn: note('warn'), error: note('error') } as never;
}

for (const backend of BACKENDS) {
  describe(`outbox delivery: ${backend.name}`, () => {
    let db: CallRecordDatabase;
    let app: FastifyInstance;
    let clock: FakeClock;
    let subscriber: FakeSubscriber;
    before(async () => {
      db = await backend.open();
    });
    after(() => db.close());
    beforeEach(async () => {
      for (const s of await db.subscriptions.list()) await db.subscriptions.remove(s.id);
      clock = new FakeClock('2031-05-01T12:00:00.000Z');
      subscriber = new FakeSubscriber();
      await app?.close();
      app = await createApp({ db, clock, bodyLimit: 1 << 20, logger: false, fetch: subscriber.fetch });
    });

    async function subscribe(changeType = 'created,updated'): Promise<string> {
      const res = await app.inject({
        method: 'POST',
        url: '/v1.0/subscriptions',
        payload: {
          changeType,
          notificationUrl: 'https://siem.example/notify',
          lifecycleNotificationUrl: 'https://siem.example/lifecycle',
          resource: '/communications/callRecords',
          expirationDateTime: new Date(clock.now().getTime() + 4000 * MINUTE).toISOString(),
          clientState: 'secretClientValue',
        },
      });
      assert.equal(res.statusCode, 201, res.body);
      return res.json().id as string;
    }

    async function store(id: string, version = 1): Promise<void> {
      const res = await app.inject({
        method: 'POST',
        url: '/api/callRecords',
        payload: makeRecord({ id, version, start: '2031-05-01T10:00:00Z' }),
      });
      assert.equal(res.statusCode, 200, res.body);
    }

    test("a stored record reaches the subscriber in Graph's notification shape", async () => {
      const subscriptionId = await subscribe();
      await store('shape-1');
      await store('shape-1', 2);
      const delivery = new OutboxDelivery(
        db.subscriptions,
        { clock, fetch: subscriber.fetch, log: quietLog() },
        { tenantId: TENANT },
      );
      assert.deepEqual(await delivery.runOnce(), { delivered: 2, retried: 0, dropped: 0 });
      assert.equal(subscriber.posts, 1, 'both went in one batch');
      const items = subscriber.received.map((r) => r.item);
      assert.deepEqual(items[0], {
        subscriptionId,
        clientState: 'secretClientValue',
        changeType: 'created',
        resource: 'communications/callRecords/shape-1',
        subscriptionExpirationDateTime: '2031-05-04T06:40:00.000+00:00',
        resourceData: {
          '@odata.type': '#Microsoft.Graph.callRecord',
          '@odata.id': 'communications/callRecords/shape-1',
          id: 'shape-1',
        },
        tenantId: TENANT,
      });
      assert.equal(items[1]!.changeType, 'updated');
      assert.equal(subscriber.received[0]!.url, 'https://siem.example/notify');
      assert.equal(await db.subscriptions.outboxDepth(), 0);
    });

    test('a subscriber down for a while receives every notification once it is back', async () => {
      await subscribe();
      subscriber.down = true;
      const runtime = new Runtime({ log: quietLog(), clock, fetch: subscriber.fetch });
      runtime.addJob('notifications', outboxDeliveryJob(db.subscriptions, { intervalMs: 1000 }));
      await runtime.start();
      try {
        for (let i = 0; i < 5; i++) await store(`down-${i}`);
        // Down for 40 minutes: retried with back-off, nothing lost, nothing received.
        for (let t = 0; t < 40; t++) await clock.advance(MINUTE);
        assert.ok(subscriber.posts >= 5, `retried (${subscriber.posts} attempts)`);
        assert.equal(subscriber.received.length, 0);
        assert.equal(await db.subscriptions.outboxDepth(), 5);
        subscriber.down = false;
        for (let t = 0; t < 6; t++) await clock.advance(MINUTE);
        const ids = subscriber.received.map((r) => r.item.resource).sort();
        assert.deepEqual(
          ids,
          [0, 1, 2, 3, 4].map((i) => `communications/callRecords/down-${i}`),
        );
        assert.equal(await db.subscriptions.outboxDepth(), 0);
        for (let t = 0; t < 10; t++) await clock.advance(MINUTE);
        assert.equal(subscriber.received.length, 5, 'each exactly once');
      } finally {
        await runtime.stop();
      }
    });

    test('a subscriber down for more than 4 hours loses the notifications, and that is logged', async () => {
      await subscribe();
      subscriber.down = true;
      await store('lost-1');
      const log = quietLog();
      const delivery = new OutboxDelivery(db.subscriptions, { clock, fetch: subscriber.fetch, log });
      for (let t = 0; t <= 4 * 60; t += 5) {
        await delivery.runOnce();
        await clock.advance(5 * MINUTE);
      }
      await delivery.runOnce();
      assert.equal(await db.subscriptions.outboxDepth(), 0);
      assert.ok(log.lines.some((l) => l.level === 'error' && /after retrying for 4 hours/.test(l.msg ?? '')));
      subscriber.down = false;
      await delivery.runOnce();
      assert.equal(subscriber.received.length, 0);
    });

    test('a lifecycle event goes to the lifecycle URL; a policy can drop or delay notifications', async () => {
      const subscriptionId = await subscribe();
      await db.subscriptions.enqueue([
        {
          id: 'life-1',
          subscriptionId,
          kind: 'lifecycle',
          lifecycleEvent: 'reauthorizationRequired',
          createdAt: clock.now().toISOString(),
          nextAttempt: clock.now().toISOString(),
        },
      ]);
      await store('keep-1');
      await store('drop-1');
      const policy = (n: { resourceId?: string | undefined }) =>
        n.resourceId === 'drop-1'
          ? { action: 'drop' as const, reason: 'simulated loss' }
          : n.resourceId === 'keep-1'
            ? { action: 'delay' as const, ms: 10 * MINUTE }
            : { action: 'deliver' as const };
      const delivery = new OutboxDelivery(
        db.subscriptions,
        { clock, fetch: subscriber.fetch, log: quietLog() },
        { policy },
      );
      await delivery.runOnce();
      assert.deepEqual(
        subscriber.received.map((r) => [r.url, r.item.lifecycleEvent]),
        [['https://siem.example/lifecycle', 'reauthorizationRequired']],
      );
      assert.equal(subscriber.received[0]!.item.subscriptionId, subscriptionId);
      assert.equal(await db.subscriptions.outboxDepth(), 1, 'the delayed one waits; the dropped one is gone');
      await clock.advance(10 * MINUTE);
      const plain = new OutboxDelivery(db.subscriptions, { clock, fetch: subscriber.fetch, log: quietLog() });
      await plain.runOnce();
      assert.deepEqual(
        subscriber.received.map((r) => r.item.resource ?? r.item.lifecycleEvent),
        ['reauthorizationRequired', 'communications/callRecords/keep-1'],
      );
    });

    test('two instances delivering from one outbox send each notification once', async () => {
      await subscribe();
      for (let i = 0; i < 30; i++) await store(`pair-${i}`);
      const deps = { clock, fetch: subscriber.fetch, log: quietLog() };
      const [a, b] = [
        new OutboxDelivery(db.subscriptions, deps, { batchSize: 7 }),
        new OutboxDelivery(db.subscriptions, deps, { batchSize: 7 }),
      ];
      await Promise.all([a.runOnce(), b.runOnce(), a.runOnce()]);
      const resources = subscriber.received.map((r) => r.item.resource);
      assert.equal(resources.length, 30);
      assert.equal(new Set(resources).size, 30);
    });
  });
}
