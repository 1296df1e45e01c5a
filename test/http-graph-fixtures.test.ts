/**
 * Every v1.0 example in test/fixtures/graph-docs: ingest the documented record(s), send the documented request,
 * and get the documented body back — equal as JSON, with the server's base URL in place of graph.microsoft.com.
 *
 * Documented quirks, and how each is treated (fixtures README):
 * 1. The docs' `sessions@odata.nextLink`, `participants_v2@odata.nextLink` and `@odata.nextLink` values are
 *    illustrative (`$metadata#…?$skiptoken=abc`) and stand where the examples are cut short; the ingested records
 *    hold only the documented items, so no next link is due and the expected bodies are compared without it.
 * 2. The list-sessions requests contain the placeholder `{id}`: the documented record id is used.
 * 3. The list examples do not show participants_v2, yet example 3 filters on a participant: the ingested record
 *    gets that participant (its organizer) in participants_v2, which list responses never show.
 * 4. The list-sessions example 2 has `@odata.type` twice in one object: JSON parsing keeps the last, on both sides.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, ingest, INJECT_BASE } from './helpers/test-app.js';
import { fixtureRequestPath } from './helpers/fixtures.js';
import { GRAPH_DOC_CASES as CASES, RECORD_ID, rebased } from './helpers/graph-doc-cases.js';
import { BACKENDS } from './helpers/databases.js';

for (const backend of BACKENDS) {
  describe(`Graph documentation examples (v1.0) (${backend.name})`, () => {
    for (const c of CASES) {
      describe(c.name, () => {
        let t: Awaited<ReturnType<typeof createTestApp>>;
        before(async () => {
          t = await createTestApp({ backend });
          const res = await ingest(t.app, c.records);
          assert.equal(res.status, 200, JSON.stringify(res.json));
          assert.equal(res.json.summary.rejected, 0, JSON.stringify(res.json));
        });
        after(() => t.close());

        test('returns the documented body', async () => {
          const path = fixtureRequestPath(c.request).replace('{id}', RECORD_ID);
          const res = await t.app.inject({ method: 'GET', url: path });
          assert.equal(res.statusCode, 200, res.body);
          assert.match(String(res.headers['content-type']), /^application\/json;odata\.metadata=minimal/);
          assert.deepEqual(res.json(), rebased(c.expected));
        });

        test('answers the same under /beta, with the beta service root', async () => {
          const path = fixtureRequestPath(c.request).replace('{id}', RECORD_ID).replace('/v1.0/', '/beta/');
          const res = await t.app.inject({ method: 'GET', url: path });
          assert.equal(res.statusCode, 200, res.body);
          const expected = JSON.stringify(rebased(c.expected)).replaceAll(
            `${INJECT_BASE}/v1.0/`,
            `${INJECT_BASE}/beta/`,
          );
          assert.deepEqual(res.json(), JSON.parse(expected));
        });
      });
    }
  });
}
