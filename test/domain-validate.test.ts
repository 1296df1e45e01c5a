import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { MAX_VALIDATION_ISSUES, formatIssue, validateCallRecord } from '../src/domain/validate.js';
import type { ValidationResult } from '../src/domain/validate.js';

type Json = Record<string, unknown>;

const FIXTURES = new URL('fixtures/graph-docs/', import.meta.url);

function fixture(name: string): Json {
  return JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8')) as Json;
}

/** The object at a dotted path such as `sessions.0.caller.userAgent` (numbers index arrays). */
function at(root: unknown, path: string): Json {
  let value = root;
  for (const key of path.split('.')) value = (value as Json)[key];
  assert.ok(typeof value === 'object' && value !== null, `no object at ${path}`);
  return value as Json;
}

function sessionsRecord(sessionsFixture: string): Json {
  return {
    id: 'e523d2ed-2966-4b6b-925b-754a88034cc5',
    version: 1,
    type: 'peerToPeer',
    modalities: ['audio'],
    lastModifiedDateTime: '2020-02-25T19:00:24.582757Z',
    startDateTime: '2020-02-25T18:52:21.2169889Z',
    endDateTime: '2020-02-25T18:52:46.7640013Z',
    sessions: fixture(sessionsFixture).value,
  };
}

/** Every call record documented in the Graph docs examples (test/fixtures/graph-docs, its README names the pages). */
function documentedRecords(): { name: string; record: Json }[] {
  const get = [1, 2, 3].map((n) => ({
    name: `get example ${n}`,
    record: fixture(`callrecords-callrecord-get.v1.example${n}.response.json`),
  }));
  const list = [1, 2, 3].flatMap((n) =>
    (fixture(`cloudcommunications-list-callrecords.v1.example${n}.response.json`).value as Json[]).map((record, i) => ({
      name: `list example ${n} value[${i}]`,
      record,
    })),
  );
  const sessions = [1, 2].map((n) => ({
    name: `list-sessions example ${n} wrapped in a callRecord`,
    record: sessionsRecord(`callrecords-callrecord-list-sessions.v1.example${n}.response.json`),
  }));
  return [...get, ...list, ...sessions];
}

/** A rich valid record: get example 3 (participants_v2) + list-sessions example 2 (segments, media, streams). */
function baseRecord(): Json {
  const record = fixture('callrecords-callrecord-get.v1.example3.response.json');
  record.sessions = fixture('callrecords-callrecord-list-sessions.v1.example2.response.json').value;
  record.organizer = at(fixture('cloudcommunications-list-callrecords.v1.example1.response.json'), 'value.0.organizer');
  record.participants = [structuredClone(record.organizer)];
  // The docs' illustrative next link marks the example as cut short; the base record stands for a complete one.
  delete record['participants_v2@odata.nextLink'];
  return record;
}

function edit(change: (record: Json) => void): Json {
  const record = baseRecord();
  change(record);
  return record;
}

/** What a test compares: formatted errors, or formatted warnings when the record is accepted. */
function issues(result: ValidationResult): { errors: string[] } | { warnings: string[] } {
  return result.ok ? { warnings: result.warnings.map(formatIssue) } : { errors: result.errors.map(formatIssue) };
}

/** The documented rule: drop every `@` key but `@odata.type` (test-side re-statement, not the implementation). */
function withoutAnnotations(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutAnnotations);
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value).filter(([k]) => !k.includes('@') || k === '@odata.type');
  return Object.fromEntries(entries.map(([k, v]) => [k, withoutAnnotations(v)]));
}

