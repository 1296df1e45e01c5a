/**
 * Malformed records and requests: each gets a Graph-shaped 4xx naming the problem, changes nothing in the database,
 * and the server keeps serving.
 */
import type { Json } from './helpers/json.js';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, ingest } from './helpers/test-app.js';
import { storeSnapshot } from './helpers/store-snapshot.js';
import { makeRecord } from './helpers/records.js';
import { BACKENDS } from './helpers/databases.js';

const BODY_LIMIT = 64 * 1024;
const SEED_ID = 'seed-record';

type Edit = (r: Record<string, Json>) => void;
const stream = (r: Record<string, Json>) => r.sessions[0].segments[0].media[0].streams[0];

function record(edit: Edit): string {
  const r = makeRecord({ id: 'bad-record' });
  edit(r);
  return JSON.stringify(r);
}

interface Case {
  name: string;
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';
  url?: string;
  contentType?: string;
  body?: string;
  status: number;
  code: string;
  /** A fragment the message must contain (names the path, option or rule). */
  message?: RegExp;
}

const INGEST_CASES: Case[] = [
  { name: 'invalid JSON', body: '{"id": "x", ', status: 400, code: 'invalidJson', message: /not valid JSON/ },
  { name: 'empty body', body: '', status: 400, code: 'invalidJson' },
  { name: 'a JSON string', body: '"hello"', status: 400, code: 'invalidRecord', message: /expected an object/ },
  { name: 'a JSON number', body: '42', status: 400, code: 'invalidRecord' },
  { name: 'null', body: 'null', status: 400, code: 'invalidRecord' },
  { name: 'an empty array', body: '[]', status: 400, code: 'invalidRecord', message: /no call records/ },
  {
    name: 'missing id',
    body: record((r) => delete r.id),
    status: 400,
    code: 'invalidRecord',
    message: /id: required property is missing/,
  },
  {
    name: 'numeric id',
    body: record((r) => (r.id = 7)),
    status: 400,
    code: 'invalidRecord',
    message: /^.*id: expected a string/,
  },
  {
    name: 'version as a string',
    body: record((r) => (r.version = '2')),
    status: 400,
    code: 'invalidRecord',
    message: /version: expected an integer/,
  },
  {
    name: 'fractional version',
    body: record((r) => (r.version = 1.5)),
    status: 400,
    code: 'invalidRecord',
    message: /version/,
  },
  {
    name: 'startDateTime not a date',
    body: record((r) => (r.startDateTime = 'yesterday')),
    status: 400,
    code: 'invalidRecord',
    message: /startDateTime: not an ISO-8601 date-time/,
  },
  {
    name: 'endDateTime on February 30',
    body: record((r) => (r.endDateTime = '2024-02-30T00:00:00Z')),
    status: 400,
    code: 'invalidRecord',
    message: /endDateTime/,
  },
  {
    name: 'missing lastModifiedDateTime',
    body: record((r) => delete r.lastModifiedDateTime),
    status: 400,
    code: 'invalidRecord',
    message: /lastModifiedDateTime: required property is missing/,
  },
  {
    name: 'modalities not an array',
    body: record((r) => (r.modalities = 'audio')),
    status: 400,
    code: 'invalidRecord',
    message: /modalities: expected an array/,
  },
  {
    name: 'type as a number',
    body: record((r) => (r.type = 2)),
    status: 400,
    code: 'invalidRecord',
    message: /type: expected a string/,
  },
  {
    name: 'sessions not an array',
    body: record((r) => (r.sessions = {})),
    status: 400,
    code: 'invalidRecord',
    message: /sessions: expected an array/,
  },
  {
    name: 'session without id',
    body: record((r) => delete r.sessions[0].id),
    status: 400,
    code: 'invalidRecord',
    message: /sessions\[0\]\.id: required property is missing/,
  },
  {
    name: 'jitter not a duration',
    body: record((r) => (stream(r).averageJitter = '16ms')),
    status: 400,
    code: 'invalidRecord',
    message: /sessions\[0\]\.segments\[0\]\.media\[0\]\.streams\[0\]\.averageJitter: not an ISO-8601 duration/,
  },
  {
    name: 'round trip as a number',
    body: record((r) => (stream(r).averageRoundTripTime = 120)),
    status: 400,
    code: 'invalidRecord',
    message: /averageRoundTripTime/,
  },
  {
    name: 'packet count as a string',
    body: record((r) => (stream(r).packetUtilization = '900')),
    status: 400,
    code: 'invalidRecord',
    message: /packetUtilization: expected an integer/,
  },
  {
    name: 'loss rate as a word',
    body: record((r) => (stream(r).averagePacketLossRate = 'high')),
    status: 400,
    code: 'invalidRecord',
    message: /averagePacketLossRate: expected a number/,
  },
  {
    name: 'null stream direction',
    body: record((r) => (stream(r).streamDirection = null)),
    status: 400,
    code: 'invalidRecord',
    message: /streamDirection: must not be null/,
  },
  {
    name: 'isTest as a string',
    body: record((r) => (r.sessions[0].isTest = 'false')),
    status: 400,
    code: 'invalidRecord',
    message: /isTest: expected a boolean/,
  },
  {
    name: 'unknown @odata.type on an endpoint',
    body: record((r) => (r.sessions[0].caller['@odata.type'] = '#microsoft.graph.callRecords.robot')),
    status: 400,
    code: 'invalidRecord',
    message: /caller/,
  },
  {
    name: 'endpoint type where a user agent belongs',
    body: record(
      (r) => (r.sessions[0].caller.userAgent['@odata.type'] = '#microsoft.graph.callRecords.participantEndpoint'),
    ),
    status: 400,
    code: 'invalidRecord',
    message: /userAgent/,
  },
  {
    name: 'fractional WiFi signal',
    body: record((r) => (r.sessions[0].segments[0].media[0].callerNetwork = { wifiSignalStrength: 1.5 })),
    status: 400,
    code: 'invalidRecord',
    message: /wifiSignalStrength: expected an integer/,
  },
  {
    name: 'an unknown property nested 10,000 deep',
    body: `${record(() => undefined).slice(0, -1)},"extra":${'['.repeat(10_000)}${']'.repeat(10_000)}}`,
    status: 400,
    code: 'invalidRecord',
    message: /extra: nested deeper than 64 levels/,
  },
  {
    name: 'an id with a lone surrogate',
    body: record((r) => (r.id = 'lone\ud800x')),
    status: 400,
    code: 'invalidRecord',
    message: /id: not well-formed Unicode/,
  },
  {
    name: 'truncated NDJSON',
    contentType: 'application/x-ndjson',
    body: `${JSON.stringify(makeRecord({ id: 'nd-1' }))}\n{"id":"nd-2","vers`,
    status: 400,
    code: 'invalidJson',
    message: /line 2/,
  },
  {
    name: 'NDJSON with a broken line in the middle',
    contentType: 'application/x-ndjson',
    body: `${JSON.stringify(makeRecord({ id: 'nd-3' }))}\nnot json\n${JSON.stringify(makeRecord({ id: 'nd-4' }))}\n`,
    status: 400,
    code: 'invalidJson',
    message: /line 2/,
  },
  {
    name: 'a body over the limit',
    body: JSON.stringify(makeRecord({ id: 'huge', sessions: 200 })),
    status: 413,
    code: 'requestEntityTooLarge',
    message: /larger than the limit/,
  },
  {
    name: 'an unsupported content type',
    contentType: 'text/csv',
    body: 'id,version\n1,1',
    status: 415,
    code: 'unsupportedMediaType',
    message: /text\/csv/,
  },
];

