/**
 * Partial records as the API shows them (docs/api.md, "Version rules"): the ingest answer says what a record lacks,
 * `GET /api/callRecords?partial=true` lists the partial records page by page, `/api/health` counts them and the
 * history marks the partial versions. Graph responses do not show any of it.
 */
import type { Json } from './helpers/json.js';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cutShortCopy, listPageCopy, makeRecord } from './helpers/records.js';
import { FakeClock } from '../src/fake-clock.js';
import { IngestService } from '../src/ingest/ingest-service.js';
import { createTestApp, fixedClock, ingest } from './helpers/test-app.js';
import { BACKENDS } from './helpers/databases.js';

const CUT_TEXT = '60 of ≥ 61 sessions; follow sessions@odata.nextLink';

for (const backend of BACKENDS) {
  describe(`partial records over HTTP (${backend.name})`, () => {
    let t: Awaited<ReturnType<typeof createTestApp>>;
    before(async () => (t = await createTestApp({ backend })));
    after(() => t.close());

    const get = async (url: string) => {
      const res = await t.app.inject({ method: 'GET', url });
      return { status: res.statusCode, json: res.json() as Json };
    };

    test('a 283-session record saved from Graph is answered partial, with what is missing', async () => {
      const whole = makeRecord({ id: 'big-meeting', version: 4, sessions: 283 });
      const res = await ingest(t.app, cutShortCopy(whole));
      assert.equal(res.status, 200, JSON.stringify(res.json));
      assert.deepEqual(res.json.value[0], {
        index: 0,
        line: 1,
        id: 'big-meeting',
        status: 'inserted',
        version: 4,
        warnings: ['sessions@odata.nextLink: the source cut this collection short; only the items present are stored'],
        partial: CUT_TEXT,
      });
      assert.deepEqual(res.json.summary, {
        received: 1,
        inserted: 1,
        updated: 0,
        unchanged: 0,
        stale: 0,
        rejected: 0,
        partial: 1,
      });
    });

    test('the operator finds it in the partial list, in health and in the history', async () => {
      const list = await get('/api/callRecords?partial=true');
      assert.equal(list.status, 200);
      assert.deepEqual(list.json.value, [
        {
          id: 'big-meeting',
          version: 4,
          partial: CUT_TEXT,
          nextLinks: {
            'sessions@odata.nextLink':
              "https://graph.microsoft.com/v1.0/communications/callRecords('big-meeting')/sessions?$expand=segments&$skiptoken=page2",
          },
        },
      ]);
      assert.equal(list.json.nextLink, undefined);
      assert.equal((await get('/api/health')).json.partial, 1);
      assert.deepEqual(
        (await get('/api/callRecords/big-meeting/versions')).json.value.map((v: Json) => [v.version, v.partial]),
        [[4, CUT_TEXT]],
      );
    });

    test('Graph serves the sessions it has, without the stored next link or any partial flag', async () => {
      const res = await t.app.inject({
        method: 'GET',
        url: '/v1.0/communications/callRecords/big-meeting?$expand=sessions($expand=segments)',
      });
      assert.equal(res.statusCode, 200);
      assert.equal(res.json().sessions.length, 60);
      assert.doesNotMatch(res.body, /skiptoken=page2|partial|nextLinks/);
    });

    test('the partial list pages by id with a next link; completing a record takes it off', async () => {
      const records = Array.from({ length: 5 }, (_, i) => makeRecord({ id: `listed-${i}`, version: 2 }));
      await ingest(t.app, { value: records.map(listPageCopy) });
      const ids: string[] = [];
      let url: string | undefined = '/api/callRecords?partial=true&limit=2';
      while (url !== undefined) {
        const page = await get(url);
        assert.equal(page.status, 200, JSON.stringify(page.json));
        assert.ok(page.json.value.length <= 2);
        ids.push(...page.json.value.map((p: Json) => p.id));
        url = page.json.nextLink;
      }
      assert.deepEqual(ids, ['big-meeting', 'listed-0', 'listed-1', 'listed-2', 'listed-3', 'listed-4']);
      assert.equal((await get('/api/health')).json.partial, 6);

      const completed = await ingest(t.app, { value: records });
      assert.deepEqual(completed.json.summary.partial, 0);
      assert.deepEqual(
        (await get('/api/callRecords?partial=true')).json.value.map((p: Json) => p.id),
        ['big-meeting'],
      );
    });

    test('a version with a list-page copy and the whole body: /versions/{n} gives the one that is current', async () => {
      const whole = makeRecord({ id: 'both-bodies', version: 2, sessions: 2 });
      assert.equal((await ingest(t.app, whole)).status, 200);
      // The list-page copy arrives a day later, so "the latest received" alone would pick it.
      const later = new FakeClock(new Date(fixedClock.now().getTime() + 86_400_000));
      const [copy] = await new IngestService(t.db.records, later).ingest([{ value: listPageCopy(whole) }]);
      assert.equal(copy!.status, 'stale');
      const versions = (await get('/api/callRecords/both-bodies/versions')).json.value as Json[];
      assert.deepEqual(
        versions.map((v) => v.version),
        [2, 2],
      );
      assert.deepEqual(versions.map((v) => v.current).sort(), [false, true], 'one body of version 2 is current');
      const body = await t.app.inject({ method: 'GET', url: '/api/callRecords/both-bodies/versions/2' });
      assert.equal((JSON.parse(body.body) as Json).sessions.length, 2);
    });

    test('the list answers only partial=true, with a page size between 1 and 1000', async () => {
      for (const url of [
        '/api/callRecords',
        '/api/callRecords?partial=false',
        '/api/callRecords?partial=true&limit=0',
        '/api/callRecords?partial=true&limit=1001',
        '/api/callRecords?partial=true&limit=ten',
        '/api/callRecords?partial=true&after=a&after=b',
        '/api/callRecords?partial=true&after=a%00b',
      ]) {
        const res = await get(url);
        assert.equal(res.status, 400, url);
        assert.equal(res.json.error.code, 'BadRequest', url);
      }
    });
  });
}
