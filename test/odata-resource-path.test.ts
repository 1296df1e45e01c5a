import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseResourcePath, type ResourcePath } from '../src/odata/resource-path.js';

const ID = 'e523d2ed-2966-4b6b-925b-754a88034cc5';
const BASE = '/communications/callRecords';

test('parseResourcePath recognises every documented and containment-implied path', () => {
  const cases: Array<{ name: string; input: string; expected: ResourcePath }> = [
    { name: 'list', input: BASE, expected: { kind: 'callRecords', count: false } },
    { name: 'list, trailing slash', input: `${BASE}/`, expected: { kind: 'callRecords', count: false } },
    { name: 'list, lower case', input: '/Communications/callrecords', expected: { kind: 'callRecords', count: false } },
    { name: 'list $count', input: `${BASE}/$count`, expected: { kind: 'callRecords', count: true } },
    { name: 'list $count, encoded $', input: `${BASE}/%24count`, expected: { kind: 'callRecords', count: true } },
    { name: 'get, docs example 1', input: `${BASE}/${ID}`, expected: { kind: 'callRecord', id: ID } },
    { name: "get, ('id') key", input: `${BASE}('${ID}')`, expected: { kind: 'callRecord', id: ID } },
    { name: "get, (id='id') key", input: `${BASE}(id='${ID}')`, expected: { kind: 'callRecord', id: ID } },
    {
      name: 'get, encoded key in parentheses',
      input: `${BASE}%28%27${ID}%27%29`,
      expected: { kind: 'callRecord', id: ID },
    },
    { name: 'get, doubled quote', input: `${BASE}('it''s')`, expected: { kind: 'callRecord', id: "it's" } },
    {
      name: 'get, slash inside a quoted key',
      input: `${BASE}('a/b')/sessions`,
      expected: { kind: 'sessions', id: 'a/b', count: false },
    },
    { name: 'get, percent-decoded key', input: `${BASE}/a%2Fb%20c`, expected: { kind: 'callRecord', id: 'a/b c' } },
    { name: 'sessions', input: `${BASE}/${ID}/sessions`, expected: { kind: 'sessions', id: ID, count: false } },
    {
      name: 'sessions $count',
      input: `${BASE}/${ID}/sessions/$count`,
      expected: { kind: 'sessions', id: ID, count: true },
    },
    { name: 'session', input: `${BASE}/${ID}/sessions/s1`, expected: { kind: 'session', id: ID, sessionId: 's1' } },
    {
      name: "session, ('id') key",
      input: `${BASE}('${ID}')/Sessions('s1')`,
      expected: { kind: 'session', id: ID, sessionId: 's1' },
    },
    {
      name: 'segments',
      input: `${BASE}/${ID}/sessions/s1/segments`,
      expected: { kind: 'segments', id: ID, sessionId: 's1', count: false },
    },
    {
      name: 'segments $count',
      input: `${BASE}/${ID}/sessions('s1')/segments/$count/`,
      expected: { kind: 'segments', id: ID, sessionId: 's1', count: true },
    },
    {
      name: 'segment',
      input: `${BASE}/${ID}/sessions/s1/segments/g1`,
      expected: { kind: 'segment', id: ID, sessionId: 's1', segmentId: 'g1' },
    },
    {
      name: "segment, ('id') key",
      input: `${BASE}/${ID}/sessions/s1/segments('g1')`,
      expected: { kind: 'segment', id: ID, sessionId: 's1', segmentId: 'g1' },
    },
    {
      name: 'participants_v2',
      input: `${BASE}/${ID}/participants_v2`,
      expected: { kind: 'participants', id: ID, count: false },
    },
    {
      name: 'participants_v2 $count',
      input: `${BASE}/${ID}/participants_v2/$count`,
      expected: { kind: 'participants', id: ID, count: true },
    },
    {
      name: 'participant',
      input: `${BASE}/${ID}/participants_v2/p1`,
      expected: { kind: 'participant', id: ID, participantId: 'p1' },
    },
    {
      name: "participant, ('id') key",
      input: `${BASE}/${ID}/PARTICIPANTS_V2('p1')`,
      expected: { kind: 'participant', id: ID, participantId: 'p1' },
    },
    { name: 'organizer_v2', input: `${BASE}/${ID}/organizer_v2`, expected: { kind: 'organizer', id: ID } },
    {
      name: 'getPstnCalls (docs form)',
      input: `${BASE}/getPstnCalls(fromDateTime=2019-11-01,toDateTime=2019-12-01)`,
      expected: { kind: 'function', name: 'getPstnCalls', args: 'fromDateTime=2019-11-01,toDateTime=2019-12-01' },
    },
    {
      name: 'getDirectRoutingCalls, namespace-qualified (Kiota)',
      input: `${BASE}/microsoft.graph.callRecords.getDirectRoutingCalls(fromDateTime=2021-05-06T01:48:48.7950838Z,toDateTime=2021-05-07T00:00:00Z)`,
      expected: {
        kind: 'function',
        name: 'getDirectRoutingCalls',
        args: 'fromDateTime=2021-05-06T01:48:48.7950838Z,toDateTime=2021-05-07T00:00:00Z',
      },
    },
    {
      name: 'beta function, any case',
      input: `${BASE}/GETSMSLOG(fromDateTime=2023-01-01,toDateTime=2023-01-02)`,
      expected: { kind: 'function', name: 'getSmsLog', args: 'fromDateTime=2023-01-01,toDateTime=2023-01-02' },
    },
    {
      name: 'function with empty parentheses',
      input: `${BASE}/getPstnBlockedUsersLog()`,
      expected: { kind: 'function', name: 'getPstnBlockedUsersLog', args: '' },
    },
  ];
  for (const { name, input, expected } of cases) assert.deepEqual(parseResourcePath(input), expected, name);
});

