/**
 * `orderby` and `top` of `GET /api/analytics` over HTTP (docs/analytics.md, "Order and top"): the answer says it was
 * cut, in JSON and as a CSV header, and a bad `orderby` or `top` is a 400 that names it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { generateRecords } from '../src/generate/index.js';
import { parseCsv } from './helpers/csv.js';
import { BACKENDS } from './helpers/databases.js';
import { createTestApp, ingest } from './helpers/test-app.js';

const TENANT = [
  ...generateRecords({ calls: 30, seed: 5, from: new Date('2026-09-01T00:00:00Z'), days: 14, versions: false }),
];

for (const backend of BACKENDS) {
  describe(`analytics orderby and top over HTTP: ${backend.name}`, () => {
    let app: FastifyInstance;
    let close: () => Promise<void>;
    before(async () => {
      ({ app, close } = await createTestApp({ backend, bodyLimit: 64 * 1024 * 1024 }));
      assert.equal((await ingest(app, TENANT)).status, 200);
    });
    after(() => close());

    const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });

    test('JSON: the top rows by the column, and "truncated" tells whether more exist', async () => {
      const whole = (await get('/api/analytics?measures=streams&by=day')).json();
      assert.equal(whole.truncated, undefined, 'no top, no truncated');
      const res = await get('/api/analytics?measures=streams&by=day&orderby=streams%20desc&top=3');
      assert.equal(res.statusCode, 200);
      const body = res.json();
      assert.equal(body.truncated, true);
      assert.equal(body.rows.length, 3);
      const most = Math.max(...whole.rows.map((r: { streams: number }) => r.streams));
      assert.equal(body.rows[0].streams, most);
      const all = (await get(`/api/analytics?measures=streams&by=day&top=${whole.rows.length}`)).json();
      assert.equal(all.truncated, false);
      assert.deepEqual(all.rows, whole.rows);
    });

    test('CSV: the cut answer carries callrecords-truncated: true; an answer not cut does not', async () => {
      const res = await get('/api/analytics?measures=streams&by=day&orderby=day+desc&top=2&format=csv');
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['callrecords-truncated'], 'true');
      const [header, ...rows] = parseCsv(res.body);
      assert.deepEqual(header, ['day', 'streams']);
      assert.equal(rows.length, 2);
      assert.ok(rows[0]![0]! > rows[1]![0]!, 'newest day first');
      const whole = await get('/api/analytics?measures=streams&by=mediaType&top=100&format=csv');
      assert.equal(whole.headers['callrecords-truncated'], undefined);
    });

    for (const [query, named] of [
      ['orderby=jitter', 'orderby'],
      ['orderby=calls', 'orderby'],
      ['orderby=streams%20sideways', 'orderby'],
      ['top=0', 'top'],
      ['top=10001', 'top'],
      ['top=ten', 'top'],
      ['top=', 'top'],
    ] as const) {
      test(`${decodeURIComponent(query)} is a 400 naming ${named}`, async () => {
        const res = await get(`/api/analytics?measures=streams&by=day&${query}`);
        assert.equal(res.statusCode, 400);
        assert.equal(res.json().error.code, 'BadRequest');
        assert.match(res.json().error.message, new RegExp(`\\b${named}\\b`));
      });
    }
  });
}
