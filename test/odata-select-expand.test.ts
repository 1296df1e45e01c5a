import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseQueryOptions, type AllowedOptions, type QueryOptions } from '../src/odata/query-options.js';

const SESSION_PROPS = new Set(['id', 'modalities', 'startDateTime', 'endDateTime', 'caller', 'callee']);
const RECORD_PROPS = new Set(['id', 'version', 'type', 'modalities', 'startDateTime', 'endDateTime', 'organizer_v2']);

// Get callRecord (https://learn.microsoft.com/graph/api/callrecords-callrecord-get): one of participants_v2, sessions, sessions($expand=segments).
const GET_RECORD: AllowedOptions = {
  select: RECORD_PROPS,
  expand: { sessions: { select: SESSION_PROPS, expand: { segments: {} } }, participants_v2: {} },
};
// List sessions (https://learn.microsoft.com/graph/api/callrecords-callrecord-list-sessions): $select and $expand=segments.
const LIST_SESSIONS: AllowedOptions = { select: SESSION_PROPS, expand: { segments: {} }, skipToken: true };
// List callRecords (https://learn.microsoft.com/graph/api/callrecords-cloudcommunications-list-callrecords): no $expand.
const LIST_RECORDS: AllowedOptions = { filter: true, select: RECORD_PROPS, skipToken: true };

test('$select and $expand accept the documented forms and their spellings', () => {
  const cases: Array<{ name: string; input: string; allowed?: AllowedOptions; expected: QueryOptions }> = [
    {
      name: 'docs: get example 2',
      input: '$expand=sessions($expand=segments)',
      expected: { expand: [{ name: 'sessions', expand: [{ name: 'segments' }] }] },
    },
    {
      name: 'Kiota: = percent-encoded',
      input: '$expand=sessions($expand%3Dsegments)',
      expected: { expand: [{ name: 'sessions', expand: [{ name: 'segments' }] }] },
    },
    {
      name: 'everything percent-encoded',
      input: '%24expand=sessions%28%24expand%3Dsegments%29',
      expected: { expand: [{ name: 'sessions', expand: [{ name: 'segments' }] }] },
    },
    {
      name: 'docs: get example 3',
      input: '$expand=participants_v2',
      expected: { expand: [{ name: 'participants_v2' }] },
    },
    { name: 'sessions alone', input: '$expand=sessions', expected: { expand: [{ name: 'sessions' }] } },
    {
      name: 'canonical spelling',
      input: '$expand=Sessions($EXPAND=SEGMENTS)',
      expected: { expand: [{ name: 'sessions', expand: [{ name: 'segments' }] }] },
    },
    {
      name: 'nested $select and $expand with whitespace',
      input: '$expand= sessions ( $select = id , startDateTime ; $expand = segments ) ',
      expected: { expand: [{ name: 'sessions', select: ['id', 'startDateTime'], expand: [{ name: 'segments' }] }] },
    },
    {
      name: 'list sessions: docs example 2',
      input: '$expand=segments',
      allowed: LIST_SESSIONS,
      expected: { expand: [{ name: 'segments' }] },
    },
    {
      name: '$select with percent-encoded spaces',
      input: '$select=id,%20startDateTime%20,type',
      expected: { select: ['id', 'startDateTime', 'type'] },
    },
    {
      name: '$select case-insensitive, duplicates dropped',
      input: '$select=ID,id,Type',
      expected: { select: ['id', 'type'] },
    },
    {
      name: '$select=* means every selectable property',
      input: '$select=*',
      allowed: LIST_SESSIONS,
      expected: { select: [...SESSION_PROPS] },
    },
    {
      name: '$select and $expand together',
      input: '$select=id,type&$expand=participants_v2',
      expected: { select: ['id', 'type'], expand: [{ name: 'participants_v2' }] },
    },
  ];
  for (const { name, input, allowed = GET_RECORD, expected } of cases) {
    assert.deepEqual(parseQueryOptions(input, allowed), expected, name);
  }
});