const QUERY_CASES: Case[] = [
  {
    name: 'SQL in $filter',
    url: "/v1.0/communications/callRecords?$filter=startDateTime ge '2024-01-01'; DROP TABLE call_records; --'",
    status: 400,
    code: 'invalidQueryOption',
    message: /\$filter/,
  },
  {
    name: 'a tautology in $filter',
    url: '/v1.0/communications/callRecords?$filter=1 eq 1',
    status: 400,
    code: 'invalidQueryOption',
    message: /\$filter/,
  },
  {
    name: 'SQL in $skiptoken',
    url: "/v1.0/communications/callRecords?$skiptoken=' OR 1=1 --",
    status: 400,
    code: 'invalidSkipToken',
    message: /\$skiptoken/,
  },
  {
    name: 'a filter on endDateTime',
    url: '/v1.0/communications/callRecords?$filter=endDateTime ge 2024-01-01T00:00:00Z',
    status: 400,
    code: 'notSupported',
    message: /endDateTime/,
  },
  {
    name: 'or in $filter',
    url: '/v1.0/communications/callRecords?$filter=startDateTime ge 2024-01-01T00:00:00Z or startDateTime lt 2023-01-01T00:00:00Z',
    status: 400,
    code: 'notSupported',
    message: /\$filter/,
  },
  {
    name: 'a bad date in $filter',
    url: '/v1.0/communications/callRecords?$filter=startDateTime ge 2024-13-01T00:00:00Z',
    status: 400,
    code: 'invalidQueryOption',
    message: /\$filter/,
  },
  {
    name: '$orderby',
    url: '/v1.0/communications/callRecords?$orderby=startDateTime',
    status: 400,
    code: 'notSupported',
    message: /\$orderby/,
  },
  { name: '$top', url: '/v1.0/communications/callRecords?$top=5', status: 400, code: 'notSupported', message: /\$top/ },
  {
    name: 'an unknown system option',
    url: '/v1.0/communications/callRecords?$foo=bar',
    status: 400,
    code: 'invalidQueryOption',
    message: /\$foo/,
  },
  {
    name: '$select of an unknown property',
    url: `/v1.0/communications/callRecords/${SEED_ID}?$select=id,colour`,
    status: 400,
    code: 'invalidQueryOption',
    message: /colour/,
  },
  {
    name: 'two relationships in $expand',
    url: `/v1.0/communications/callRecords/${SEED_ID}?$expand=sessions,participants_v2`,
    status: 400,
    code: 'notSupported',
    message: /\$expand/,
  },
  {
    name: '$expand on the list',
    url: '/v1.0/communications/callRecords?$expand=sessions',
    status: 400,
    code: 'notSupported',
    message: /\$expand/,
  },
  {
    name: 'a malformed percent escape',
    url: '/v1.0/communications/callRecords?$filter=%ZZ',
    status: 400,
    code: 'invalidQueryOption',
    message: /\$filter/,
  },
  {
    name: 'an unknown path segment',
    url: '/v1.0/communications/callRecordz',
    status: 400,
    code: 'BadRequest',
    message: /callRecordz/,
  },
  {
    name: 'an unknown record id',
    url: '/v1.0/communications/callRecords/no-such-record',
    status: 404,
    code: 'NotFound',
    message: /no-such-record/,
  },
  {
    name: 'an unknown session id',
    url: `/v1.0/communications/callRecords/${SEED_ID}/sessions/nope`,
    status: 404,
    code: 'NotFound',
    message: /nope/,
  },
  {
    name: 'POST on a Graph path',
    method: 'POST',
    url: '/v1.0/communications/callRecords',
    contentType: 'application/json',
    body: '{}',
    status: 405,
    code: 'MethodNotAllowed',
    message: /read-only/,
  },
  {
    name: 'PATCH on a record',
    method: 'PATCH',
    url: `/v1.0/communications/callRecords/${SEED_ID}`,
    contentType: 'application/json',
    body: '{"version":9}',
    status: 405,
    code: 'MethodNotAllowed',
  },
  {
    name: 'DELETE on a record',
    method: 'DELETE',
    url: `/beta/communications/callRecords/${SEED_ID}`,
    status: 405,
    code: 'MethodNotAllowed',
  },
  {
    name: 'POST with an unsupported body on a Graph path',
    method: 'POST',
    url: '/v1.0/communications/callRecords',
    contentType: 'text/plain',
    body: 'x',
    status: 405,
    code: 'MethodNotAllowed',
  },
  {
    name: 'a malformed percent escape in the path',
    url: '/v1.0/communications/callRecords/50%zz',
    status: 400,
    code: 'BadRequest',
    message: /not valid/,
  },
  {
    name: 'a 500-character unknown id on the history API',
    url: `/api/callRecords/${'x'.repeat(500)}/versions`,
    status: 404,
    code: 'NotFound',
  },
  {
    name: '$count with an unknown option',
    url: '/v1.0/communications/callRecords/$count?$bogus=1',
    status: 400,
    code: 'invalidQueryOption',
    message: /\$bogus/,
  },
  {
    name: 'a non-numeric version',
    url: `/api/callRecords/${SEED_ID}/versions/latest`,
    status: 400,
    code: 'BadRequest',
    message: /latest/,
  },
  {
    name: 'a PSTN function without its window',
    url: '/v1.0/communications/callRecords/getPstnCalls(fromDateTime=2019-11-01)',
    status: 400,
    code: 'BadRequest',
    message: /toDateTime/,
  },
];