test('every documented call record validates without errors or warnings and keeps its data', () => {
  const records = documentedRecords();
  assert.equal(records.length, 9);
  for (const { name, record } of records) {
    const expected = withoutAnnotations(structuredClone(record));
    // The docs cut get examples 2 and 3 short with an illustrative next link: that, and only that, is warned about.
    const cutShort = Object.keys(record)
      .filter((key) => key.endsWith('@odata.nextLink'))
      .map((key) => `${key}: the source cut this collection short; only the items present are stored`);
    const result = validateCallRecord(record);
    assert.deepEqual(issues(result), { warnings: cutShort }, name);
    assert.ok(result.ok, 'accepted');
    assert.deepEqual(result.record, expected, name);
    assert.equal(result.hasEvolvableMembers, false, name);
  }
});

test('open-type properties of the documented records survive', () => {
  const get3 = validateCallRecord(fixture('callrecords-callrecord-get.v1.example3.response.json'));
  assert.ok(get3.ok, 'accepted');
  assert.equal(at(get3.record, 'participants_v2.1.identity.user').userPrincipalName, 'owen.franklin@contoso.com');
  assert.equal(at(get3.record, 'organizer_v2.identity.user').tenantId, 'dc368399-474c-4d40-900c-6265431fd81f');

  const list1 = fixture('cloudcommunications-list-callrecords.v1.example1.response.json').value as Json[];
  const phone = validateCallRecord(list1[1]);
  assert.ok(phone.ok, 'accepted');
  assert.deepEqual(at(phone.record, 'organizer_v2.identity'), {
    user: null,
    acsUser: null,
    spoolUser: null,
    phone: { id: '+5564981205182', displayName: null, tenantId: null },
  });

  const sessions = validateCallRecord(sessionsRecord('callrecords-callrecord-list-sessions.v1.example2.response.json'));
  assert.ok(sessions.ok, 'accepted');
  assert.equal(at(sessions.record, 'sessions.0.callee.feedback.tokens').Noisy, true);
  assert.equal(at(sessions.record, 'sessions.0.caller.identity')['@odata.type'], '#microsoft.graph.identitySet');
});

