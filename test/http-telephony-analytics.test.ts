/**
 * The telephony analytics API (`GET /api/analytics/telephony`, issue 14 point 5) on both stores: every dimension and
 * every measure once, checked against answers computed in the test from the rows it posted; a filter over numbers,
 * flags and days; CSV; and bad requests naming what is wrong.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TELEPHONY_DIMENSIONS, TELEPHONY_MEASURES } from '../src/analytics/telephony/telephony-catalog.js';
import { generateRecords } from '../src/generate/index.js';
import { postLogs } from './helpers/call-logs.js';
import { BACKENDS } from './helpers/databases.js';
import type { Json } from './helpers/json.js';
import { expectedTable, factValue, telephonyFacts, type LogFact } from './helpers/telephony-facts.js';
import { createTestApp, ingest } from './helpers/test-app.js';

const MEASURES = Object.keys(TELEPHONY_MEASURES);
const DIMENSIONS = Object.keys(TELEPHONY_DIMENSIONS);

for (const backend of BACKENDS) {
  describe(`telephony analytics (${backend.name})`, () => {
    let t: Awaited<ReturnType<typeof createTestApp>>;
    let facts: LogFact[];
    const get = async (query: string, headers: Record<string, string> = {}) =>
      t.app.inject({ method: 'GET', url: `/api/analytics/telephony?${query}`, headers });
    const rowsOf = (body: Json, columns: string[]) => body.rows.map((r: Json) => columns.map((c) => r[c]));

    before(async () => {
      t = await createTestApp({ backend, bodyLimit: 8 * 1024 * 1024 });
      const options = { calls: 3, seed: 5, from: new Date('2025-02-26T00:00:00Z'), days: 2, versions: false };
      const records = [...generateRecords({ ...options, media: false })];
      assert.equal((await ingest(t.app, records)).json.summary.inserted, 3);
      facts = telephonyFacts(records.map((r) => r.id as string));
      for (const kind of ['pstnCalls', 'directRoutingCalls'] as const) {
        const posted = await postLogs(
          t.app,
          kind,
          facts.filter((f) => f.kind === kind).map((f) => f.row),
        );
        assert.equal(posted.json.summary.rejected, 0, JSON.stringify(posted.json).slice(0, 400));
      }
    });
    after(() => t.close());

    test('every measure, over all rows and by source', async () => {
      for (const by of [[], ['source']]) {
        const res = await get(`measures=${MEASURES.join(',')}${by.length ? `&by=${by.join(',')}` : ''}`);
        assert.equal(res.statusCode, 200, res.body);
        const body = res.json();
        assert.deepEqual(body.columns, [...by, ...MEASURES]);
        assert.deepEqual(rowsOf(body, body.columns), expectedTable(facts, by, MEASURES));
      }
    });

    test('every dimension, with calls and minutes', async () => {
      for (const d of DIMENSIONS) {
        const res = await get(`measures=calls,minutes&by=${d}`);
        assert.equal(res.statusCode, 200, `${d}: ${res.body}`);
        const expected = expectedTable(facts, [d], ['calls', 'minutes']);
        assert.ok(expected.length > 1, `${d} splits the rows`);
        assert.deepEqual(rowsOf(res.json(), [d, 'calls', 'minutes']), expected, d);
      }
    });

    test('by day and trunk over Direct Routing, filtered by day, SIP code, success and the call-record join', async () => {
      const cases: Array<[string, (f: LogFact) => boolean]> = [
        [
          "source eq 'directRouting' and date ge 2025-03-01",
          (f) => factValue(f, 'source') === 'directRouting' && (factValue(f, 'day') as string) >= '2025-03-01',
        ],
        ['sipCode in (404, 487)', (f) => [404, 487].includes(factValue(f, 'sipCode') as number)],
        ['successful eq false or hasCallRecord eq true', (f) => f.row.successfulCall === false || f.hasRecord],
        [
          "not (trunk eq 'sbc1.contoso.com') and currency ne 'EUR'",
          (f) => factValue(f, 'trunk') !== 'sbc1.contoso.com' && f.row.currency !== 'EUR',
        ],
        [
          'trunk eq null and week eq 2025-03-03',
          (f) => factValue(f, 'trunk') === null && factValue(f, 'week') === '2025-03-03',
        ],
      ];
      const measures = ['calls', 'successRate', 'minutes', 'charge'];
      for (const [filter, keep] of cases) {
        const res = await get(`measures=${measures.join(',')}&by=day,trunk&filter=${encodeURIComponent(filter)}`);
        assert.equal(res.statusCode, 200, `${filter}: ${res.body}`);
        const expected = expectedTable(facts.filter(keep), ['day', 'trunk'], measures);
        assert.ok(expected.length > 0, `${filter} keeps rows`);
        assert.deepEqual(rowsOf(res.json(), ['day', 'trunk', ...measures]), expected, filter);
      }
    });

    test('the join to call records: Direct Routing rows whose correlationId is an archived record', async () => {
      const res = await get("measures=calls&by=hasCallRecord&filter=source eq 'directRouting'");
      assert.deepEqual(res.json().rows, [
        { hasCallRecord: false, calls: facts.filter((f) => f.kind === 'directRoutingCalls' && !f.hasRecord).length },
        { hasCallRecord: true, calls: 3 },
      ]);
    });

    test('CSV with Accept: text/csv', async () => {
      const res = await get('measures=calls,charge&by=source,currency', { accept: 'text/csv' });
      assert.equal(res.statusCode, 200);
      assert.match(res.headers['content-type'] as string, /^text\/csv/);
      const lines = res.body.split('\r\n');
      assert.equal(lines[0], 'source,currency,calls,charge');
      const expected = expectedTable(facts, ['source', 'currency'], ['calls', 'charge']);
      assert.deepEqual(
        lines.slice(1, -1),
        expected.map((row) => row.map((c) => (c === null ? '' : String(c))).join(',')),
      );
      assert.equal(lines.at(-1), '');
    });

    test('bad requests are 400 naming what is wrong', async () => {
      const bad: Array<[string, RegExp]> = [
        ['by=day', /at least one measure/],
        ['measures=calls,poorStreams,bogus', /unknown measure\(s\): poorStreams, bogus/],
        ['measures=calls&by=trunk,building', /unknown dimension\(s\) in by: building/],
        ['measures=calls&filter=nosuch eq 1', /unknown dimension in filter: nosuch/],
        ["measures=calls&filter=sipCode eq '404'", /sipCode cannot be compared with "404"/],
        ['measures=calls&filter=successful eq 1', /successful cannot be compared with 1/],
        ["measures=calls&filter=trunk eq 'a' and", /malformed filter/],
      ];
      for (const [query, message] of bad) {
        const res = await get(query);
        assert.equal(res.statusCode, 400, query);
        assert.match(res.json().error.message as string, message, query);
      }
    });
  });
}
