/**
 * Input an attacker would send, in process on both stores: bodies with too many records, values SQLite would take
 * but PostgreSQL cannot store, integers JSON.parse would round, invalid UTF-8, NUL bytes in ids and filters, a
 * forged Host header. Each refusal is Graph-shaped and per item; the valid items of a mixed batch are stored.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Json } from './helpers/json.js';
import { createTestApp } from './helpers/test-app.js';
import { makeRecord } from './helpers/records.js';
import { MAX_INGEST_ITEMS } from '../src/ingest/body-items.js';
import { MAX_ID_LENGTH } from '../src/domain/validate-plan.js';
import type { CallRecordDatabase } from '../src/storage/roles.js';
import { BACKENDS } from './helpers/databases.js';

type App = Awaited<ReturnType<typeof createTestApp>>;

async function post(t: App, payload: string | Buffer, contentType = 'application/json') {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/callRecords',
    headers: { 'content-type': contentType, 'client-request-id': 'hostile' },
    payload,
  });
  return { status: res.statusCode, json: res.json() as Record<string, Json>, body: res.body };
}

function assertGraphError(json: Record<string, Json>, code: string): void {
  assert.equal(json.error?.code, code, JSON.stringify(json).slice(0, 500));
  assert.equal(json.error.innerError['client-request-id'], 'hostile');
  assert.match(json.error.innerError['request-id'], /^[0-9a-f-]{36}$/);
}

const json = (value: unknown) => JSON.stringify(value);

for (const backend of BACKENDS) {
  describe(`hostile input (${backend.name})`, () => {
    let t: App;
    before(async () => {
      t = await createTestApp({ backend, bodyLimit: 16 * 1024 * 1024 });
    });
    after(() => t.close());

    test(`more than ${MAX_INGEST_ITEMS} records in one body is a 413 naming the limit`, async () => {
      for (const [body, type] of [
        [`[${'{},'.repeat(MAX_INGEST_ITEMS)}{}]`, 'application/json'],
        ['{}\n'.repeat(MAX_INGEST_ITEMS + 1), 'application/x-ndjson'],
        [`{"value":[${'{},'.repeat(MAX_INGEST_ITEMS)}{}]}`, 'application/json'],
      ] as const) {
        const res = await post(t, body, type);
        assert.equal(res.status, 413, res.body.slice(0, 300));
        assertGraphError(res.json, 'requestEntityTooLarge');
        assert.match(res.json.error.message, new RegExp(`more than ${MAX_INGEST_ITEMS} call records`));
      }
    });

    test('a batch whose records are all rejected is a 400 with each item and its reason', async () => {
      const res = await post(t, `[${'{},'.repeat(MAX_INGEST_ITEMS - 1)}{}]`);
      assert.equal(res.status, 400);
      assertGraphError(res.json, 'invalidRecord');
      assert.match(res.json.error.message, new RegExp(`All ${MAX_INGEST_ITEMS} call records were rejected`));
      assert.equal(res.json.error.details.length, MAX_INGEST_ITEMS);
      assert.match(res.json.error.details[999].message, /^item 999 .*id: required property is missing/);
    });

    test('a mixed batch: unstorable values are refused per item with the reason, the valid ones stored', async () => {
      const items = [
        json(makeRecord({ id: 'ok-1' })),
        json(makeRecord({ id: 'nul-in-id\u0000' })),
        json({ ...makeRecord({ id: 'nul-in-unknown' }), note: 'a\u0000b' }),
        json(makeRecord({ id: 'big-version' })).replace('"version":1', '"version":9007199254740993'),
        json(makeRecord({ id: 'int64-version' })).replace('"version":1', '"version":1e19'),
        json(makeRecord({ id: 'x'.repeat(2700) })),
        json(makeRecord({ id: 'ok-2' })),
      ];
      const res = await post(t, `[\n${items.join(',\n')}\n]`);
      assert.equal(res.status, 200, res.body.slice(0, 500));
      const outcomes = res.json.value as Record<string, Json>[];
      assert.deepEqual(
        outcomes.map((o) => o.status),
        ['inserted', 'rejected', 'rejected', 'rejected', 'rejected', 'rejected', 'inserted'],
      );
      assert.deepEqual(
        outcomes.map((o) => o.line),
        [2, 3, 4, 5, 6, 7, 8],
      );
      assert.match(outcomes[1]!.reason, /^id: holds U\+0000/);
      assert.match(outcomes[2]!.reason, /^note: holds U\+0000/);
      assert.match(outcomes[3]!.reason, /^version: an integer beyond ±9007199254740991/);
      assert.match(outcomes[4]!.reason, /^version: out of range for Edm.Int64/);
      assert.match(outcomes[5]!.reason, new RegExp(`^id: longer than ${MAX_ID_LENGTH} characters`));
      assert.ok(outcomes[5]!.id.length <= 300, 'a long id is not echoed whole');
      for (const id of ['ok-1', 'ok-2']) {
        const read = await t.app.inject({ method: 'GET', url: `/v1.0/communications/callRecords/${id}` });
        assert.equal(read.statusCode, 200, read.body);
      }
    });

    test('a big integer in an unknown property, and a session id of 2,700 characters, are refused too', async () => {
      const sessionId = makeRecord({ id: 'long-session' });
      sessionId.sessions[0].id = 's'.repeat(2700);
      const res = await post(
        t,
        `[${json(sessionId)},${json({ ...makeRecord({ id: 'big-extra' }), extra: 1 }).replace('"extra":1', '"extra":-123456789012345678')}]`,
      );
      assert.equal(res.status, 400, res.body.slice(0, 500));
      const [long, big] = res.json.error.details as { message: string }[];
      assert.match(long!.message, /sessions\[0\]\.id: longer than 256 characters/);
      assert.match(big!.message, /extra: an integer beyond/);
    });

    test('a fraction or exponent with many digits, and long digit runs in strings, are not big integers', async () => {
      const r = json({ ...makeRecord({ id: 'many-digits' }), digits: '12345678901234567890' });
      const text = `${r.slice(0, -1)},"ratio":12345678901234567.5e-3,"huge":1.2345678901234567e30,"tiny":-98765432109876543e-40}`;
      const res = await post(t, text);
      assert.equal(res.status, 200, res.body.slice(0, 500));
      assert.equal((res.json.value as Record<string, Json>[])[0]!.status, 'inserted');
    });

    test('invalid UTF-8 is refused, not replaced: JSON and NDJSON, with the line', async () => {
      const good = Buffer.from(json(makeRecord({ id: 'utf8-good' })));
      const bad = Buffer.from(json(makeRecord({ id: 'utf8-bad-XX' })));
      bad[bad.indexOf('XX')] = 0xff;
      for (const [body, type] of [
        [Buffer.concat([Buffer.from('[\n'), good, Buffer.from(',\n'), bad, Buffer.from('\n]')]), 'application/json'],
        [Buffer.concat([good, Buffer.from('\n'), bad, Buffer.from('\n')]), 'application/x-ndjson'],
      ] as const) {
        const res = await post(t, body, type);
        assert.equal(res.status, 400, res.body.slice(0, 300));
        assertGraphError(res.json, 'invalidJson');
        assert.match(res.json.error.message, /line 3 is not valid UTF-8|line 2 is not valid UTF-8/);
      }
      const read = await t.app.inject({ method: 'GET', url: '/v1.0/communications/callRecords/utf8-good' });
      assert.equal(read.statusCode, 404, 'nothing of a refused body is stored');
    });

    test('NUL in an id or a $filter literal is a 404 or 400, never a 500', async () => {
      await post(t, json(makeRecord({ id: 'nul-base' })));
      const cases: [string, number, string][] = [
        ['/v1.0/communications/callRecords/a%00b', 404, 'NotFound'],
        ["/v1.0/communications/callRecords('a%00b')/sessions", 404, 'NotFound'],
        ['/v1.0/communications/callRecords/nul-base/sessions/%00', 404, 'NotFound'],
        ['/beta/communications/callRecords/nul-base/participants_v2/x%00', 404, 'NotFound'],
        [
          "/v1.0/communications/callRecords?$filter=participants_v2/any(p:p/id%20eq%20'a%00b')",
          400,
          'invalidQueryOption',
        ],
        ['/api/callRecords/a%00b/versions', 404, 'NotFound'],
        ['/api/callRecords/a%00b/versions/1', 404, 'NotFound'],
      ];
      for (const [url, status, code] of cases) {
        const res = await t.app.inject({ method: 'GET', url, headers: { 'client-request-id': 'hostile' } });
        assert.equal(res.statusCode, status, `${url}: ${res.body}`);
        assertGraphError(res.json(), code);
      }
    });

    test('a Host header that is not host[:port] is not echoed into links', async () => {
      for (const host of ['evil.example/path?', 'a b', 'x"><script>', 'host:port']) {
        const res = await t.app.inject({
          method: 'GET',
          url: '/v1.0/communications/callRecords',
          headers: { host, 'client-request-id': 'hostile' },
        });
        assert.equal(res.statusCode, 400, `${host}: ${res.body}`);
        assertGraphError(res.json(), 'BadRequest');
        assert.doesNotMatch(res.body, /script|evil/);
      }
      for (const host of ['archive.example.com', 'callrecords_app:8443', '127.0.0.1:9', '[::1]:8080']) {
        const res = await t.app.inject({ method: 'GET', url: '/v1.0/communications/callRecords', headers: { host } });
        assert.equal(res.statusCode, 200, `${host}: ${res.body}`);
        assert.ok(res.json()['@odata.context'].startsWith(`http://${host}/v1.0/`));
      }
    });

    test('the server keeps serving', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/v1.0/communications/callRecords/ok-1' });
      assert.equal(res.statusCode, 200);
    });
  });
}

for (const backend of BACKENDS) {
  describe(`a record the store refuses (${backend.name})`, () => {
    let t: App;
    before(async () => {
      t = await createTestApp({ backend });
      // A stand-in for any value validation does not know the database cannot hold: the store refuses 'poison'.
      const write = t.db.records.write.bind(t.db.records);
      t.db.records.write = (records, receivedAt) =>
        records.some((r) => r.id === 'poison')
          ? Promise.reject(new Error('index row size 2720 exceeds maximum 2704'))
          : write(records, receivedAt);
    });
    after(() => t.close());

    test('costs only itself: the other records of its batch are stored', async () => {
      const res = await post(t, json(['before', 'poison', 'after'].map((id) => makeRecord({ id }))));
      assert.equal(res.status, 200, res.body);
      const outcomes = res.json.value as Record<string, Json>[];
      assert.deepEqual(
        outcomes.map((o) => o.status),
        ['inserted', 'rejected', 'inserted'],
      );
      assert.match(outcomes[1]!.reason, /cannot be stored: index row size/);
      for (const id of ['before', 'after']) {
        const read = await t.app.inject({ method: 'GET', url: `/v1.0/communications/callRecords/${id}` });
        assert.equal(read.statusCode, 200, id);
      }
    });
  });
}

describe('health check of an unreachable database', () => {
  let t: App;
  before(async () => {
    t = await createTestApp();
    const store: CallRecordDatabase = t.db;
    store.meta.health = () =>
      Promise.reject(new Error('connect ECONNREFUSED 10.20.30.40:5432 (postgres://archive:s3cret@db.internal/calls)'));
  });
  after(() => t.close());

  test('is a 503 that tells anonymous callers nothing of the database address', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    assert.equal(res.statusCode, 503);
    assert.equal(res.json().error.code, 'serviceNotAvailable');
    assert.match(res.json().error.message, /database is not available/);
    assert.doesNotMatch(res.body, /10\.20|5432|archive|s3cret|db\.internal|ECONNREFUSED/);
  });
});
