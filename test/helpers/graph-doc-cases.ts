/**
 * The v1.0 examples of test/fixtures/graph-docs as test cases: the records to ingest, the documented request and
 * the body Graph documents for it (with the quirks handled as test/http-graph-fixtures.test.ts explains).
 */
import { fixtureJson } from './fixtures.js';
import { INJECT_BASE } from './test-app.js';

/** One documented example: ingest `records`, send the request of the fixture `request`, expect `expected`. */
export interface GraphDocCase {
  name: string;
  records: unknown[];
  /** The fixture file holding the request line. */
  request: string;
  expected: unknown;
}

/** The record id of the get and list-sessions examples (their requests say `{id}`). */
export const RECORD_ID = 'e523d2ed-2966-4b6b-925b-754a88034cc5';

function withoutKeys(body: Record<string, unknown>, ...keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([k]) => !keys.includes(k)));
}

/** The body with the test app's base URL in place of graph.microsoft.com. */
export function rebased(body: unknown): unknown {
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

/** Every v1.0 example with a response body. */
export const GRAPH_DOC_CASES: GraphDocCase[] = [
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
