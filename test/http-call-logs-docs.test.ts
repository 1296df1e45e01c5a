/**
 * The documented examples of the five telephony functions (test/fixtures/graph-docs, README there): the documented
 * rows are ingested through `POST /api/logs/{kind}`, the documented request is sent as printed — and as Kiota's
 * request builders send it (namespace-qualified name, full DateTimeOffset literals, percent-encoded) — and the answer
 * has the documented shape: the context of the row type, `@odata.count` = the rows of the page, the documented rows.
 *
 * Quirks of the docs (fixtures README): `@odata.count` is 1000 while one or two rows are shown, and the next links
 * stand for rows left out, so the expected body is the documented one with the count of the rows shown and no next
 * link; the blocked-users body is not valid JSON (trailing commas), so they are removed before it is read; the SMS
 * example's row was sent on 2022-10-06, before the documented window, so the documented request returns no row and
 * a window that holds it returns it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BACKENDS } from './helpers/databases.js';
import { postLogs } from './helpers/call-logs.js';
import { FIXTURES_DIR, fixtureRequestPath } from './helpers/fixtures.js';
import { rebased } from './helpers/graph-doc-cases.js';
import type { Json } from './helpers/json.js';
import { createTestApp, INJECT_BASE } from './helpers/test-app.js';

interface DocCase {
  page: string;
  kind: string;
  ingestQuery?: string;
  /** The function name, for Kiota's namespace-qualified form. */
  fn: string;
  version: 'v1' | 'beta';
}

const CASES: DocCase[] = [
  { page: 'getpstncalls', kind: 'pstnCalls', fn: 'getPstnCalls', version: 'v1' },
  { page: 'getpstncalls', kind: 'pstnCalls', fn: 'getPstnCalls', version: 'beta' },
  { page: 'getdirectroutingcalls', kind: 'directRoutingCalls', fn: 'getDirectRoutingCalls', version: 'v1' },
  { page: 'getdirectroutingcalls', kind: 'directRoutingCalls', fn: 'getDirectRoutingCalls', version: 'beta' },
  { page: 'getsmslog', kind: 'smsLog', fn: 'getSmsLog', version: 'beta' },
  { page: 'getpstnblockeduserslog', kind: 'pstnBlockedUsersLog', fn: 'getPstnBlockedUsersLog', version: 'beta' },
  {
    page: 'getpstnonlinemeetingdialoutreport',
    kind: 'pstnOnlineMeetingDialoutReport',
    ingestQuery: '?fromDateTime=2022-11-01&toDateTime=2022-12-01',
    fn: 'getPstnOnlineMeetingDialoutReport',
    version: 'beta',
  },
];

function documented(c: DocCase): Json {
  const text = readFileSync(
    join(FIXTURES_DIR, `callrecords-callrecord-${c.page}.${c.version}.example1.response.json`),
    'utf8',
  );
  return JSON.parse(text.replace(/,(\s*})/g, '$1'));
}

/** The documented body as this archive answers it: the count of the rows shown, no next link (quirk 1). */
function expectedBody(doc: Json, rows: Json[]): Json {
  const body = rebased(doc) as Json;
  delete body['@odata.nextLink'];
  return { ...body, '@odata.count': rows.length, value: rows };
}

/** Rows as sorted texts with sorted keys: the archive's order of rows sharing a time, and of keys, is not Graph's. */
const byJson = (rows: Json[]) => rows.map((r) => JSON.stringify(r, Object.keys(r).sort())).sort();