const INVALID: { name: string; input: unknown; expected: string[] }[] = [
  { name: 'an array', input: [], expected: ['$: expected an object'] },
  { name: 'null', input: null, expected: ['$: expected an object'] },
  { name: 'a string', input: 'callRecord', expected: ['$: expected an object'] },
  {
    name: 'the record typed as a session',
    input: edit((r) => (r['@odata.type'] = '#microsoft.graph.callRecords.session')),
    expected: [
      "$: '#microsoft.graph.callRecords.session' is not one of the allowed types: #microsoft.graph.callRecords.callRecord",
    ],
  },
  { name: 'missing id', input: edit((r) => delete r.id), expected: ['id: required property is missing'] },
  { name: 'empty id', input: edit((r) => (r.id = '')), expected: ['id: must not be empty'] },
  { name: 'numeric id', input: edit((r) => (r.id = 42)), expected: ['id: expected a string'] },
  { name: 'version as a string', input: edit((r) => (r.version = '1')), expected: ['version: expected an integer'] },
  { name: 'fractional version', input: edit((r) => (r.version = 1.5)), expected: ['version: expected an integer'] },
  { name: 'negative version', input: edit((r) => (r.version = -1)), expected: ['version: must not be negative'] },
  { name: 'null version', input: edit((r) => (r.version = null)), expected: ['version: must not be null'] },
  { name: 'null type', input: edit((r) => (r.type = null)), expected: ['type: must not be null'] },
  { name: 'numeric enum', input: edit((r) => (r.type = 2)), expected: ['type: expected a string'] },
  {
    name: 'modalities as a string',
    input: edit((r) => (r.modalities = 'audio')),
    expected: ['modalities: expected an array'],
  },
  {
    name: 'missing modalities',
    input: edit((r) => delete r.modalities),
    expected: ['modalities: required property is missing'],
  },
  {
    name: 'null modality',
    input: edit((r) => (r.modalities = ['audio', null])),
    expected: ['modalities[1]: must not be null'],
  },
  {
    name: 'date-time without a T',
    input: edit((r) => (r.startDateTime = '2020-02-25 18:52:21Z')),
    expected: ['startDateTime: not an ISO-8601 date-time with offset (Edm.DateTimeOffset)'],
  },
  {
    name: 'date-time without an offset',
    input: edit((r) => (r.endDateTime = '2020-02-25T18:52:46.7640013')),
    expected: ['endDateTime: not an ISO-8601 date-time with offset (Edm.DateTimeOffset)'],
  },
  {
    name: 'date-time as epoch milliseconds',
    input: edit((r) => (r.lastModifiedDateTime = 1582657224582)),
    expected: ['lastModifiedDateTime: not an ISO-8601 date-time with offset (Edm.DateTimeOffset)'],
  },
  {
    name: 'missing lastModifiedDateTime',
    input: edit((r) => delete r.lastModifiedDateTime),
    expected: ['lastModifiedDateTime: required property is missing'],
  },
  {
    name: 'joinWebUrl as a number',
    input: edit((r) => (r.joinWebUrl = 1)),
    expected: ['joinWebUrl: expected a string'],
  },
  { name: 'sessions as an object', input: edit((r) => (r.sessions = {})), expected: ['sessions: expected an array'] },
  {
    name: 'session without id',
    input: edit((r) => delete at(r, 'sessions.0').id),
    expected: ['sessions[0].id: required property is missing'],
  },
  {
    name: 'session without modalities and start',
    input: edit((r) => {
      delete at(r, 'sessions.0').modalities;
      delete at(r, 'sessions.0').startDateTime;
    }),
    expected: [
      'sessions[0].modalities: required property is missing',
      'sessions[0].startDateTime: required property is missing',
    ],
  },
  { name: 'null session', input: edit((r) => (r.sessions = [null])), expected: ['sessions[0]: must not be null'] },
  {
    name: 'isTest as a string',
    input: edit((r) => (at(r, 'sessions.0').isTest = 'false')),
    expected: ['sessions[0].isTest: expected a boolean'],
  },
  {
    name: 'segment without start',
    input: edit((r) => delete at(r, 'sessions.0.segments.0').startDateTime),
    expected: ['sessions[0].segments[0].startDateTime: required property is missing'],
  },
  {
    name: 'jitter that is not a duration',
    input: edit((r) => (at(r, 'sessions.0.segments.0.media.0.streams.1').averageJitter = '16ms')),
    expected: ['sessions[0].segments[0].media[0].streams[1].averageJitter: not an ISO-8601 duration'],
  },
  {
    name: 'loss rate as a numeric string',
    input: edit((r) => (at(r, 'sessions.0.segments.0.media.0.streams.0').averagePacketLossRate = '0.1')),
    expected: ['sessions[0].segments[0].media[0].streams[0].averagePacketLossRate: expected a number'],
  },
  {
    name: 'fractional Int64',
    input: edit((r) => (at(r, 'sessions.0.segments.0.media.0.streams.0').packetUtilization = 67.5)),
    expected: ['sessions[0].segments[0].media[0].streams[0].packetUtilization: expected an integer'],
  },
  {
    name: 'null streamDirection',
    input: edit((r) => (at(r, 'sessions.0.segments.0.media.0.streams.0').streamDirection = null)),
    expected: ['sessions[0].segments[0].media[0].streams[0].streamDirection: must not be null'],
  },
  {
    name: 'streams as an object',
    input: edit((r) => (at(r, 'sessions.0.segments.0.media.0').streams = {})),
    expected: ['sessions[0].segments[0].media[0].streams: expected an array'],
  },
  {
    name: 'port as a string and relayPort beyond Int32',
    input: edit((r) => {
      at(r, 'sessions.0.segments.0.media.0.callerNetwork').port = '27288';
      at(r, 'sessions.0.segments.0.media.0.callerNetwork').relayPort = 3_000_000_000;
    }),
    expected: [
      'sessions[0].segments[0].media[0].callerNetwork.port: expected an integer',
      'sessions[0].segments[0].media[0].callerNetwork.relayPort: out of range for Edm.Int32',
    ],
  },
  {
    name: 'null connectionType',
    input: edit((r) => (at(r, 'sessions.0.segments.0.media.0.calleeNetwork').connectionType = null)),
    expected: ['sessions[0].segments[0].media[0].calleeNetwork.connectionType: must not be null'],
  },
  {
    name: 'null traceRouteHops',
    input: edit((r) => (at(r, 'sessions.0.segments.0.media.0.calleeNetwork').traceRouteHops = null)),
    expected: ['sessions[0].segments[0].media[0].calleeNetwork.traceRouteHops: must not be null'],
  },
  {
    name: 'trace-route hop with a numeric round-trip time',
    input: edit((r) => (at(r, 'sessions.0.segments.0.media.0.callerNetwork').traceRouteHops = [{ roundTripTime: 5 }])),
    expected: [
      'sessions[0].segments[0].media[0].callerNetwork.traceRouteHops[0].roundTripTime: not an ISO-8601 duration',
    ],
  },
  {
    name: 'device info as a string',
    input: edit((r) => (at(r, 'sessions.0.segments.0.media.0').callerDevice = 'Default input device')),
    expected: ['sessions[0].segments[0].media[0].callerDevice: expected an object'],
  },
  {
    name: 'unknown userAgent type',
    input: edit((r) => (at(r, 'sessions.0.caller.userAgent')['@odata.type'] = '#microsoft.graph.callRecords.foo')),
    expected: [
      "sessions[0].caller.userAgent: '#microsoft.graph.callRecords.foo' is not one of the allowed types: " +
        '#microsoft.graph.callRecords.clientUserAgent, #microsoft.graph.callRecords.serviceUserAgent',
    ],
  },
  {
    name: 'endpoint typed as a user agent',
    input: edit((r) => (at(r, 'sessions.0.callee')['@odata.type'] = '#microsoft.graph.callRecords.clientUserAgent')),
    expected: [
      "sessions[0].callee: '#microsoft.graph.callRecords.clientUserAgent' is not one of the allowed types: " +
        '#microsoft.graph.callRecords.endpoint, #microsoft.graph.callRecords.participantEndpoint, ' +
        '#microsoft.graph.callRecords.serviceEndpoint',
    ],
  },
  {
    name: '@odata.type that is not a string',
    input: edit((r) => (at(r, 'sessions.0.caller')['@odata.type'] = true)),
    expected: ['sessions[0].caller.@odata.type: expected a string'],
  },
  {
    name: 'service user agent with a null role',
    input: edit((r) => {
      at(r, 'sessions.0.segments.0').caller = {
        '@odata.type': '#microsoft.graph.callRecords.serviceEndpoint',
        userAgent: { '@odata.type': '#microsoft.graph.callRecords.serviceUserAgent', role: null },
      };
    }),
    expected: ['sessions[0].segments[0].caller.userAgent.role: must not be null'],
  },
  {
    name: 'null feedback rating',
    input: edit((r) => (at(r, 'sessions.0.callee.feedback').rating = null)),
    expected: ['sessions[0].callee.feedback.rating: must not be null'],
  },
  {
    name: 'failure info with a null stage',
    input: edit((r) => (at(r, 'sessions.0').failureInfo = { reason: 'x', stage: null })),
    expected: ['sessions[0].failureInfo.stage: must not be null'],
  },
  {
    name: 'associatedIdentity as a string',
    input: edit((r) => (at(r, 'sessions.0.caller').associatedIdentity = 'Abbie Wilkins')),
    expected: ['sessions[0].caller.associatedIdentity: expected an object'],
  },
  {
    name: 'identity-set dynamic property that is not an identity',
    input: edit((r) => (at(r, 'sessions.0.caller.identity').acsUser = 'x')),
    expected: ['sessions[0].caller.identity.acsUser: expected an object'],
  },
  {
    name: 'identity displayName as a number',
    input: edit((r) => (at(r, 'organizer.user').displayName = 7)),
    expected: ['organizer.user.displayName: expected a string'],
  },
  {
    name: 'participants as an object',
    input: edit((r) => (r.participants = at(r, 'organizer'))),
    expected: ['participants: expected an array'],
  },
  {
    name: 'organizer_v2 without id',
    input: edit((r) => delete at(r, 'organizer_v2').id),
    expected: ['organizer_v2.id: required property is missing'],
  },
  {
    name: 'participant typed as an organizer',
    input: edit((r) => (at(r, 'participants_v2.1')['@odata.type'] = '#microsoft.graph.callRecords.organizer')),
    expected: [
      "participants_v2[1]: '#microsoft.graph.callRecords.organizer' is not one of the allowed types: " +
        '#microsoft.graph.callRecords.participant',
    ],
  },
  {
    name: 'numeric endpointType and administrative unit id',
    input: edit((r) => {
      at(r, 'participants_v2.0.identity').endpointType = 0;
      at(r, 'participants_v2.0').administrativeUnitInfos = [{ id: 5 }];
    }),
    expected: [
      'participants_v2[0].identity.endpointType: expected a string',
      'participants_v2[0].administrativeUnitInfos[0].id: expected a string',
    ],
  },
  {
    name: 'identity of an unknown type',
    input: edit((r) => (at(r, 'participants_v2.0.identity.user')['@odata.type'] = '#microsoft.graph.emailIdentity')),
    expected: [
      "participants_v2[0].identity.user: '#microsoft.graph.emailIdentity' is not one of the allowed types: " +
        '#microsoft.graph.identity, #microsoft.graph.userIdentity, #microsoft.graph.communicationsUserIdentity, ' +
        '#microsoft.graph.communicationsApplicationIdentity, #microsoft.graph.communicationsApplicationInstanceIdentity, ' +
        '#microsoft.graph.communicationsGuestIdentity, #microsoft.graph.communicationsEncryptedIdentity, ' +
        '#microsoft.graph.communicationsPhoneIdentity, #microsoft.graph.azureCommunicationServicesUserIdentity, ' +
        '#microsoft.graph.callRecords.userIdentity',
    ],
  },
  {
    name: 'errors in several places are all reported, in document order',
    input: edit((r) => {
      r.version = 'two';
      at(r, 'sessions.0.segments.0.media.0.streams.1').maxJitter = 'PT';
      delete at(r, 'participants_v2.1').id;
    }),
    expected: [
      'version: expected an integer',
      'participants_v2[1].id: required property is missing',
      'sessions[0].segments[0].media[0].streams[1].maxJitter: not an ISO-8601 duration',
    ],
  },
];

