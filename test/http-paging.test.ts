import type { Json } from './helpers/json.js';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { createTestApp, ingest, INJECT_BASE } from './helpers/test-app.js';
import { makeRecord } from './helpers/records.js';
import { BACKENDS } from './helpers/databases.js';

const ID = 'big-meeting';

/** Follows absolute next links (as Graph clients do) from a first URL; returns every page's body. */
async function follow(app: FastifyInstance, firstUrl: string, linkKey: string, headers = {}): Promise<Json[]> {
  const pages: Json[] = [];
  let url: string | undefined = firstUrl;
  while (url !== undefined) {
    assert.ok(url.startsWith('/') || url.startsWith(INJECT_BASE), `next link is absolute: ${url}`);
    const res: { statusCode: number; body: string; json(): Json } = await app.inject({
      method: 'GET',
      url: url.replace(INJECT_BASE, ''),
      headers,
    });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    pages.push(body);
    url = pages.length === 1 ? body[linkKey] : body['@odata.nextLink'];
    assert.ok(pages.length < 50, 'paging terminates');
  }
  return pages;
}

for (const backend of BACKENDS) {
  describe(`paging of a record with 150 sessions and 300 participants (${backend.name})`, () => {
    let t: Awaited<ReturnType<typeof createTestApp>>;
    before(async () => {
      t = await createTestApp({ backend });
      const res = await ingest(t.app, makeRecord({ id: ID, sessions: 150, participants: 300 }));
      assert.equal(res.json.value[0].status, 'inserted');
    });
    after(() => t.close());

    const expectedSessions = Array.from({ length: 150 }, (_, i) => `${ID}-s${i}`);
    const expectedParticipants = Array.from({ length: 300 }, (_, i) => `${ID}-user-${i}`);

    test('sessions@odata.nextLink from $expand=sessions($expand=segments) yields all 150 once', async () => {
      const pages = await follow(
        t.app,
        `/v1.0/communications/callRecords/${ID}?$expand=sessions($expand=segments)`,
        'sessions@odata.nextLink',
      );
      const [first, ...rest] = pages;
      assert.equal(first.sessions.length, 60);
      assert.match(
        first['sessions@odata.nextLink'],
        /^http:\/\/localhost:80\/v1\.0\/communications\/callRecords\('big-meeting'\)\/sessions\?\$expand=segments&\$skiptoken=/,
      );
      const ids = [...first.sessions, ...rest.flatMap((p) => p.value)].map((s: Json) => s.id);
      assert.deepEqual(ids, expectedSessions);
      assert.ok(
        rest.flatMap((p) => p.value).every((s: Json) => s.segments.length === 1),
        'later pages keep $expand=segments',
      );
      assert.deepEqual(
        pages.map((p) => (p === first ? p.sessions.length : p.value.length)),
        [60, 60, 30],
      );
    });

    test('participants_v2@odata.nextLink from $expand=participants_v2 yields all 300 once', async () => {
      const pages = await follow(
        t.app,
        `/v1.0/communications/callRecords/${ID}?$expand=participants_v2`,
        'participants_v2@odata.nextLink',
      );
      const [first, ...rest] = pages;
      assert.equal(first.participants_v2.length, 130);
      const ids = [...first.participants_v2, ...rest.flatMap((p) => p.value)].map((p: Json) => p.id);
      assert.deepEqual(ids, expectedParticipants);
    });

    test('…/sessions pages of 60 with @odata.nextLink yield all 150 once', async () => {
      const pages = await follow(t.app, `/v1.0/communications/callRecords/${ID}/sessions`, '@odata.nextLink');
      assert.deepEqual(
        pages.flatMap((p) => p.value).map((s: Json) => s.id),
        expectedSessions,
      );
      assert.ok(
        pages.flatMap((p) => p.value).every((s: Json) => s.segments === undefined),
        'segments only when expanded',
      );
    });

    test('…/participants_v2 pages of 130 yield all 300 once', async () => {
      const pages = await follow(t.app, `/v1.0/communications/callRecords/${ID}/participants_v2`, '@odata.nextLink');
      assert.deepEqual(
        pages.map((p) => p.value.length),
        [130, 130, 40],
      );
      assert.deepEqual(
        pages.flatMap((p) => p.value).map((p: Json) => p.id),
        expectedParticipants,
      );
    });

    test('Prefer: odata.maxpagesize lowers the page size and is echoed', async () => {
      const res = await t.app.inject({
        method: 'GET',
        url: `/v1.0/communications/callRecords/${ID}/sessions`,
        headers: { prefer: 'odata.maxpagesize=25' },
      });
      assert.equal(res.json().value.length, 25);
      assert.equal(res.headers['preference-applied'], 'odata.maxpagesize=25');
      const pages = await follow(t.app, `/v1.0/communications/callRecords/${ID}/sessions`, '@odata.nextLink', {
        prefer: 'odata.maxpagesize=25',
      });
      assert.equal(pages.length, 6);
      assert.equal(pages.flatMap((p) => p.value).length, 150);
    });

    test('a page size above the Graph maximum is not raised, and the size used is echoed', async () => {
      const res = await t.app.inject({
        method: 'GET',
        url: `/v1.0/communications/callRecords/${ID}/sessions`,
        headers: { prefer: 'odata.maxpagesize=500' },
      });
      assert.equal(res.json().value.length, 60);
      assert.equal(res.headers['preference-applied'], 'odata.maxpagesize=60');
    });
  });

  describe(`list paging over 200 records (${backend.name})`, () => {
    let t: Awaited<ReturnType<typeof createTestApp>>;
    before(async () => {
      t = await createTestApp({ backend });
      const records = Array.from({ length: 200 }, (_, i) =>
        makeRecord({
          id: `rec-${String(i).padStart(3, '0')}`,
          start: new Date(Date.UTC(2024, 2, 1, 8, i)).toISOString(),
        }),
      );
      await ingest(t.app, records);
    });
    after(() => t.close());

    test('pages of 60 visit every record once in startDateTime order', async () => {
      const pages = await follow(t.app, '/v1.0/communications/callRecords', '@odata.nextLink');
      assert.deepEqual(
        pages.map((p) => p.value.length),
        [60, 60, 60, 20],
      );
      const ids = pages.flatMap((p) => p.value).map((r: Json) => r.id);
      assert.deepEqual(
        ids,
        Array.from({ length: 200 }, (_, i) => `rec-${String(i).padStart(3, '0')}`),
      );
    });

    test('records added while paging do not shift or repeat what is left', async () => {
      const first = (await t.app.inject({ method: 'GET', url: '/v1.0/communications/callRecords' })).json();
      // A new record that sorts before the cursor, and one after it.
      await ingest(t.app, [
        makeRecord({ id: 'late-early', start: '2024-03-01T07:00:00Z' }),
        makeRecord({ id: 'late-later', start: '2024-03-01T20:00:00Z' }),
      ]);
      const rest = await follow(t.app, first['@odata.nextLink'], '@odata.nextLink');
      const ids = [...first.value, ...rest.flatMap((p) => p.value)].map((r: Json) => r.id);
      assert.equal(new Set(ids).size, ids.length, 'no record twice');
      assert.ok(!ids.includes('late-early'), 'a record before the cursor is not picked up');
      assert.equal(ids.at(-1), 'late-later');
      assert.equal(ids.length, 201);
    });

    test('$filter and $select are kept in the next link', async () => {
      const url =
        '/v1.0/communications/callRecords?$filter=startDateTime ge 2024-03-01T09:00:00%2B01:00 and startDateTime lt 2024-03-01T10:00:00Z&$select=id,startDateTime'.replaceAll(
          ' ',
          '%20',
        );
      const pages = await follow(t.app, url, '@odata.nextLink');
      const items = pages.flatMap((p) => p.value);
      assert.equal(items.length, 120);
      assert.deepEqual(Object.keys(items[0]), ['id', 'startDateTime']);
      assert.match(pages[0]['@odata.context'], /callRecords\(id,startDateTime\)$/);
    });
  });

  describe(`next links for awkward ids, and records that change while paging (${backend.name})`, () => {
    let t: Awaited<ReturnType<typeof createTestApp>>;
    before(async () => (t = await createTestApp({ backend })));
    after(() => t.close());

    test("an id with spaces, '%', '#', '?', '&', '/' and a quote pages through its links", async () => {
      const id = "rec 50%#?&x/y'z";
      await ingest(t.app, makeRecord({ id, sessions: 3, participants: 3 }));
      const prefer = { prefer: 'odata.maxpagesize=1' };
      const sessions = await follow(
        t.app,
        `/v1.0/communications/callRecords/${encodeURIComponent(id)}?$expand=sessions`,
        'sessions@odata.nextLink',
        prefer,
      );
      assert.deepEqual(
        [sessions[0].sessions, ...sessions.slice(1).map((p) => p.value)].flat().map((s: Json) => s.id),
        [0, 1, 2].map((i) => `${id}-s${i}`),
      );
      const participants = await follow(
        t.app,
        `/v1.0/communications/callRecords/${encodeURIComponent(id)}/participants_v2`,
        '@odata.nextLink',
        prefer,
      );
      assert.equal(participants.flatMap((p) => p.value).length, 3);
    });

    test('a sessions page link of a record that changed since is refused, not mixed', async () => {
      await ingest(t.app, makeRecord({ id: 'moving', version: 1, sessions: 5 }));
      const url = '/v1.0/communications/callRecords/moving/sessions';
      const first = (await t.app.inject({ method: 'GET', url, headers: { prefer: 'odata.maxpagesize=2' } })).json();
      await ingest(t.app, makeRecord({ id: 'moving', version: 2, sessions: 3 }));
      const next = await t.app.inject({ method: 'GET', url: first['@odata.nextLink'].replace(INJECT_BASE, '') });
      assert.equal(next.statusCode, 400);
      assert.equal(next.json().error.code, 'invalidSkipToken');
      assert.match(next.json().error.message, /changed since this paging began/);
    });
  });
}