test('$select and $expand reject malformed and unsupported values, naming the option', () => {
  const cases: Array<{ name: string; input: string; allowed?: AllowedOptions; code: string; message: RegExp }> = [
    {
      name: 'two relationships (Graph expands one at a time)',
      input: '$expand=sessions,participants_v2',
      code: 'notSupported',
      message: /^Invalid \$expand: only one relationship .* sessions, participants_v2/,
    },
    {
      name: 'expand all',
      input: '$expand=*',
      code: 'notSupported',
      message: /^Invalid \$expand at position 0: '\*' is not supported/,
    },
    {
      name: 'unknown navigation',
      input: '$expand=foo',
      code: 'invalidQueryOption',
      message: /'foo' cannot be expanded here; expandable: sessions, participants_v2/,
    },
    {
      name: 'segments on a callRecord',
      input: '$expand=segments',
      code: 'invalidQueryOption',
      message: /'segments' cannot be expanded here/,
    },
    {
      name: 'unknown nested navigation',
      input: '$expand=sessions($expand=participants_v2)',
      code: 'invalidQueryOption',
      message: /position 17: 'participants_v2' cannot be expanded inside 'sessions'/,
    },
    {
      name: 'unclosed parenthesis',
      input: '$expand=sessions($expand=segments',
      code: 'invalidQueryOption',
      message: /^Invalid \$expand at position 25: expected ';' or '\)'.* but found the end/,
    },
    {
      name: 'empty parentheses',
      input: '$expand=sessions()',
      code: 'invalidQueryOption',
      message: /expected \$select or \$expand inside 'sessions\(…\)' but found '\)'/,
    },
    {
      name: '$top inside $expand',
      input: '$expand=sessions($top=1)',
      code: 'notSupported',
      message: /^Invalid \$expand at position 9: '\$top' is not supported inside 'sessions/,
    },
    {
      name: '$filter inside $expand',
      input: "$expand=sessions($filter=id eq 'x')",
      code: 'notSupported',
      message: /'\$filter' is not supported inside 'sessions/,
    },
    {
      name: 'unknown option inside $expand',
      input: '$expand=sessions($foo=1)',
      code: 'invalidQueryOption',
      message: /unknown query option '\$foo' inside 'sessions/,
    },
    {
      name: 'option repeated inside $expand',
      input: '$expand=sessions($expand=segments;$expand=segments)',
      code: 'invalidQueryOption',
      message: /'\$expand' appears twice/,
    },
    {
      name: 'navigation repeated',
      input: '$expand=sessions,sessions',
      code: 'invalidQueryOption',
      message: /'sessions' is expanded more than once/,
    },
    {
      name: '$expand below segments',
      input: '$expand=sessions($expand=segments($expand=sessions))',
      code: 'notSupported',
      message: /'\$expand' is not supported inside 'segments/,
    },
    {
      name: '$select inside participants_v2',
      input: '$expand=participants_v2($select=id)',
      code: 'notSupported',
      message: /'\$select' is not supported inside 'participants_v2/,
    },
    {
      name: 'unknown property in nested $select',
      input: '$expand=sessions($select=foo)',
      code: 'invalidQueryOption',
      message: /^Invalid \$expand \(sessions\/\$select\): property 'foo' cannot be selected/,
    },
    {
      name: 'path instead of nested $expand',
      input: '$expand=sessions/segments',
      code: 'invalidQueryOption',
      message: /position 8: expected a comma or the end of the value but found '\/'/,
    },
    {
      name: 'missing =',
      input: '$expand=sessions($expand segments)',
      code: 'invalidQueryOption',
      message: /expected '=' after '\$expand'/,
    },
    {
      name: 'empty $expand',
      input: '$expand=',
      code: 'invalidQueryOption',
      message: /^Invalid \$expand at position 0: expected a navigation property name/,
    },
    {
      name: '$expand on a list',
      input: '$expand=sessions',
      allowed: LIST_RECORDS,
      code: 'notSupported',
      message: /'\$expand' is not supported on this resource/,
    },
    {
      name: 'empty $select',
      input: '$select=',
      code: 'invalidQueryOption',
      message: /^Invalid \$select: the list of properties is empty/,
    },
    {
      name: 'empty $select item',
      input: '$select=id,,type',
      code: 'invalidQueryOption',
      message: /^Invalid \$select: the list contains an empty property name/,
    },
    {
      name: 'unknown $select property',
      input: '$select=foo',
      code: 'invalidQueryOption',
      message: /^Invalid \$select: property 'foo' cannot be selected; selectable: id, version/,
    },
    {
      name: 'injection in $select',
      input: '$select=id;DROP TABLE x',
      code: 'invalidQueryOption',
      message: /property 'id;DROP TABLE x' cannot be selected/,
    },
    {
      name: '$select on a navigation path',
      input: '$select=sessions/id',
      code: 'invalidQueryOption',
      message: /property 'sessions\/id' cannot be selected/,
    },
  ];
  for (const { name, input, allowed = GET_RECORD, code, message } of cases) {
    assert.throws(() => parseQueryOptions(input, allowed), { code, message }, name);
  }
});
