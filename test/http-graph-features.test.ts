/** Graph behaviours beyond the documented examples: headers, preferences, $select, key forms, contained paths. */
import type { Json } from './helpers/json.js';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, ingest, INJECT_BASE } from './helpers/test-app.js';
import { makeRecord } from './helpers/records.js';
import { BACKENDS } from './helpers/databases.js';

const ID = "rec-o'neil";
const KEY = encodeURIComponent(ID.replace("'", "''"));

for (const backend of BACKENDS) {
  describe(`Graph API features (${backend.name})`, () => {
    let t: Awaited<ReturnType<typeof createTestApp>>;
    before(async () => {
      t = await createTestApp({ backend });
      const record = makeRecord({ id: ID, sessions: 2, participants: 3 });
      record.sessions[0].caller.userAgent.productFamily = 'azureCommunicationServices';
      record.sessions[0].caller.userAgent.platform = 'beos';
      record.sessions[0].customExtension = { kept: true };
      record.tenantNote = 'unknown top-level property';
      const res = await ingest(t.app, record);
      assert.equal(res.json.value[0].status, 'inserted');
      assert.match(res.json.value[0].warnings.join('\n'), /sessions\[0\]\.caller\.userAgent\.platform: 'beos'/);
    });
    after(() => t.close());

    const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

    test('request-id is set and client-request-id is echoed', async () => {
      const res = await get(`/v1.0/communications/callRecords('${KEY}')`, { 'client-request-id': 'abc-123' });
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['request-id']), /^[0-9a-f-]{36}$/);
      assert.equal(res.headers['client-request-id'], 'abc-123');
      assert.equal(
        res.headers['content-type'],
        'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8',
      );
    });

    test('the key form and the path form address the same record; quotes in ids are doubled', async () => {
      const a = (await get(`/v1.0/communications/callRecords('${KEY}')`)).json();
      const b = (await get(`/v1.0/communications/callRecords/${encodeURIComponent(ID)}`)).json();
      assert.deepEqual(a, b);
      assert.equal(a.id, ID);
      assert.equal(
        a['organizer_v2@odata.context'],
        `${INJECT_BASE}/v1.0/$metadata#communications/callRecords('rec-o''neil')/organizer_v2/$entity`,
      );
    });

    test('evolvable enum members are unknownFutureValue unless Prefer: include-unknown-enum-members', async () => {
      const url = `/v1.0/communications/callRecords/${encodeURIComponent(ID)}/sessions`;
      const plain = await get(url);
      assert.equal(plain.json().value[0].caller.userAgent.productFamily, 'unknownFutureValue');
      assert.equal(plain.headers['preference-applied'], undefined);
      const opted = await get(url, { prefer: 'include-unknown-enum-members' });
      assert.equal(opted.json().value[0].caller.userAgent.productFamily, 'azureCommunicationServices');
      assert.equal(opted.headers['preference-applied'], 'include-unknown-enum-members');
    });

    test('Prefer: omit-values=nulls drops null values', async () => {
      const url = `/v1.0/communications/callRecords/${encodeURIComponent(ID)}`;
      assert.ok('joinWebUrl' in (await get(url)).json(), 'a null value is sent by default');
      const res = await get(url, { prefer: 'omit-values=nulls' });
      assert.ok(!('joinWebUrl' in res.json()), 'a null value is omitted when asked');
      assert.equal(res.headers['preference-applied'], 'omit-values=nulls');
    });

    test('unknown properties and enum values round-trip', async () => {
      const res = (await get(`/v1.0/communications/callRecords/${encodeURIComponent(ID)}?$expand=sessions`)).json();
      assert.equal(res.tenantNote, 'unknown top-level property');
      assert.deepEqual(res.sessions[0].customExtension, { kept: true });
      assert.equal(res.sessions[0].caller.userAgent.platform, 'beos');
    });

    test('$select on a record and inside $expand', async () => {
      const res = (
        await get(
          `/v1.0/communications/callRecords/${encodeURIComponent(ID)}?$select=id,version&$expand=sessions($select=id;$expand=segments)`,
        )
      ).json();
      assert.equal(
        res['@odata.context'],
        `${INJECT_BASE}/v1.0/$metadata#communications/callRecords(id,version,sessions(id,segments()))/$entity`,
      );
      assert.deepEqual(Object.keys(res.sessions[0]), ['id', 'segments']);
      assert.equal(res.version, 1);
      assert.equal(res.type, undefined);
    });

    test('the Kiota form $expand=sessions($expand%3Dsegments) works', async () => {
      const res = (
        await get(`/v1.0/communications/callRecords/${encodeURIComponent(ID)}?$expand=sessions($expand%3Dsegments)`)
      ).json();
      assert.equal(res.sessions[0].segments.length, 1);
    });

    test('contained paths: one session, its segments, one segment, participants, organizer, $count', async () => {
      const base = `/v1.0/communications/callRecords/${encodeURIComponent(ID)}`;
      const session = (await get(`${base}/sessions/${encodeURIComponent(`${ID}-s1`)}?$expand=segments`)).json();
      assert.equal(session.id, `${ID}-s1`);
      assert.equal(session.segments.length, 1);
      const segments = (await get(`${base}/sessions/${encodeURIComponent(`${ID}-s1`)}/segments`)).json();
      assert.equal(segments.value[0].id, `${ID}-s1-seg0`);
      const segment = (
        await get(`${base}/sessions/${encodeURIComponent(`${ID}-s1`)}/segments/${encodeURIComponent(`${ID}-s1-seg0`)}`)
      ).json();
      assert.equal(segment.media[0].label, 'main-audio');
      assert.match(segment['@odata.context'], /\/segments\/\$entity$/);
      const participant = (await get(`${base}/participants_v2/${encodeURIComponent(`${ID}-user-2`)}`)).json();
      assert.equal(participant.id, `${ID}-user-2`);
      const organizer = (await get(`${base}/organizer_v2`)).json();
      assert.equal(organizer.id, `${ID}-user-0`);
      assert.equal((await get(`${base}/sessions/$count`)).body, '2');
      assert.equal((await get(`${base}/participants_v2/$count`)).body, '3');
    });

    test('$count on the list honours $filter', async () => {
      const all = await get('/v1.0/communications/callRecords/$count');
      assert.equal(all.body, '1');
      assert.match(String(all.headers['content-type']), /^text\/plain/);
      const none = await get(
        '/v1.0/communications/callRecords/$count?$filter=startDateTime%20gt%202030-01-01T00:00:00Z',
      );
      assert.equal(none.body, '0');
    });

    test('a write on a Graph path is 405 with Allow, whatever its body', async () => {
      const res = await t.app.inject({
        method: 'PUT',
        url: `/v1.0/communications/callRecords/${encodeURIComponent(ID)}`,
        headers: { 'content-type': 'application/xml' },
        payload: '<x/>',
      });
      assert.equal(res.statusCode, 405);
      assert.equal(res.headers.allow, 'GET, HEAD');
      assert.equal(res.json().error.code, 'MethodNotAllowed');
    });

    test('the participants_v2 collection context has no version segment, as documented', async () => {
      const res = (await get(`/beta/communications/callRecords/${encodeURIComponent(ID)}/participants_v2`)).json();
      assert.equal(
        res['@odata.context'],
        `${INJECT_BASE}/$metadata#communications/callRecords('rec-o''neil')/participants_v2`,
      );
    });

    test('a configured public URL is used in contexts and links', async () => {
      const { createApp } = await import('../src/http/create-app.js');
      const { fixedClock } = await import('./helpers/test-app.js');
      const app = await createApp({
        db: t.db,
        clock: fixedClock,
        bodyLimit: 1024,
        logger: false,
        publicUrl: 'https://calls.example.com',
      });
      const res = (await app.inject({ method: 'GET', url: '/v1.0/communications/callRecords' })).json();
      assert.equal(res['@odata.context'], 'https://calls.example.com/v1.0/$metadata#communications/callRecords');
      await app.close();
    });
  });

  describe(`history API (${backend.name})`, () => {
    let t: Awaited<ReturnType<typeof createTestApp>>;
    before(async () => (t = await createTestApp({ backend })));
    after(() => t.close());

    test('v2 then v1: GET returns v2, history has both, each retrievable', async () => {
      const v2 = await ingest(t.app, makeRecord({ id: 'hist', version: 2, sessions: 2 }));
      const v1 = await ingest(t.app, makeRecord({ id: 'hist', version: 1 }));
      assert.equal(v2.json.value[0].status, 'inserted');
      assert.equal(v1.json.value[0].status, 'stale');
      assert.equal(v1.json.value[0].version, 2);
      assert.equal(
        (await t.app.inject({ method: 'GET', url: '/v1.0/communications/callRecords/hist' })).json().version,
        2,
      );
      const versions = (await t.app.inject({ method: 'GET', url: '/api/callRecords/hist/versions' })).json();
      assert.deepEqual(
        versions.value.map((v: Json) => [v.version, v.current, v.receivedDateTime]),
        [
          [1, false, '2026-11-26T12:00:00.000Z'],
          [2, true, '2026-11-26T12:00:00.000Z'],
        ],
      );
      const raw = (await t.app.inject({ method: 'GET', url: '/api/callRecords/hist/versions/1' })).json();
      assert.equal(raw.version, 1);
      assert.equal(raw.sessions.length, 1);
      assert.equal((await t.app.inject({ method: 'GET', url: '/api/callRecords/hist/versions/3' })).statusCode, 404);
      assert.equal((await t.app.inject({ method: 'GET', url: '/api/callRecords/none/versions' })).statusCode, 404);
    });

    test('v1, v2, v2 again: two versions stored, one current; the repeat is unchanged', async () => {
      const statuses = [];
      for (const version of [1, 2, 2]) {
        statuses.push((await ingest(t.app, makeRecord({ id: 'again', version }))).json.value[0].status);
      }
      assert.deepEqual(statuses, ['inserted', 'updated', 'unchanged']);
      const versions = (await t.app.inject({ method: 'GET', url: '/api/callRecords/again/versions' })).json().value;
      assert.equal(versions.length, 2);
      assert.equal(versions.filter((v: Json) => v.current).length, 1);
    });

    test('a batch reports each item, rejected ones with their reason, and stores the rest', async () => {
      const bad = makeRecord({ id: 'batch-bad' });
      bad.startDateTime = 'soon';
      const res = await ingest(t.app, { value: [makeRecord({ id: 'batch-ok' }), bad] });
      assert.equal(res.status, 200);
      assert.deepEqual(res.json.summary, {
        received: 2,
        inserted: 1,
        updated: 0,
        unchanged: 0,
        stale: 0,
        rejected: 1,
        partial: 0,
      });
      assert.match(res.json.value[1].reason, /startDateTime: not an ISO-8601 date-time/);
      assert.equal(
        (await t.app.inject({ method: 'GET', url: '/v1.0/communications/callRecords/batch-bad' })).statusCode,
        404,
      );
    });

    test('a record its source cut short is stored with a warning', async () => {
      const record = makeRecord({ id: 'cut-short', sessions: 1 });
      record['sessions@odata.nextLink'] =
        'https://graph.microsoft.com/v1.0/communications/callRecords/x/sessions?$skiptoken=1';
      const res = await ingest(t.app, [record]);
      assert.equal(res.json.value[0].status, 'inserted');
      assert.match(res.json.value[0].warnings[0], /sessions@odata\.nextLink: the source cut this collection short/);
    });

    test('NDJSON bodies are accepted line by line', async () => {
      const body = [makeRecord({ id: 'nd-a' }), makeRecord({ id: 'nd-b' })].map((r) => JSON.stringify(r)).join('\n');
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/callRecords',
        headers: { 'content-type': 'application/x-ndjson' },
        payload: body,
      });
      assert.equal(res.json().summary.inserted, 2);
    });

    test('health reports the database and the record count', async () => {
      const res = (await t.app.inject({ method: 'GET', url: '/api/health' })).json();
      assert.deepEqual(res.database, { kind: backend.name, status: 'ok' });
      assert.equal(res.records, 6);
    });
  });
}