test(`${INVALID.length} invalid inputs are rejected with the expected path and rule`, () => {
  assert.ok(INVALID.length >= 25, 'at least 25 cases');
  for (const { name, input, expected } of INVALID) {
    assert.deepEqual(issues(validateCallRecord(input)), { errors: expected }, name);
  }
});

test(`errors are capped at ${MAX_VALIDATION_ISSUES}`, () => {
  const record = edit((r) => (r.sessions = Array.from({ length: 80 }, () => ({ modalities: ['audio'] }))));
  const result = validateCallRecord(record);
  assert.ok(!result.ok, 'rejected');
  assert.equal(result.errors.length, MAX_VALIDATION_ISSUES);
  assert.equal(formatIssue(result.errors[0]!), 'sessions[0].id: required property is missing');
});

test('an enum string that is not a member is a warning and is kept', () => {
  const cases: { name: string; input: Json; expected: string[] }[] = [
    {
      name: 'client platform',
      input: edit((r) => (at(r, 'sessions.0.caller.userAgent').platform = 'beos')),
      expected: ["sessions[0].caller.userAgent.platform: 'beos' is not a member of callRecords.clientPlatform"],
    },
    {
      name: 'the documented but undeclared modality unknown',
      input: edit((r) => (r.modalities = ['unknown', 'audio'])),
      expected: ["modalities[0]: 'unknown' is not a member of callRecords.modality"],
    },
    {
      name: 'graph.endpointType',
      input: edit((r) => (at(r, 'organizer_v2.identity').endpointType = 'teamsRoom')),
      expected: ["organizer_v2.identity.endpointType: 'teamsRoom' is not a member of graph.endpointType"],
    },
  ];
  for (const { name, input, expected } of cases) {
    const result = validateCallRecord(input);
    assert.deepEqual(issues(result), { warnings: expected }, name);
  }
  const kept = validateCallRecord(edit((r) => (at(r, 'sessions.0.caller.userAgent').platform = 'beos')));
  assert.ok(kept.ok, 'accepted');
  assert.equal(at(kept.record, 'sessions.0.caller.userAgent').platform, 'beos');
});

