/**
 * The archive as Graph for a collector, over real HTTP (issue 10, points 2 and 8 together): archive A serves Graph's
 * subscription API and delivers from its outbox; collector B's subscription manager subscribes to A through
 * graphSubscriptionsOverFetch, A's handshake reaches B's receiver, a record stored in A lands in B's fetch queue,
 * and a subscription A no longer has is recreated on renewal.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { graphSubscriptionsOverFetch } from '../src/collector/graph-subscriptions.js';
import { SubscriptionManager } from '../src/collector/subscription-manager.js';
import { CLIENT_STATE_SECRET } from '../src/collector/webhook-config.js';
import { FakeClock } from '../src/fake-clock.js';
import { createApp } from '../src/http/create-app.js';
import { OutboxDelivery } from '../src/notify/outbox-delivery.js';
import type { RuntimeLog } from '../src/runtime/runtime.js';
import type { CallRecordDatabase } from '../src/storage/roles.js';
import { SQLITE_BACKEND } from './helpers/databases.js';
import { makeRecord } from './helpers/records.js';

const HOUR = 3_600_000;
const log: RuntimeLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('an archive as Graph for a collector, over HTTP', () => {
  const clock = new FakeClock('2031-05-01T12:00:00.000Z');
  let a: { app: FastifyInstance; db: CallRecordDatabase; url: string };
  let b: { app: FastifyInstance; db: CallRecordDatabase; url: string };
  let manager: SubscriptionManager;

  async function serve(notificationUrl?: string) {
    const db = await SQLITE_BACKEND.open();
    const app = await createApp({ db, clock, bodyLimit: 1 << 20, logger: false, notificationUrl });
    await app.listen({ host: '127.0.0.1', port: 0 });
    return { app, db, url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` };
  }

  before(async () => {
    a = await serve();
    // The receiver's paths depend only on the base URL's path, so the port can be learnt after listening.
    b = await serve('http://collector.invalid/');
    const graph = graphSubscriptionsOverFetch({ graphUrl: a.url, fetch, tokens: { token: async () => 'token' } });
    manager = new SubscriptionManager(
      { notificationBase: b.url, graph, sync: b.db.sync, meta: b.db.meta },
      { clock, log },
    );
  });
  after(async () => {
    for (const side of [a, b]) {
      await side.app.close();
      await side.db.close();
    }
  });

  test('the collector subscribes, and a record stored in the archive reaches its fetch queue', async () => {
    assert.equal(await manager.runOnce(), 'created');
    const [subscription] = await a.db.subscriptions.list();
    assert.equal(subscription?.notificationUrl, `${b.url}/webhooks/graph/callRecords`);
    assert.equal(subscription?.clientState, await b.db.meta.sharedSecret(CLIENT_STATE_SECRET, () => 'x'));

    const stored = await fetch(`${a.url}/api/callRecords`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(makeRecord({ id: 'loop-1', start: '2031-05-01T10:00:00Z' })),
    });
    assert.equal(stored.status, 200);
    const delivery = new OutboxDelivery(a.db.subscriptions, { clock, fetch, log });
    assert.deepEqual(await delivery.runOnce(), { delivered: 1, retried: 0, dropped: 0 });
    const [queued] = await b.db.sync.claim('test', 10, clock.now().getTime(), 60_000);
    assert.deepEqual([queued?.id, queued?.reason], ['loop-1', 'created']);
  });

  test('renewal goes through PATCH, and a subscription the archive no longer has is recreated', async () => {
    await clock.advance(50 * HOUR);
    assert.equal(await manager.runOnce(), 'renewed');
    const [renewed] = await a.db.subscriptions.list();
    assert.equal(renewed?.expirationDateTime, new Date(clock.now().getTime() + 4200 * 60_000).toISOString());

    await a.db.subscriptions.remove(renewed!.id);
    await clock.advance(50 * HOUR);
    assert.equal(await manager.runOnce(), 'recreated');
    const now = await a.db.subscriptions.list();
    assert.equal(now.length, 1);
    assert.notEqual(now[0]!.id, renewed!.id);
  });
});