for (const backend of BACKENDS) {
  describe(`telephony functions: documented examples (${backend.name})`, () => {
    let t: Awaited<ReturnType<typeof createTestApp>>;
    before(async () => {
      t = await createTestApp({ backend });
      // v1.0's examples first: the beta example of the same row (more properties) then replaces it, as a collector
      // pulling beta would store it; v1.0 still answers with v1.0's properties only.
      for (const c of CASES) {
        const res = await postLogs(t.app, c.kind, documented(c).value, c.ingestQuery ?? '');
        assert.equal(res.status, 200, JSON.stringify(res.json));
        assert.equal(res.json.summary.rejected, 0, JSON.stringify(res.json));
        assert.equal(res.json.summary.unchanged, 0, JSON.stringify(res.json));
      }
    });
    after(() => t.close());

    for (const c of CASES) {
      const name = `callrecords-callrecord-${c.page}.${c.version}.example1`;
      test(`${name}: the documented request gets the documented shape`, async () => {
        const doc = documented(c);
        const res = await t.app.inject({ method: 'GET', url: fixtureRequestPath(`${name}.request.txt`) });
        assert.equal(res.statusCode, 200, res.body);
        assert.match(String(res.headers['content-type']), /^application\/json/);
        const body = res.json();
        const rows = c.kind === 'smsLog' ? [] : doc.value;
        assert.deepEqual({ ...body, value: byJson(body.value) }, { ...expectedBody(doc, rows), value: byJson(rows) });
      });

      test(`${name}: Kiota's request builder URL gets the same rows`, async () => {
        const [from, to] = c.kind === 'smsLog' ? ['2022-10-01', '2022-11-01'] : documentedWindow(name);
        const literal = (d: string) => encodeURIComponent(`${d}T00:00:00.000Z`);
        const url =
          `/${c.version === 'v1' ? 'v1.0' : 'beta'}/communications/callRecords/microsoft.graph.callRecords.${c.fn}` +
          `(fromDateTime=${literal(from)},toDateTime=${literal(to)})`;
        const res = await t.app.inject({ method: 'GET', url });
        assert.equal(res.statusCode, 200, res.body);
        assert.deepEqual(byJson(res.json().value), byJson(documented(c).value));
        assert.equal(res.json()['@odata.count'], documented(c).value.length);
      });
    }

    test("Kiota's URL templates: the query options it may add, an offset, the short namespace of Go builders", async () => {
      // {+baseurl}/communications/callRecords/microsoft.graph.callRecords.getPstnCalls(fromDateTime={fromDateTime},
      // toDateTime={toDateTime}){?%24count,%24filter,%24search,%24skip,%24top}: $count and $filter are ignored.
      const from = encodeURIComponent('2019-10-31T19:00:00-05:00');
      const to = encodeURIComponent('2019-12-01T00:00:00+00:00');
      for (const ns of ['microsoft.graph.callRecords.', 'callRecords.']) {
        const res = await t.app.inject({
          method: 'GET',
          url: `/v1.0/communications/callRecords/${ns}getPstnCalls(fromDateTime=${from},toDateTime=${to})?%24count=true&%24filter=x`,
        });
        assert.equal(res.statusCode, 200, res.body);
        assert.equal(res.json().value.length, 1);
      }
    });

    test('the beta-only functions are not found under /v1.0', async () => {
      for (const fn of ['getSmsLog', 'getPstnBlockedUsersLog', 'getPstnOnlineMeetingDialoutReport']) {
        const res = await t.app.inject({
          method: 'GET',
          url: `/v1.0/communications/callRecords/${fn}(fromDateTime=2022-11-01,toDateTime=2022-12-01)`,
        });
        assert.equal(res.statusCode, 400, fn);
        assert.equal(res.json().error.code, 'BadRequest');
      }
    });

    test('the context names the row type under the service root', async () => {
      const res = await t.app.inject({
        method: 'GET',
        url: '/beta/communications/callRecords/getSmsLog(fromDateTime=2022-10-01,toDateTime=2022-11-01)',
      });
      assert.equal(
        res.json()['@odata.context'],
        `${INJECT_BASE}/beta/$metadata#Collection(microsoft.graph.callRecords.smsLogRow)`,
      );
    });
  });
}

function documentedWindow(name: string): [string, string] {
  const m = /fromDateTime=([\d-]+),toDateTime=([\d-]+)/.exec(fixtureRequestPath(`${name}.request.txt`))!;
  return [m[1]!, m[2]!];
}
