/**
 * The collector's side of Graph's change notifications (issue 10, point 2): the receiver's validation handshake on
 * both URLs, `clientState` checked per item, notifications durable in the fetch queue before the 202, and the
 * subscription manager — creation, renewal, a renewal that 404s (recreated, and a sweep of the gap asked for),
 * `reauthorizationRequired`, and two instances on one database keeping one subscription.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { CLIENT_STATE_SECRET, WEBHOOK_STATE, webhookUrls } from '../src/collector/webhook-config.js';
import type { GraphSubscriptions, SubscriptionRequest } from '../src/collector/graph-subscriptions.js';
import { SubscriptionManager, type SubscriptionState } from '../src/collector/subscription-manager.js';
import { FakeClock } from '../src/fake-clock.js';
import { createApp } from '../src/http/create-app.js';
import type { RuntimeLog } from '../src/runtime/runtime.js';
import { openDatabase } from '../src/storage/open-database.js';
import type { CallRecordDatabase } from '../src/storage/roles.js';
import { BACKENDS } from './helpers/databases.js';

const BASE = 'http://archive.example:8080/cr';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function recordingLog(): RuntimeLog & { lines: { level: string; msg?: string; fields: unknown }[] } {
  const lines: { level: string; msg?: string; fields: unknown }[] = [];
  const note = (level: string) => (fields: unknown, msg?: string) => void lines.push({ level, msg, fields });
  return { lines, info: note('info'), warn: note('warn'), error: note('error') } as never;
}

/** Graph's subscription API, as the manager sees it: counts calls; `gone` ids answer 404. */
class FakeGraph implements GraphSubscriptions {
  created: SubscriptionRequest[] = [];
  renewed: string[] = [];
  reauthorized: string[] = [];
  gone = new Set<string>();
  async create(request: SubscriptionRequest) {
    this.created.push(request);
    // Slow enough that two instances creating at once would both get here.
    await new Promise((resolve) => setImmediate(resolve));
    return { id: `sub-${this.created.length}`, expirationDateTime: request.expirationDateTime };
  }
  async renew(id: string) {
    this.renewed.push(id);
    return this.gone.has(id) ? ('gone' as const) : ('renewed' as const);
  }
  async reauthorize(id: string) {
    this.reauthorized.push(id);
    return this.gone.has(id) ? ('gone' as const) : ('reauthorized' as const);
  }
}

describe('webhook receiver', () => {
  let app: FastifyInstance;
  let db: CallRecordDatabase;
  let secret: string;
  const clock = new FakeClock('2031-05-01T12:00:00.000Z');
  before(async () => {
    db = await BACKENDS[0]!.open();
    app = await createApp({ db, clock, bodyLimit: 1 << 20, logger: false, notificationUrl: BASE });
    secret = await db.meta.sharedSecret(CLIENT_STATE_SECRET, () => 'unused');
  });
  after(async () => {
    await app.close();
    await db.close();
  });

  const urls = webhookUrls(BASE);
  const path = (url: string) => new URL(url).pathname;

  test('the handshake is answered on both URLs with the decoded token as text/plain', async () => {
    assert.equal(urls.notificationUrl, 'http://archive.example:8080/cr/webhooks/graph/callRecords');
    for (const url of [urls.notificationUrl, urls.lifecycleNotificationUrl]) {
      const token = 'Validation: Testing client application reachability for subscription Request-Id: 3b3f9821';
      const res = await app.inject({
        method: 'POST',
        url: `${path(url)}?validationToken=${encodeURIComponent(token)}`,
        headers: { 'content-type': 'text/plain; charset=utf-8' },
      });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'text/plain; charset=utf-8');
      assert.equal(res.body, token);
    }
  });

  test('a notification is in the fetch queue when the 202 is sent; a wrong clientState is ignored and logged', async () => {
    const item = (id: string, clientState: string, changeType = 'created') => ({
      subscriptionId: 'sub-1',
      clientState,
      changeType,
      resource: `communications/callRecords/${id}`,
      resourceData: {
        '@odata.type': '#Microsoft.Graph.callRecord',
        '@odata.id': `communications/callRecords/${id}`,
        id,
      },
      tenantId: 't',
    });
    const warned: string[] = [];
    app.log.warn = ((_fields: unknown, msg: string) => void warned.push(msg)) as never;
    const res = await app.inject({
      method: 'POST',
      url: path(urls.notificationUrl),
      headers: { 'content-type': 'application/json' },
      payload: { value: [item('rec-a', secret), item('rec-evil', 'guessed'), item('rec-b', secret, 'updated')] },
    });
    assert.equal(res.statusCode, 202);
    const stats = await db.sync.queueStats(clock.now().getTime());
    assert.equal(stats.queued, 2);
    const claimed = await db.sync.claim('test', 10, clock.now().getTime(), MINUTE);
    assert.deepEqual(claimed.map((c) => [c.id, c.reason]).sort(), [
      ['rec-a', 'created'],
      ['rec-b', 'updated'],
    ]);
    assert.ok(warned.includes('notification with a wrong clientState ignored'));
  });

  test('a lifecycle event with the right clientState is kept for the manager', async () => {
    const res = await app.inject({
      method: 'POST',
      url: path(urls.lifecycleNotificationUrl),
      headers: { 'content-type': 'application/json' },
      payload: {
        value: [
          { subscriptionId: 'sub-1', lifecycleEvent: 'reauthorizationRequired', clientState: secret, tenantId: 't' },
          { subscriptionId: 'sub-1', lifecycleEvent: 'subscriptionRemoved', clientState: 'wrong', tenantId: 't' },
        ],
      },
    });
    assert.equal(res.statusCode, 202);
    const kept = JSON.parse((await db.sync.getState(WEBHOOK_STATE.lifecycle))!);
    assert.equal(kept.lifecycleEvent, 'reauthorizationRequired');
  });
});

