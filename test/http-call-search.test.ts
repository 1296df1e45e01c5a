/**
 * The call search and one call's streams over HTTP on every backend (docs/analytics.md "Call search" and "One call's
 * streams"): next links followed to the end visit every call once, newest first; parameters read as form values; 400
 * naming each bad parameter; 404 in the Graph shape for a call that is not archived.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { STREAM_COLUMNS } from '../src/analytics/stream-columns.js';
import { generateRecords } from '../src/generate/index.js';
import { createApp } from '../src/http/create-app.js';
import type { CallRecordDatabase } from '../src/storage/roles.js';
import { referenceCalls } from './helpers/call-search-reference.js';
import { BACKENDS } from './helpers/databases.js';
import type { Json } from './helpers/json.js';
import { createTestApp, fixedClock, INJECT_BASE, ingest } from './helpers/test-app.js';

// Every fourth call starts at one instant, so the next links must page across equal start times.
const TENANT: Json[] = [
  ...generateRecords({ calls: 30, seed: 17, from: new Date('2026-09-01T00:00:00Z'), days: 7, versions: false }),
].map((record, i) => (i % 4 === 0 ? { ...record, startDateTime: '2026-09-03T08:00:00.5Z' } : record));
const NO_MEDIA: Json = [
  ...generateRecords({
    calls: 1,
    seed: 2,
    from: new Date('2026-09-02T00:00:00Z'),
    days: 1,
    versions: false,
    media: false,
  }),
][0];

const ITEM_KEYS = ['id', 'startDateTime', 'callType', 'participants', 'streams', 'poorStreams', 'poor', 'failures'];

for (const backend of BACKENDS) {
  describe(`call search API: ${backend.name}`, () => {
    let app: FastifyInstance;
    let db: CallRecordDatabase;
    let close: () => Promise<void>;
    before(async () => {
      ({ app, db, close } = await createTestApp({ backend, bodyLimit: 64 * 1024 * 1024 }));
      assert.equal((await ingest(app, [...TENANT, NO_MEDIA])).status, 200);
    });
    after(() => close());

    const get = (url: string) => app.inject({ method: 'GET', url });

    /** Every page from `url` on, following @odata.nextLink; each link checked to be absolute and to keep the query. */
    async function follow(url: string): Promise<Json[]> {
      const pages: Json[] = [];
      for (let next: string | undefined = url; next !== undefined;) {
        const res = await get(next);
        assert.equal(res.statusCode, 200, res.body);
        const body = res.json();
        pages.push(body);
        next = body['@odata.nextLink'];
        if (next !== undefined) {
          assert.ok(next.startsWith(`${INJECT_BASE}/api/analytics/calls?`), next);
          next = next.slice(INJECT_BASE.length);
        }
      }
      return pages;
    }

    test('next links followed to the end visit every call with streams once, newest first', async () => {
      const pages = await follow('/api/analytics/calls?top=4');
      const expected = referenceCalls(TENANT);
      assert.equal(pages.length, Math.ceil(expected.length / 4));
      const calls = pages.flatMap((p) => p.value);
      assert.deepEqual(
        calls.map((c: Json) => c.id),
        expected.map((c) => c.id),
      );
      for (const [i, call] of calls.entries()) {
        assert.deepEqual(Object.keys(call), ITEM_KEYS);
        assert.equal(Date.parse(call.startDateTime), Date.parse(TENANT.find((r) => r.id === call.id).startDateTime));
        assert.equal(call.streams, expected[i]!.streams);
      }
      assert.ok(pages.every((p) => p.ruleSet === 'current@1'));
      assert.ok(!calls.some((c: Json) => c.id === NO_MEDIA.id), 'a call without streams is not found');
    });

    test('next links keep the filters: a week, poor only, two at a time', async () => {
      const pages = await follow('/api/analytics/calls?from=2026-09-02&to=2026-09-06&poorOnly=true&top=2');
      assert.ok(pages.length > 1, 'more than one page');
      const calls = pages.flatMap((p) => p.value);
      assert.ok(calls.every((c: Json) => c.poor && c.startDateTime >= '2026-09-02' && c.startDateTime < '2026-09-06'));
      for (const page of pages.slice(0, -1)) {
        const link = new URL(page['@odata.nextLink']);
        assert.deepEqual([...link.searchParams.keys()], ['from', 'to', 'poorOnly', 'top', 'skiptoken']);
      }
      const all = (await follow('/api/analytics/calls?top=200')).flatMap((p) => p.value);
      assert.deepEqual(
        calls.map((c: Json) => c.id),
        all
          .filter((c: Json) => c.poor && c.startDateTime >= '2026-09-02' && c.startDateTime < '2026-09-06')
          .map((c: Json) => c.id),
      );
    });

    test('next links are built on --public-url when set, else on a well-formed Host only', async () => {
      const publicApp = await createApp({
        db,
        clock: fixedClock,
        bodyLimit: 1024,
        logger: false,
        publicUrl: 'https://calls.example.com',
      });
      try {
        const res = await publicApp.inject({ method: 'GET', url: '/api/analytics/calls?top=1' });
        assert.ok(res.json()['@odata.nextLink'].startsWith('https://calls.example.com/api/analytics/calls?top=1&'));
      } finally {
        await publicApp.close();
      }
      const bad = await app.inject({ method: 'GET', url: '/api/analytics/calls?top=1', headers: { host: 'a/b' } });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.json().error.message, /Host/);
    });

    test('user is read as a form value: a full name with + for the space, an apostrophe', async () => {
      const all = (await follow('/api/analytics/calls?top=200')).flatMap((p) => p.value);
      const person = all.flatMap((c: Json) => c.participants).find((p: Json) => p.displayName?.includes(' '));
      const [first, last] = person.displayName.split(' ');
      const found = (await follow(`/api/analytics/calls?user=${first.toLowerCase()}+${last.toUpperCase()}`)).flatMap(
        (p) => p.value,
      );
      assert.deepEqual(
        found.map((c: Json) => c.id),
        all
          .filter((c: Json) => c.participants.some((p: Json) => p.displayName === person.displayName))
          .map((c: Json) => c.id),
      );
      const res = await get("/api/analytics/calls?user=O'Brien&top=3");
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json().value, []);
    });

    test('a bad parameter is a 400 BadRequest naming it', async () => {
      const cases: [string, string][] = [
        ['from=2026-02-30', "'from'"],
        ['to=yesterday', "'to'"],
        ['top=0', "'top'"],
        ['top=201', "'top'"],
        ['top=ten', "'top'"],
        ['poorOnly=yes', "'poorOnly'"],
        ['skiptoken=not-a-token', "'skiptoken'"],
        [`skiptoken=${Buffer.from('["yesterday","x"]').toString('base64url')}`, "'skiptoken'"],
        ['pooronly=true', "'pooronly'"],
        ['user=a%00b', "'user'"],
        [
          `skiptoken=${Buffer.from('["2026-09-03T08:00:00.5000000Z","a\\u0000"]').toString('base64url')}`,
          "'skiptoken'",
        ],
      ];
      for (const [query, named] of cases) {
        const res = await get(`/api/analytics/calls?${query}`);
        assert.equal(res.statusCode, 400, query);
        const body = res.json();
        assert.equal(body.error.code, 'BadRequest', query);
        assert.ok(body.error.message.includes(named), `${query}: ${body.error.message}`);
      }
    });

    test('one call’s streams: every documented column, by stream ordinal, the metrics as numbers', async () => {
      const call = referenceCalls(TENANT).find((c) => c.streams > 2)!;
      const res = await get(`/api/analytics/calls/${encodeURIComponent(call.id)}/streams`);
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['callrecords-rule-set'], 'current@1');
      const body = res.json();
      assert.deepEqual(Object.keys(body), ['ruleSet', 'callId', 'value']);
      assert.equal(body.callId, call.id);
      assert.equal(body.value.length, call.streams);
      assert.deepEqual(
        body.value.map((s: Json) => s.streamOrdinal),
        [...Array(call.streams).keys()],
      );
      for (const stream of body.value) {
        assert.deepEqual(
          Object.keys(stream),
          STREAM_COLUMNS.map((c) => c.name),
        );
        assert.equal(stream.callId, call.id);
      }
      const audio = body.value.find((s: Json) => s.mediaType === 'audio' && s.averageJitterMs !== null);
      assert.equal(typeof audio.averageJitterMs, 'number');
      assert.ok(['Good', 'Poor', 'Unclassified'].includes(audio.classification));
    });

    test('a call not archived is a Graph 404; an archived call without streams has none', async () => {
      const res = await get('/api/analytics/calls/00000000-0000-0000-0000-000000000000/streams');
      assert.equal(res.statusCode, 404);
      const body = res.json();
      assert.equal(body.error.code, 'NotFound');
      assert.match(body.error.message, /00000000-0000-0000-0000-000000000000/);
      assert.equal(body.error.innerError['request-id'], res.headers['request-id']);
      assert.equal((await get('/api/analytics/calls/a%00b/streams')).statusCode, 404);
      const none = await get(`/api/analytics/calls/${NO_MEDIA.id}/streams`);
      assert.equal(none.statusCode, 200);
      assert.deepEqual(none.json().value, []);
    });
  });
}