/** Records a rejected request could have touched: their history must stay as it is (or absent). */
const WATCHED_IDS = ['bad-record', 'nd-1', 'nd-2', 'nd-3', 'nd-4', 'huge', SEED_ID];

for (const backend of BACKENDS) {
  describe(`bad input (${backend.name})`, () => {
    let t: Awaited<ReturnType<typeof createTestApp>>;
    let before_: string;
    before(async () => {
      t = await createTestApp({ backend, bodyLimit: BODY_LIMIT });
      await ingest(t.app, makeRecord({ id: SEED_ID, sessions: 2 }));
      before_ = await storeSnapshot(t.db, WATCHED_IDS);
    });
    after(() => t.close());

    const all = [
      ...INGEST_CASES.map((c) => ({
        method: 'POST' as const,
        url: '/api/callRecords',
        contentType: 'application/json',
        ...c,
      })),
      ...QUERY_CASES,
    ];
    test(`there are at least 30 distinct cases (${all.length})`, () =>
      assert.ok(all.length >= 30, `only ${all.length} cases`));

    for (const c of all) {
      test(`${c.name}: ${c.status} ${c.code}, nothing changed`, async () => {
        const res = await t.app.inject({
          method: c.method ?? 'GET',
          url: c.url!.replaceAll(' ', '%20'),
          headers: {
            'client-request-id': 'bad-input-test',
            ...(c.contentType ? { 'content-type': c.contentType } : {}),
          },
          ...(c.body === undefined ? {} : { payload: c.body }),
        });
        assert.equal(res.statusCode, c.status, res.body);
        const body = res.json();
        assert.equal(body.error.code, c.code, res.body);
        if (c.message) assert.match(body.error.message, c.message);
        assert.equal(body.error.innerError['client-request-id'], 'bad-input-test');
        assert.equal(body.error.innerError['request-id'], res.headers['request-id']);
        assert.doesNotMatch(res.body, /\bat .+\.(ts|js):\d+/, 'no stack trace');
        assert.equal(await storeSnapshot(t.db, WATCHED_IDS), before_, 'the database is unchanged');
      });
    }

    test('a tampered or foreign skip token is refused', async () => {
      await ingest(
        t.app,
        Array.from({ length: 3 }, (_, i) => makeRecord({ id: `page-${i}`, start: `2024-01-0${i + 1}T00:00:00Z` })),
      );
      const first = (
        await t.app.inject({
          method: 'GET',
          url: '/v1.0/communications/callRecords',
          headers: { prefer: 'odata.maxpagesize=1' },
        })
      ).json();
      const token = new URL(first['@odata.nextLink']).searchParams.get('$skiptoken')!;
      const tampered = token.slice(0, 5) + (token[5] === 'A' ? 'B' : 'A') + token.slice(6);
      for (const url of [
        `/v1.0/communications/callRecords?$skiptoken=${tampered}`,
        `/v1.0/communications/callRecords?$filter=startDateTime%20ge%202020-01-01T00:00:00Z&$skiptoken=${token}`,
        `/v1.0/communications/callRecords/${SEED_ID}/sessions?$skiptoken=${token}`,
      ]) {
        const res = await t.app.inject({ method: 'GET', url });
        assert.equal(res.statusCode, 400, url);
        assert.equal(res.json().error.code, 'invalidSkipToken');
      }
    });

    test('the server keeps serving afterwards', async () => {
      const res = await t.app.inject({ method: 'GET', url: `/v1.0/communications/callRecords/${SEED_ID}` });
      assert.equal(res.statusCode, 200);
      assert.equal(res.json().id, SEED_ID);
    });
  });
}