for (const backend of BACKENDS) {
  describe(`subscription manager: ${backend.name}`, () => {
    const clock = new FakeClock('2031-05-01T12:00:00.000Z');
    let db: CallRecordDatabase;
    let graph: FakeGraph;
    let manager: SubscriptionManager;
    before(async () => {
      db = await backend.open();
      graph = new FakeGraph();
      manager = new SubscriptionManager(
        { notificationBase: BASE, graph, sync: db.sync, meta: db.meta },
        { clock, log: recordingLog() },
      );
    });
    after(() => db.close());

    test('creates, renews before expiry, recreates after a renewal that 404s and asks for a sweep of the gap', async () => {
      assert.equal(await manager.runOnce(), 'created');
      const [request] = graph.created;
      assert.equal(request!.changeType, 'created,updated');
      assert.equal(request!.resource, '/communications/callRecords');
      assert.equal(request!.notificationUrl, webhookUrls(BASE).notificationUrl);
      assert.equal(request!.lifecycleNotificationUrl, webhookUrls(BASE).lifecycleNotificationUrl);
      assert.equal(request!.clientState, await db.meta.sharedSecret(CLIENT_STATE_SECRET, () => 'x'));
      assert.ok(Date.parse(request!.expirationDateTime) - clock.now().getTime() <= 4230 * MINUTE);
      assert.equal(await manager.runOnce(), 'unchanged');

      await clock.advance(50 * HOUR);
      assert.equal(await manager.runOnce(), 'renewed');
      const renewed = JSON.parse((await db.sync.getState(WEBHOOK_STATE.subscription))!) as SubscriptionState;
      assert.equal(renewed.id, 'sub-1');
      assert.equal(renewed.expirationDateTime, new Date(clock.now().getTime() + 4200 * MINUTE).toISOString());

      await db.sync.setState(WEBHOOK_STATE.sweepCursor, clock.now().toISOString());
      const lastVerified = clock.now().getTime();
      await clock.advance(50 * HOUR);
      graph.gone.add('sub-1');
      assert.equal(await manager.runOnce(), 'recreated');
      const state = JSON.parse((await db.sync.getState(WEBHOOK_STATE.subscription))!) as SubscriptionState;
      assert.equal(state.id, 'sub-2');
      assert.equal(graph.created.length, 2);
      // The sweep lists again from a day before the last time Graph confirmed the subscription.
      assert.equal(await db.sync.getState(WEBHOOK_STATE.sweepCursor), new Date(lastVerified - 24 * HOUR).toISOString());
    });

    test('reauthorizationRequired is answered by reauthorizing', async () => {
      const { id } = JSON.parse((await db.sync.getState(WEBHOOK_STATE.subscription))!) as SubscriptionState;
      await db.sync.setState(
        WEBHOOK_STATE.lifecycle,
        JSON.stringify({
          lifecycleEvent: 'reauthorizationRequired',
          subscriptionId: id,
          at: clock.now().toISOString(),
        }),
      );
      assert.equal(await manager.runOnce(), 'reauthorized');
      assert.deepEqual(graph.reauthorized, [id]);
      assert.equal(graph.created.length, 2, 'no new subscription');
      assert.equal(await manager.runOnce(), 'unchanged', 'the event is handled once');
    });
  });

  describe(`two subscription managers on one ${backend.name} database`, () => {
    test('keep exactly one subscription, and the other takes over when the holder stops', async () => {
      const place = backend.create('twomanagers');
      const [a, b] = [await openDatabase(place.url), await openDatabase(place.url)];
      try {
        const graph = new FakeGraph();
        const clock = new FakeClock('2031-05-01T12:00:00.000Z');
        const make = (db: CallRecordDatabase) =>
          new SubscriptionManager(
            { notificationBase: BASE, graph, sync: db.sync, meta: db.meta },
            { clock, log: recordingLog() },
          );
        const [ma, mb] = [make(a), make(b)];
        const passes = await Promise.all([ma.runOnce(), mb.runOnce(), ma.runOnce(), mb.runOnce()]);
        assert.equal(graph.created.length, 1, `one subscription (${passes.join(', ')})`);
        assert.equal(passes.filter((p) => p === 'standby').length >= 1, true);
        await ma.release();
        await mb.release();
        await clock.advance(50 * HOUR);
        const [pa, pb] = await Promise.all([ma.runOnce(), mb.runOnce()]);
        assert.deepEqual([pa, pb].sort(), ['renewed', 'standby']);
        assert.equal(graph.created.length, 1);
        assert.equal(graph.renewed.length, 1);
      } finally {
        await a.close();
        await b.close();
        await place.drop();
      }
    });
  });
}
