/** The simulator's Graph surface: tokens required, Graph's limits with Retry-After, 503s, paging at 60 and 130. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tenantRecords, isBigMeeting } from '../src/simulator/tenant-records.js';
import { BACKENDS } from './helpers/databases.js';
import { recordsEndingAt } from './helpers/shifted-records.js';
import { createTestSimulator, TEST_REGISTRATION } from './helpers/simulator.js';

const NOW = new Date('2026-11-26T12:00:00.000Z');
const SECOND = 1000;

test('a Graph request without a valid token is 401 InvalidAuthenticationToken in the Graph error shape', async () => {
  const sim = await createTestSimulator({ now: NOW });
  try {
    for (const headers of [{}, { authorization: 'Bearer nonsense' }, { authorization: 'Bearer a.b.c' }]) {
      const res = await sim.app.inject({ url: '/v1.0/communications/callRecords', headers });
      assert.equal(res.statusCode, 401);
      assert.equal((res.json() as { error: { code: string } }).error.code, 'InvalidAuthenticationToken');
      assert.match(String(res.headers['www-authenticate']), /^Bearer/);
    }
    const headers = await sim.auth();
    assert.equal((await sim.app.inject({ url: '/beta/communications/callRecords', headers })).statusCode, 200);
    await sim.clock.advance(3600 * SECOND);
    const expired = await sim.app.inject({ url: '/beta/communications/callRecords', headers });
    assert.equal(expired.statusCode, 401, 'a token expires after an hour');
  } finally {
    await sim.close();
  }
});

test('the token endpoint refuses a wrong secret, an unknown client, an unknown tenant and a missing scope', async () => {
  const sim = await createTestSimulator({ now: NOW });
  try {
    const token = (tenant: string, form: Record<string, string>) =>
      sim.app.inject({
        method: 'POST',
        url: `/${tenant}/oauth2/v2.0/token`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams(form).toString(),
      });
    const good = {
      grant_type: 'client_credentials',
      client_id: TEST_REGISTRATION.clientId,
      client_secret: TEST_REGISTRATION.clientSecret!,
      scope: 'https://graph.microsoft.com/.default',
    };
    const cases: [string, Record<string, string>, number, string][] = [
      [TEST_REGISTRATION.tenantId, { ...good, client_secret: 'wrong' }, 401, 'invalid_client'],
      [TEST_REGISTRATION.tenantId, { ...good, client_id: 'someone-else' }, 400, 'unauthorized_client'],
      ['other-tenant', good, 400, 'invalid_request'],
      [TEST_REGISTRATION.tenantId, { ...good, scope: 'User.Read' }, 400, 'invalid_scope'],
    ];
    for (const [tenant, form, status, error] of cases) {
      const res = await token(tenant, form);
      assert.equal(res.statusCode, status, error);
      assert.equal((res.json() as { error: string }).error, error);
    }
    const ok = await token(TEST_REGISTRATION.tenantId, good);
    assert.equal(ok.statusCode, 200);
    assert.equal((ok.json() as { expires_in: number }).expires_in, 3599);
  } finally {
    await sim.close();
  }
});

test('with the 429 fault the 41st request for one record within 20 s is 429 with Retry-After, served after it', async () => {
  const sim = await createTestSimulator({ faults: '429', now: NOW });
  try {
    const [record] = recordsEndingAt(new Date(NOW.getTime() - 3600 * SECOND));
    await sim.tenant.load([record!]);
    const headers = await sim.auth();
    const url = `/v1.0/communications/callRecords/${record!.id as string}`;
    for (let i = 0; i < 40; i++) {
      assert.equal((await sim.app.inject({ url: i % 2 ? url : `${url}/sessions`, headers })).statusCode, 200);
      await sim.clock.advance(100);
    }
    const refused = await sim.app.inject({ url, headers });
    assert.equal(refused.statusCode, 429);
    assert.equal((refused.json() as { error: { code: string } }).error.code, 'TooManyRequests');
    const retryAfter = Number(refused.headers['retry-after']);
    assert.ok(retryAfter >= 16 && retryAfter <= 20, `Retry-After: ${retryAfter}`);
    await sim.clock.advance(retryAfter * SECOND);
    assert.equal((await sim.app.inject({ url, headers })).statusCode, 200, 'served once Retry-After has passed');
    const { graph } = await sim.stats();
    assert.equal(graph.throttled.record, 1);
    assert.equal(graph.maxPerRecord.count, 41, 'the refused request counts too');
  } finally {
    await sim.close();
  }
});

test('with the 429 fault the list allows 40 requests per 20 s, and an app 1,500', async () => {
  const sim = await createTestSimulator({ faults: '429', now: NOW });
  try {
    const headers = await sim.auth();
    const list = () => sim.app.inject({ url: '/v1.0/communications/callRecords', headers });
    for (let i = 0; i < 40; i++) assert.equal((await list()).statusCode, 200);
    const refused = await list();
    assert.equal(refused.statusCode, 429);
    assert.equal(refused.headers['retry-after'], '20');
    await sim.clock.advance(20 * SECOND);
    let app429 = -1;
    for (let i = 0; i < 1501 && app429 < 0; i++) {
      const res = await sim.app.inject({ url: '/v1.0/$metadata', headers });
      if (res.statusCode === 429) app429 = i;
    }
    assert.equal(app429, 1500, 'the 1,501st request of the app in 20 s is refused');
    const { graph } = await sim.stats();
    assert.deepEqual([graph.maxList, graph.throttled.list, graph.throttled.app], [41, 1, 1]);
  } finally {
    await sim.close();
  }
});

test('without the 429 fault nothing is throttled, but every window is still counted', async () => {
  const sim = await createTestSimulator({ faults: 'none', now: NOW });
  try {
    const headers = await sim.auth();
    for (let i = 0; i < 45; i++) {
      assert.equal((await sim.app.inject({ url: '/v1.0/communications/callRecords', headers })).statusCode, 200);
    }
    assert.equal((await sim.stats()).graph.maxList, 45);
  } finally {
    await sim.close();
  }
});

test('with the 503 fault at rate 1 every Graph request is 503 serviceNotAvailable with Retry-After', async () => {
  const sim = await createTestSimulator({ faults: '503', faultRate: 1, now: NOW });
  try {
    const res = await sim.app.inject({ url: '/v1.0/communications/callRecords', headers: await sim.auth() });
    assert.equal(res.statusCode, 503);
    assert.equal((res.json() as { error: { code: string } }).error.code, 'serviceNotAvailable');
    assert.ok(Number(res.headers['retry-after']) > 0);
  } finally {
    await sim.close();
  }
});

for (const backend of BACKENDS) {
  test(`${backend.name}: the tenant's big meeting pages its sessions at 60 and its participants at 130`, async () => {
    const sim = await createTestSimulator({ backend, now: NOW });
    try {
      const records = [...tenantRecords({ calls: 5, seed: 2, from: new Date('2026-11-20'), days: 2, versions: false })];
      const big = records.filter(isBigMeeting);
      assert.equal(big.length, 1, 'a tenant always holds a meeting past both page sizes');
      await sim.tenant.load(records);
      const headers = await sim.auth();
      const id = big[0]!.id as string;
      const follow = async (url: string, key: string) => {
        const pages: number[] = [];
        let next: string | undefined = url;
        while (next !== undefined) {
          const res: { statusCode: number; json(): unknown } = await sim.app.inject({
            url: next.replace('http://localhost:80', ''),
            headers,
          });
          assert.equal(res.statusCode, 200);
          const body = res.json() as Record<string, unknown>;
          const items = (body[key] ?? body.value) as unknown[];
          pages.push(items.length);
          next = (body[`${key}@odata.nextLink`] ?? body['@odata.nextLink']) as string | undefined;
        }
        return pages;
      };
      const sessions = await follow(
        `/v1.0/communications/callRecords/${id}?$expand=sessions($expand=segments)`,
        'sessions',
      );
      assert.deepEqual(sessions, [60, 60, 20]);
      const participants = await follow(`/v1.0/communications/callRecords/${id}/participants_v2`, 'value');
      assert.deepEqual(participants, [130, 10]);
    } finally {
      await sim.close();
    }
  });
}