test('parseResourcePath rejects unknown paths with BadRequest naming the first bad segment', () => {
  const cases: Array<{ name: string; input: string; segment: string }> = [
    { name: 'empty path', input: '', segment: '' },
    { name: 'root', input: '/', segment: '' },
    { name: 'another singleton', input: '/me/events', segment: 'me' },
    { name: 'communications only', input: '/communications', segment: 'communications' },
    { name: 'another collection', input: '/communications/calls', segment: 'calls' },
    { name: 'key on communications', input: "/communications('x')/callRecords", segment: "communications('x')" },
    { name: 'unknown navigation', input: `${BASE}/${ID}/foo`, segment: 'foo' },
    { name: 'deprecated organizer is a property', input: `${BASE}/${ID}/organizer`, segment: 'organizer' },
    { name: '$count on an entity', input: `${BASE}/${ID}/$count`, segment: '$count' },
    { name: 'segment after $count', input: `${BASE}/$count/x`, segment: 'x' },
    { name: 'empty key', input: `${BASE}('')`, segment: "callRecords('')" },
    { name: 'unquoted key', input: `${BASE}(${ID})`, segment: `callRecords(${ID})` },
    { name: 'unterminated key', input: `${BASE}('abc)`, segment: "callRecords('abc)" },
    { name: 'empty segment as id', input: `${BASE}//sessions`, segment: '' },
    { name: 'function without parameters', input: `${BASE}/getPstnCalls`, segment: 'getPstnCalls' },
    {
      name: 'function under a record',
      input: `${BASE}/${ID}/getPstnCalls(fromDateTime=2019-11-01,toDateTime=2019-12-01)`,
      segment: 'getPstnCalls(fromDateTime=2019-11-01,toDateTime=2019-12-01)',
    },
    {
      name: 'segment after a function',
      input: `${BASE}/getSmsLog(fromDateTime=2023-01-01,toDateTime=2023-01-02)/x`,
      segment: 'x',
    },
    { name: 'segments without a session', input: `${BASE}/${ID}/segments`, segment: 'segments' },
    { name: 'below a segment', input: `${BASE}/${ID}/sessions/s1/segments/g1/media`, segment: 'media' },
    { name: 'below a participant', input: `${BASE}/${ID}/participants_v2/p1/x`, segment: 'x' },
    { name: 'key on organizer_v2', input: `${BASE}/${ID}/organizer_v2('x')`, segment: "organizer_v2('x')" },
    { name: 'malformed escape', input: `${BASE}/abc%zz`, segment: 'abc%zz' },
  ];
  for (const { name, input, segment } of cases) {
    const message = `Resource not found for the segment '${segment}'.`;
    assert.throws(() => parseResourcePath(input), { name: 'AppError', code: 'BadRequest', message }, name);
  }
});