test('Single/Double accept the OData special values NaN, INF, -INF', () => {
  const result = validateCallRecord(
    edit((r) => {
      const stream = at(r, 'sessions.0.segments.0.media.0.streams.0');
      Object.assign(stream, {
        averageAudioDegradation: 'NaN',
        maxPacketLossRate: 'INF',
        averagePacketLossRate: '-INF',
      });
    }),
  );
  assert.deepEqual(issues(result), { warnings: [] });
  assert.deepEqual(
    issues(
      validateCallRecord(
        edit((r) => (at(r, 'sessions.0.segments.0.media.0.streams.0').maxPacketLossRate = 'Infinity')),
      ),
    ),
    {
      errors: ['sessions[0].segments[0].media[0].streams[0].maxPacketLossRate: expected a number'],
    },
  );
});

test('response annotations are dropped everywhere, @odata.type is kept, the input is normalised in place', () => {
  const input = edit((r) => {
    r['@odata.etag'] = 'W/"1"';
    r['@odata.count'] = 1;
    r['sessions@odata.nextLink'] = 'https://graph.microsoft.com/v1.0/next';
    const network = at(r, 'sessions.0.segments.0.media.0.callerNetwork');
    network['linkSpeed@odata.type'] = '#Int64';
    network['@odata.id'] = 'x';
    at(r, 'sessions.0')['segments@odata.context'] = 'https://graph.microsoft.com/v1.0/$metadata#x';
  });
  const result = validateCallRecord(input);
  assert.ok(result.ok, 'accepted');
  assert.equal(result.record, input);
  const annotations: string[] = [];
  const collect = (value: unknown, path: string): void => {
    if (typeof value !== 'object' || value === null) return;
    for (const [k, v] of Object.entries(value)) {
      if (k.includes('@')) annotations.push(`${path}${k}`);
      collect(v, `${path}${k}/`);
    }
  };
  collect(result.record, '');
  assert.equal(annotations.length, 9, 'the @odata.type annotations of the documented sessions');
  assert.deepEqual(
    annotations.filter((a) => !a.endsWith('/@odata.type')),
    [],
  );
  assert.equal(
    at(result.record, 'sessions.0.caller')['@odata.type'],
    '#microsoft.graph.callRecords.participantEndpoint',
  );
});

