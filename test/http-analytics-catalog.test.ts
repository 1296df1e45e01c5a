/**
 * `GET /api/analytics/catalog` (docs/analytics.md, "Catalog"): the names the query API lists are the names it
 * accepts — every dimension and measure works in a query, a name it does not list is refused, its dimension limit is
 * the one it enforces — and each listed name is documented in docs/analytics.md.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { generateRecords } from '../src/generate/index.js';
import { BACKENDS } from './helpers/databases.js';
import { createTestApp, ingest } from './helpers/test-app.js';

interface Catalog {
  ruleSet: string;
  dimensions: { name: string; label: string; kind: string; about: string }[];
  measures: { name: string; label: string; about: string; unit?: string }[];
  maxDimensions: number;
}

const TENANT = [
  ...generateRecords({ calls: 12, seed: 5, from: new Date('2026-09-01T00:00:00Z'), days: 7, versions: false }),
];

/** The lines of docs/analytics.md's "Query API" section down to the next `## ` heading. */
async function queryApiSection(): Promise<string> {
  const text = await readFile(new URL('../docs/analytics.md', import.meta.url), 'utf8');
  const start = text.indexOf('\n## Query API');
  assert.ok(start >= 0, 'docs/analytics.md has a "Query API" section');
  const end = text.indexOf('\n## ', start + 1);
  return text.slice(start, end === -1 ? undefined : end);
}

for (const backend of BACKENDS) {
  describe(`analytics catalog: ${backend.name}`, () => {
    let app: FastifyInstance;
    let close: () => Promise<void>;
    let catalog: Catalog;
    before(async () => {
      ({ app, close } = await createTestApp({ backend }));
      assert.equal((await ingest(app, TENANT)).status, 200);
      const res = await app.inject({ method: 'GET', url: '/api/analytics/catalog' });
      assert.equal(res.statusCode, 200, res.body);
      assert.match(String(res.headers['content-type']), /^application\/json/);
      catalog = res.json();
    });
    after(() => close());

    const query = (params: Record<string, string>) =>
      app.inject({ method: 'GET', url: `/api/analytics?${new URLSearchParams(params).toString()}` });

    test('names the rule set, and lists each dimension with its kind and each measure with what it counts', () => {
      assert.equal(catalog.ruleSet, 'current@1');
      assert.ok(catalog.dimensions.length > 0 && catalog.measures.length > 0);
      const names = [...catalog.dimensions, ...catalog.measures].map((n) => n.name);
      assert.equal(new Set(names).size, names.length, 'each name once, none both a dimension and a measure');
      const labels = [...catalog.dimensions, ...catalog.measures].map((n) => n.label);
      assert.equal(new Set(labels).size, labels.length, 'each label names one thing');
      for (const n of [...catalog.dimensions, ...catalog.measures]) {
        assert.match(n.label, /^[A-Z]/, `${n.name}: a label for people, not the API name`);
        assert.notEqual(n.label, n.name);
      }
      for (const d of catalog.dimensions) {
        assert.ok(['text', 'date', 'boolean'].includes(d.kind), `${d.name}: ${d.kind}`);
        assert.ok(d.about.length > 3, d.name);
      }
      for (const m of catalog.measures) assert.ok(m.about.length > 3, m.name);
      const byName = new Map(catalog.measures.map((m) => [m.name, m]));
      assert.equal(byName.get('poorStreamPct')?.unit, '%');
      assert.equal(byName.get('avgJitter')?.unit, 'ms');
      assert.equal(byName.get('streams')?.unit, undefined, 'a count has no unit');
      assert.equal(catalog.dimensions.find((d) => d.name === 'day')?.kind, 'date');
      assert.equal(catalog.dimensions.find((d) => d.name === 'vpn')?.kind, 'boolean');
    });

    test('the query API accepts every listed name, and its limit of dimensions is the listed one', async () => {
      const measures = catalog.measures.map((m) => m.name).join(',');
      const dims = catalog.dimensions.map((d) => d.name);
      for (let i = 0; i < dims.length; i += catalog.maxDimensions) {
        const by = dims.slice(i, i + catalog.maxDimensions);
        const res = await query({ measures, by: by.join(',') });
        assert.equal(res.statusCode, 200, `${by.join(',')}: ${res.body}`);
        assert.deepEqual(res.json().columns, [...by, ...catalog.measures.map((m) => m.name)]);
      }
      const tooMany = await query({ measures: 'streams', by: dims.slice(0, catalog.maxDimensions + 1).join(',') });
      assert.equal(tooMany.statusCode, 400);
      assert.match(tooMany.json().error.message, new RegExp(`at most ${catalog.maxDimensions} dimensions`));
    });

    test('a name the catalog does not list is refused', async () => {
      const res = await query({ measures: 'streams,poorStreamPercent', by: 'building,site' });
      assert.equal(res.statusCode, 400);
      const { message } = res.json().error as { message: string };
      assert.match(message, /unknown measure\(s\): poorStreamPercent/);
      assert.match(message, /unknown dimension\(s\) in by: site/);
      const listed = new Set([...catalog.dimensions, ...catalog.measures].map((n) => n.name));
      assert.ok(!listed.has('poorStreamPercent') && !listed.has('site'));
    });

    test('every listed name is documented in docs/analytics.md, "Query API"', async () => {
      const section = await queryApiSection();
      const missing = [...catalog.dimensions, ...catalog.measures]
        .map((n) => n.name)
        .filter((name) => !section.includes(`\`${name}\``));
      assert.deepEqual(missing, []);
    });
  });
}
