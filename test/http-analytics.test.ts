/**
 * The analytics query API over HTTP on every backend (docs/api.md "Analytics"): JSON and CSV answers naming the rule
 * set, filters read from the raw URL, the canned reports, and the 400s that name what is wrong.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { parseBuildingFile } from '../src/analytics/building-file.js';
import { REPORTS } from '../src/analytics/query/reports.js';
import { generateRecords } from '../src/generate/index.js';
import { parseCsv } from './helpers/csv.js';
import { BACKENDS } from './helpers/databases.js';
import { createTestApp, ingest } from './helpers/test-app.js';

const TENANT = [
  ...generateRecords({ calls: 40, seed: 3, from: new Date('2026-09-01T00:00:00Z'), days: 21, versions: false }),
];
// A building name with a comma and quotes, as CSV must quote it.
const BUILDINGS = `10.10.0.0,HQ,16,"Tower ""A"", East",Owned,Office,Main,Seattle,98101,US,WA,NA,1,0`;

for (const backend of BACKENDS) {
  describe(`analytics API: ${backend.name}`, () => {
    let app: FastifyInstance;
    let close: () => Promise<void>;
    before(async () => {
      const created = await createTestApp({ backend, bodyLimit: 256 * 1024 * 1024 });
      ({ app, close } = created);
      assert.equal((await ingest(app, TENANT)).status, 200);
      const parsed = parseBuildingFile(BUILDINGS);
      assert.ok(parsed.ok, JSON.stringify(parsed));
      await created.db.streams.replaceBuildings(parsed.buildings);
    });
    after(() => close());

    const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });

    test('JSON: one object per group, the columns in order, the rule set named in the body and a header', async () => {
      const res = await get(
        `/api/analytics?measures=poorStreamPct,streams&by=week,building&filter=${encodeURIComponent("mediaType eq 'audio' and date ge 2026-09-01")}`,
      );
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^application\/json/);
      assert.equal(res.headers['callrecords-rule-set'], 'current@1');
      const body = res.json();
      assert.equal(body.ruleSet, 'current@1');
      assert.deepEqual(body.columns, ['week', 'building', 'poorStreamPct', 'streams']);
      assert.ok(body.rows.length >= 3);
      assert.ok(body.rows.some((r: { building: string | null }) => r.building === 'Tower "A", East'));
      for (const row of body.rows) {
        assert.deepEqual(Object.keys(row), body.columns);
        assert.ok(row.week >= '2026-08-31' && row.streams > 0);
      }
    });

    test('CSV with Accept: text/csv (or format=csv): the same table, quoted where needed', async () => {
      const url = '/api/analytics?measures=streams,poorStreamPct,avgJitter&by=building,vpn';
      const json = (await get(url)).json();
      const res = await get(url, { accept: 'text/csv' });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'text/csv; charset=utf-8');
      assert.equal(res.headers['callrecords-rule-set'], 'current@1');
      assert.match(res.body, /"Tower ""A"", East"/);
      const [header, ...rows] = parseCsv(res.body);
      assert.deepEqual(header, json.columns);
      const text = (v: unknown) => (v === null ? '' : String(v));
      assert.deepEqual(
        rows,
        json.rows.map((r: Record<string, unknown>) => json.columns.map((c: string) => text(r[c]))),
      );
      assert.equal((await get(`${url}&format=csv`)).body, res.body);
    });

    test('a filter literal may hold & and + when sent unencoded; + outside quotes is a space', async () => {
      const res = await get("/api/analytics?measures=streams&filter=building+eq+'R&D+lab'&by=mediaType");
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json().rows, []);
    });

    test('bad requests are 400 and name every unknown measure, dimension and filter mistake', async () => {
      const cases: [string, RegExp[]][] = [
        ['/api/analytics?by=day', [/at least one measure/]],
        ['/api/analytics?measures=streams,poorness,jitterz', [/unknown measure\(s\): poorness, jitterz/]],
        ['/api/analytics?measures=streams&by=day,planet', [/unknown dimension\(s\) in by: planet/]],
        ["/api/analytics?measures=streams&filter=colour eq 'red'", [/unknown dimension in filter: colour/]],
        [
          "/api/analytics?measures=streams&filter=mediaType eq 'audio' and",
          [/malformed filter: expected a name at the end/],
        ],
        ["/api/analytics?measures=streams&filter=mediaType equals 'audio'", [/malformed filter: expected an operator/]],
        ['/api/analytics?measures=streams&filter=date ge 2026-13-01', [/malformed filter: '2026-13-01'/]],
        ['/api/analytics?measures=streams&filter=vpn eq 1', [/vpn cannot be compared with 1/]],
        ['/api/analytics?measures=streams&filter=building gt null', [/building gt null/]],
        ['/api/analytics?measures=nope&by=nada', [/unknown measure\(s\): nope/, /unknown dimension\(s\) in by: nada/]],
      ];
      for (const [url, messages] of cases) {
        const res = await get(encodeURI(url));
        assert.equal(res.statusCode, 400, url);
        const error = res.json().error;
        assert.equal(error.code, 'BadRequest');
        for (const message of messages) assert.match(error.message, message, url);
      }
    });

    test('every canned report answers, with its own columns; unknown ones are 404', async () => {
      const user = (TENANT[0]!.organizer_v2 as { identity: { user: { id: string } } }).identity.user.id;
      const expected: Record<string, string[]> = {
        'poor-trend': ['week', 'poorStreamPct', 'poorStreams', 'goodStreams', 'streams'],
        'by-building': ['building', 'network', 'poorStreamPct', 'poorStreams', 'goodStreams', 'streams'],
        'by-connection-type': [
          'firstConnectionType',
          'secondConnectionType',
          'poorStreamPct',
          'poorStreams',
          'goodStreams',
          'streams',
        ],
        'by-client-version': [
          'productFamily',
          'clientVersion',
          'poorStreamPct',
          'poorStreams',
          'goodStreams',
          'streams',
        ],
        'by-device': ['captureDevice', 'renderDevice', 'poorStreamPct', 'poorStreams', 'goodStreams', 'streams'],
        'poor-reasons': ['reason', 'poorStreams'],
        failures: ['failureStage', 'failureReason', 'failures'],
        'user-calls': [
          'callStart',
          'callId',
          'callType',
          'streams',
          'poorStreams',
          'poorStreamPct',
          'avgJitter',
          'avgRoundTrip',
          'avgPacketLoss',
          'failures',
        ],
      };
      assert.deepEqual(Object.keys(REPORTS).sort(), Object.keys(expected).sort());
      for (const [name, columns] of Object.entries(expected)) {
        const res = await get(`/api/analytics/reports/${name}?from=2026-09-01&to=2026-10-01&userId=${user}`);
        assert.equal(res.statusCode, 200, `${name}: ${res.body}`);
        const body = res.json();
        assert.deepEqual(body.columns, columns, name);
        assert.equal(body.ruleSet, 'current@1');
        assert.ok(body.rows.length > 0, name);
      }
      const reasons = (await get('/api/analytics/reports/poor-reasons')).json().rows;
      assert.ok(reasons[0].poorStreams >= reasons.at(-1).poorStreams);
      const calls = (await get(`/api/analytics/reports/user-calls?userId=${user}`)).json().rows;
      assert.ok(calls.length >= 1 && calls[0].callStart >= calls.at(-1).callStart, 'newest call first');
      assert.equal((await get('/api/analytics/reports/user-calls')).statusCode, 400);
      assert.equal((await get('/api/analytics/reports/nonesuch')).statusCode, 404);
      assert.equal((await get('/api/analytics/reports')).json().value.length, Object.keys(expected).length);
    });
  });
}