test('a missing @odata.type is inferred on userAgent and participant endpoints and put first', () => {
  const cases: { name: string; input: Json; expected: (string | undefined)[]; warnings: string[] }[] = [
    {
      name: 'client user agent from platform, endpoint from name',
      input: { name: 'pc', userAgent: { headerValue: 'x', platform: 'windows', productFamily: 'teams' } },
      expected: ['#microsoft.graph.callRecords.participantEndpoint', '#microsoft.graph.callRecords.clientUserAgent'],
      warnings: [],
    },
    {
      name: 'client user agent from communicationServiceId alone',
      input: { associatedIdentity: { id: 'u' }, userAgent: { communicationServiceId: 'acs' } },
      expected: ['#microsoft.graph.callRecords.participantEndpoint', '#microsoft.graph.callRecords.clientUserAgent'],
      warnings: [],
    },
    {
      name: 'service user agent from role; a bare endpoint stays a base endpoint',
      input: { userAgent: { role: 'mediaController', applicationVersion: '1' } },
      expected: [undefined, '#microsoft.graph.callRecords.serviceUserAgent'],
      warnings: [],
    },
    {
      name: 'nothing to go on',
      input: { userAgent: { headerValue: 'x' } },
      expected: [undefined, undefined],
      warnings: [
        'sessions[0].caller.userAgent: @odata.type is missing and cannot be inferred for abstract type callRecords.userAgent',
      ],
    },
    {
      name: 'contradicting properties',
      input: { userAgent: { role: 'gateway', platform: 'web' } },
      expected: [undefined, undefined],
      warnings: [
        'sessions[0].caller.userAgent: @odata.type is missing and cannot be inferred for abstract type callRecords.userAgent',
      ],
    },
  ];
  for (const { name, input, expected, warnings } of cases) {
    const result = validateCallRecord(edit((r) => (at(r, 'sessions.0').caller = input)));
    assert.deepEqual(issues(result), { warnings }, name);
    const userAgent = at(input, 'userAgent');
    assert.deepEqual([input['@odata.type'], userAgent['@odata.type']], expected, name);
    if (expected[1] !== undefined) assert.equal(Object.keys(userAgent)[0], '@odata.type', name);
  }
  const invalid = validateCallRecord(edit((r) => (at(r, 'sessions.0').caller = { userAgent: { platform: null } })));
  assert.deepEqual(issues(invalid), { errors: ['sessions[0].caller.userAgent.platform: must not be null'] });
});

