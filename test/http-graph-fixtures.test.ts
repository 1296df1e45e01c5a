/**
 * Every v1.0 example in shared/fixtures/graph-docs: ingest the documented record(s), send the documented request,
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
import { createTestApp, ingest, INJECT_BASE, STORES } from './helpers/test-app.js';
import { fixtureJson, fixtureRequestPath } from './helpers/fixtures.js';

const RECORD_ID = 'e523d2ed-2966-4b6b-925b-754a88034cc5';

function withoutKeys(body: Record<string, unknown>, ...keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([k]) => !keys.includes(k)));
}

function rebased(body: unknown): unknown {
  return JSON.parse(JSON.stringify(body).replaceAll('https://graph.microsoft.com', INJECT_BASE));
}

// The record behind the list-sessions examples: get example 1's record with the documented sessions.
function recordWithDocumentedSessions(): unknown {
  const record = fixtureJson('callrecords-callrecord-get.v1.example1.response.json');
  record.sessions = fixtureJson('callrecords-callrecord-list-sessions.v1.example2.response.json').value;
  return record;
}

function listRecords(withParticipant: boolean): unknown[] {
  const records = fixtureJson('cloudcommunications-list-callrecords.v1.example1.response.json').value;
  if (withParticipant) records[0].participants_v2 = [records[0].organizer_v2];
  return records;
}

const CASES = [
  {
    name: 'get example 1: a record',
    records: [fixtureJson('callrecords-callrecord-get.v1.example1.response.json')],
    request: 'callrecords-callrecord-get.v1.example1.request.txt',
    expected: fixtureJson('callrecords-callrecord-get.v1.example1.response.json'),
  },
  {
    name: 'get example 2: $expand=sessions($expand=segments)',
    records: [fixtureJson('callrecords-callrecord-get.v1.example2.response.json')],
    request: 'callrecords-callrecord-get.v1.example2.request.txt',
    expected: withoutKeys(
      fixtureJson('callrecords-callrecord-get.v1.example2.response.json'),
      'sessions@odata.nextLink',
    ),
  },
  {
    name: 'get example 3: $expand=participants_v2',
    records: [fixtureJson('callrecords-callrecord-get.v1.example3.response.json')],
    request: 'callrecords-callrecord-get.v1.example3.request.txt',
    expected: withoutKeys(
      fixtureJson('callrecords-callrecord-get.v1.example3.response.json'),
      'participants_v2@odata.nextLink',
    ),
  },
  {
    name: 'list sessions example 1',
    records: [recordWithDocumentedSessions()],
    request: 'callrecords-callrecord-list-sessions.v1.example1.request.txt',
    expected: withoutKeys(
      fixtureJson('callrecords-callrecord-list-sessions.v1.example1.response.json'),
      '@odata.nextLink',
    ),
  },
  {
    name: 'list sessions example 2: $expand=segments',
    records: [recordWithDocumentedSessions()],
    request: 'callrecords-callrecord-list-sessions.v1.example2.request.txt',
    expected: withoutKeys(
      fixtureJson('callrecords-callrecord-list-sessions.v1.example2.response.json'),
      '@odata.nextLink',
    ),
  },
  {
    name: 'list example 1: all records',
    records: listRecords(false),
    request: 'cloudcommunications-list-callrecords.v1.example1.request.txt',
    expected: fixtureJson('cloudcommunications-list-callrecords.v1.example1.response.json'),
  },
  {
    name: 'list example 2: $filter on a startDateTime window',
    records: listRecords(false),
    request: 'cloudcommunications-list-callrecords.v1.example2.request.txt',
    expected: fixtureJson('cloudcommunications-list-callrecords.v1.example2.response.json'),
  },
  {
    name: 'list example 3: $filter on a participant',
    records: listRecords(true),
    request: 'cloudcommunications-list-callrecords.v1.example3.request.txt',
    expected: fixtureJson('cloudcommunications-list-callrecords.v1.example3.response.json'),
  },
];

for (const backend of STORES) {
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
