/**
 * Subscriptions to the archive itself (issue 10, point 8) over HTTP: Graph's subscription API at /v1.0 and /beta with
 * the validation handshake, the 4,230-minute limit, PATCH, DELETE and reauthorize, and Graph's error shape.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { FakeClock } from '../src/fake-clock.js';
import { createApiKey, ApiKeyVerifier } from '../src/auth/api-keys.js';
import { Authenticator } from '../src/auth/authenticator.js';
import { createApp } from '../src/http/create-app.js';
import type { CallRecordDatabase } from '../src/storage/roles.js';
import { SQLITE_BACKEND } from './helpers/databases.js';
import { FakeSubscriber } from './helpers/fake-subscriber.js';

const NOW = '2031-05-01T12:00:00.000Z';
const IN_A_DAY = '2031-05-02T12:00:00.000Z';

function body(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    changeType: 'created,updated',
    notificationUrl: 'https://siem.example/notify?tenant=a',
    lifecycleNotificationUrl: 'https://siem.example/lifecycle',
    resource: '/communications/callRecords',
    expirationDateTime: IN_A_DAY,
    clientState: 'secretClientValue',
    ...extra,
  };
}

describe('subscriptions on the archive (HTTP)', () => {
  let app: FastifyInstance;
  let db: CallRecordDatabase;
  const clock = new FakeClock(NOW);
  const subscriber = new FakeSubscriber();
  before(async () => {
    db = await SQLITE_BACKEND.open();
    app = await createApp({ db, clock, bodyLimit: 1 << 20, logger: false, fetch: subscriber.fetch });
  });
  after(async () => {
    await app.close();
    await db.close();
  });

  const post = (payload: unknown, version = 'v1.0') =>
    app.inject({ method: 'POST', url: `/${version}/subscriptions`, payload: payload as object });

  test('a subscription is created after the handshake on both URLs, and answered as Graph answers it', async () => {
    subscriber.handshake = 'echo';
    const res = await post(body({ latestSupportedTlsVersion: 'v1_3' }));
    assert.equal(res.statusCode, 201, res.body);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    const created = res.json();
    assert.equal(created['@odata.context'], 'http://localhost:80/v1.0/$metadata#subscriptions/$entity');
    assert.match(created.id, /^[0-9a-f-]{36}$/);
    assert.equal(created.changeType, 'created,updated');
    assert.equal(created.clientState, 'secretClientValue');
    assert.equal(created.expirationDateTime, IN_A_DAY);
    assert.equal(created.latestSupportedTlsVersion, 'v1_3');
    // Both URLs were validated with Graph's POST: text/plain, the URL's own query kept, the token URL-encoded.
    const [notify, lifecycle] = subscriber.validations.slice(-2);
    assert.match(notify!.url, /^https:\/\/siem\.example\/notify\?tenant=a&validationToken=Validation%3A\+Testing/);
    assert.equal(notify!.contentType, 'text/plain; charset=utf-8');
    assert.match(lifecycle!.url, /^https:\/\/siem\.example\/lifecycle\?validationToken=/);

    const got = await app.inject({ method: 'GET', url: `/beta/subscriptions/${created.id}` });
    assert.equal(got.statusCode, 200);
    assert.equal(got.json().notificationUrl, 'https://siem.example/notify?tenant=a');
    const list = await app.inject({ method: 'GET', url: '/v1.0/subscriptions' });
    assert.deepEqual(
      list.json().value.map((s: { id: string }) => s.id),
      [created.id],
    );
  });

  test('a notification URL that echoes the token still encoded, answers 500, or is silent for 10 s is refused', async () => {
    const before = (await db.subscriptions.list()).length;
    subscriber.handshake = 'encoded';
    let res = await post(body());
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, 'InvalidRequest');
    assert.match(res.json().error.message, /Response must exactly match validationToken/);

    subscriber.handshake = 'status500';
    res = await post(body());
    assert.equal(res.statusCode, 400);
    assert.match(res.json().error.message, /must respond with 200 OK to validation request/);

    subscriber.handshake = 'hang';
    const pending = post(body());
    await new Promise((resolve) => setImmediate(resolve));
    await clock.advance(10_000);
    res = await pending;
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.message, 'Subscription validation request timed out.');
    assert.equal((await db.subscriptions.list()).length, before, 'no subscription was stored');
    subscriber.handshake = 'echo';
  });

  test("an expiry past 4,230 minutes, another resource or another changeType is refused with Graph's error", async () => {
    const tooLate = new Date(Date.parse(clock.now().toISOString()) + 4231 * 60_000).toISOString();
    let res = await post(body({ expirationDateTime: tooLate }));
    assert.equal(res.statusCode, 400);
    assert.match(res.json().error.message, /4230 minutes/);
    res = await post(body({ resource: '/me/messages' }));
    assert.equal(res.statusCode, 400);
    res = await post(body({ changeType: 'deleted' }));
    assert.equal(res.statusCode, 400);
    const justInside = new Date(Date.parse(clock.now().toISOString()) + 4230 * 60_000).toISOString();
    res = await post(body({ expirationDateTime: justInside }));
    assert.equal(res.statusCode, 201);
  });

  test('PATCH renews, reauthorize answers 204, DELETE removes, and an unknown id is a 404', async () => {
    const { id } = (await post(body())).json();
    const renewed = new Date(Date.parse(clock.now().toISOString()) + 4000 * 60_000).toISOString();
    const patched = await app.inject({
      method: 'PATCH',
      url: `/v1.0/subscriptions/${id}`,
      payload: { expirationDateTime: renewed },
    });
    assert.equal(patched.statusCode, 200);
    assert.equal(patched.json().expirationDateTime, renewed);
    const reauth = await app.inject({ method: 'POST', url: `/v1.0/subscriptions/${id}/reauthorize` });
    assert.equal(reauth.statusCode, 204);
    assert.equal((await app.inject({ method: 'DELETE', url: `/v1.0/subscriptions/${id}` })).statusCode, 204);
    const gone = await app.inject({ method: 'GET', url: `/v1.0/subscriptions/${id}` });
    assert.equal(gone.statusCode, 404);
    assert.equal(gone.json().error.code, 'NotFound');
    assert.equal((await app.inject({ method: 'DELETE', url: `/v1.0/subscriptions/${id}` })).statusCode, 404);
  });

  test('the call records API stays read-only beside the subscriptions', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1.0/communications/callRecords', payload: {} });
    assert.equal(res.statusCode, 405);
  });
});

describe('subscriptions with authentication: each caller sees and changes only its own', () => {
  let app: FastifyInstance;
  let db: CallRecordDatabase;
  const clock = new FakeClock(NOW);
  const subscriber = new FakeSubscriber();
  const keys: Record<'alice' | 'bob' | 'admin', string> = { alice: '', bob: '', admin: '' };
  before(async () => {
    db = await SQLITE_BACKEND.open();
    const authenticator = new Authenticator({ keys: new ApiKeyVerifier(db.keys, clock), challenge: 'Bearer' });
    app = await createApp({ db, clock, bodyLimit: 1 << 20, logger: false, fetch: subscriber.fetch, authenticator });
    keys.alice = (
      await createApiKey(db.keys, clock, { role: 'CallRecords.Read.All', name: 'alice', expiresAt: undefined })
    ).key;
    keys.bob = (
      await createApiKey(db.keys, clock, { role: 'CallRecords.Read.All', name: 'bob', expiresAt: undefined })
    ).key;
    keys.admin = (
      await createApiKey(db.keys, clock, { role: 'CallRecords.Admin', name: 'ops', expiresAt: undefined })
    ).key;
  });
  after(async () => {
    await app.close();
    await db.close();
  });

  const as = (who: keyof typeof keys, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    app.inject({ method, url, headers: { authorization: `Bearer ${keys[who]}` }, ...(payload ? { payload } : {}) });

  test('another reader cannot list, read, renew or delete a subscription; its creator and an admin can', async () => {
    subscriber.handshake = 'echo';
    const created = await as('alice', 'POST', '/v1.0/subscriptions', body({ creatorId: 'forged' }));
    assert.equal(created.statusCode, 201, created.body);
    const { id, creatorId } = created.json() as { id: string; creatorId: string };
    assert.match(creatorId, /^key:/, 'creatorId is who created it, not what the client sent');
    assert.deepEqual((await as('bob', 'GET', '/v1.0/subscriptions')).json().value, []);
    for (const [method, url, payload] of [
      ['GET', `/v1.0/subscriptions/${id}`],
      ['PATCH', `/v1.0/subscriptions/${id}`, { expirationDateTime: IN_A_DAY }],
      ['POST', `/v1.0/subscriptions/${id}/reauthorize`],
      ['DELETE', `/v1.0/subscriptions/${id}`],
    ] as const) {
      const res = await as('bob', method, url, payload);
      assert.equal(res.statusCode, 404, `${method} ${url} by another reader: ${res.body}`);
    }
    assert.equal((await as('alice', 'GET', `/v1.0/subscriptions/${id}`)).json().clientState, 'secretClientValue');
    assert.equal((await as('admin', 'GET', '/v1.0/subscriptions')).json().value.length, 1);
    assert.equal((await as('alice', 'DELETE', `/v1.0/subscriptions/${id}`)).statusCode, 204);
  });
});