test('unknown properties survive untouched and are not validated', () => {
  const input = edit((r) => {
    r.customerField = { nested: [1, { '@odata.etag': 'kept: not part of the model' }] };
    at(r, 'sessions.0.segments.0.media.0.streams.0').futureMetric = 'PT-garbage';
    at(r, 'sessions.0.caller.identity.user').customClaim = { a: 1 };
  });
  const result = validateCallRecord(input);
  assert.deepEqual(issues(result), { warnings: [] });
  assert.ok(result.ok, 'accepted');
  assert.deepEqual(result.record.customerField, { nested: [1, { '@odata.etag': 'kept: not part of the model' }] });
  assert.equal(at(result.record, 'sessions.0.segments.0.media.0.streams.0').futureMetric, 'PT-garbage');
  assert.deepEqual(at(result.record, 'sessions.0.caller.identity.user').customClaim, { a: 1 });
});

test('hasEvolvableMembers flags productFamily azureCommunicationServices', () => {
  const cases: { name: string; input: Json; expected: boolean }[] = [
    { name: 'documented record', input: baseRecord(), expected: false },
    {
      name: 'ACS client',
      input: edit((r) => (at(r, 'sessions.0.callee.userAgent').productFamily = 'azureCommunicationServices')),
      expected: true,
    },
    {
      name: 'the sentinel itself',
      input: edit((r) => (at(r, 'sessions.0.callee.userAgent').productFamily = 'unknownFutureValue')),
      expected: false,
    },
  ];
  for (const { name, input, expected } of cases) {
    const result = validateCallRecord(input);
    assert.ok(result.ok, name);
    assert.equal(result.hasEvolvableMembers, expected, name);
  }
});

test('formatIssue joins path and rule', () => {
  assert.equal(
    formatIssue({ path: 'sessions[0].id', rule: 'required property is missing' }),
    'sessions[0].id: required property is missing',
  );
});
