import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../src/errors.js';
import { parseQueryOptions, type RecordFilter } from '../src/odata/query-options.js';

const LIST = { filter: true };

/** Parses a raw query string (as it follows `?` in the request URL) and returns its filter. */
function filterOf(raw: string): RecordFilter | undefined {
  return parseQueryOptions(raw, LIST).filter;
}

const GE_0925 = { op: 'ge', value: '2023-09-25T09:25:00.0000000Z' } as const;
const LT_0930 = { op: 'lt', value: '2023-09-25T09:30:00.0000000Z' } as const;
const PARTICIPANT = '821809f5-0000-0000-0000-3b5136c0e777';

test('$filter accepts the documented forms and their spellings', () => {
  const cases: Array<{ name: string; input: string; expected: RecordFilter }> = [
    {
      name: 'docs: list example 2 (unencoded spaces)',
      input: '$filter=startDateTime ge 2023-09-25T09:25:00Z and startDateTime lt 2023-09-25T09:30:00Z',
      expected: { start: [GE_0925, LT_0930] },
    },
    {
      name: 'docs: list example 3',
      input: `$filter=participants_v2/any(p:p/id eq '${PARTICIPANT}')`,
      expected: { start: [], participantId: PARTICIPANT },
    },
    {
      name: 'percent-encoded spaces',
      input: '$filter=startDateTime%20ge%202023-09-25T09:25:00Z%20and%20startDateTime%20lt%202023-09-25T09:30:00Z',
      expected: { start: [GE_0925, LT_0930] },
    },
    {
      name: '+01:00 offset survives',
      input: '$filter=startDateTime ge 2023-09-25T10:25:00+01:00',
      expected: { start: [GE_0925] },
    },
    {
      name: '%2B-encoded offset',
      input: '$filter=startDateTime%20ge%202023-09-25T10:25:00%2B01:00',
      expected: { start: [GE_0925] },
    },
    {
      name: 'form-encoded spaces (+) next to an offset',
      input: '$filter=startDateTime+ge+2023-09-25T10:25:00+01:00+and+startDateTime+lt+2023-09-25T09:30:00Z',
      expected: { start: [GE_0925, LT_0930] },
    },
    {
      name: 'negative offset and 7 fractional digits',
      input: '$filter=startDateTime gt 2023-09-25T04:25:00.1234567-05:00',
      expected: { start: [{ op: 'gt', value: '2023-09-25T09:25:00.1234567Z' }] },
    },
    {
      name: 'quoted DateTimeOffset',
      input: "$filter=startDateTime le '2023-09-25T09:25:00Z'",
      expected: { start: [{ op: 'le', value: '2023-09-25T09:25:00.0000000Z' }] },
    },
    {
      name: 'keywords and property names in any case',
      input: '$filter=STARTDATETIME GE 2023-09-25T09:25:00Z AND startdatetime Lt 2023-09-25T09:30:00Z',
      expected: { start: [GE_0925, LT_0930] },
    },
    {
      name: 'parentheses around terms and the whole expression',
      input: `$filter=((startDateTime ge 2023-09-25T09:25:00Z) and (participants_v2/any(p:p/id eq '${PARTICIPANT}')))`,
      expected: { start: [GE_0925], participantId: PARTICIPANT },
    },
    {
      name: 'any lambda variable name, no spaces around punctuation',
      input: "$filter=Participants_V2/Any(participant:participant/ID EQ 'x')",
      expected: { start: [], participantId: 'x' },
    },
    {
      name: '& and doubled quote inside the literal',
      input: "$filter=participants_v2/any(p:p/id eq 'o''brien & co')&foo=custom-option",
      expected: { start: [], participantId: "o'brien & co" },
    },
    {
      name: 'injection-looking text inside a string literal is just data',
      input: "$filter=participants_v2/any(p:p/id eq 'x''; DROP TABLE call_records; --')",
      expected: { start: [], participantId: "x'; DROP TABLE call_records; --" },
    },
    {
      name: 'three terms',
      input: `$filter=startDateTime ge 2023-09-25T09:25:00Z and participants_v2/any(p:p/id eq 'a') and startDateTime lt 2023-09-25T09:30:00Z`,
      expected: { start: [GE_0925, LT_0930], participantId: 'a' },
    },
  ];
  for (const { name, input, expected } of cases) assert.deepEqual(filterOf(input), expected, name);
});

test('$filter rejects malformed and unsupported expressions with the position and what it supports', () => {
  const T = '2024-01-01T00:00:00Z';
  const deep = `${'('.repeat(40)}startDateTime ge ${T}${')'.repeat(40)}`;
  const cases: Array<{ name: string; input: string; code: string; message: RegExp }> = [
    {
      name: 'SQL injection after a quoted date',
      input: "startDateTime ge '2024-01-01'; DROP TABLE x; --'",
      code: 'invalidQueryOption',
      message: /position 29: unexpected character ';'/,
    },
    {
      name: 'SQL injection after a valid term',
      input: `startDateTime ge ${T}; DROP TABLE callRecords`,
      code: 'invalidQueryOption',
      message: /unexpected character ';'/,
    },
    { name: '1=1', input: '1=1', code: 'invalidQueryOption', message: /position 1: unexpected character '='/ },
    {
      name: "' or ''='",
      input: "' or ''='",
      code: 'invalidQueryOption',
      message: /position 0: expected a condition but found string/,
    },
    {
      name: 'or',
      input: `startDateTime ge ${T} or startDateTime lt ${T}`,
      code: 'notSupported',
      message: /position 38: 'or' is not supported/,
    },
    { name: 'not', input: `not startDateTime ge ${T}`, code: 'notSupported', message: /'not' is not supported/ },
    {
      name: 'eq on startDateTime',
      input: `startDateTime eq ${T}`,
      code: 'notSupported',
      message: /position 14: 'eq' is not supported on startDateTime/,
    },
    {
      name: 'filter on endDateTime',
      input: `endDateTime ge ${T}`,
      code: 'notSupported',
      message: /filtering on 'endDateTime' is not supported/,
    },
    {
      name: 'function',
      input: "contains(id,'x')",
      code: 'notSupported',
      message: /function 'contains' is not supported/,
    },
    {
      name: 'unbalanced (',
      input: `(startDateTime ge ${T}`,
      code: 'invalidQueryOption',
      message: /expected 'and' or '\)' but found the end/,
    },
    {
      name: 'unbalanced )',
      input: `startDateTime ge ${T})`,
      code: 'invalidQueryOption',
      message: /expected 'and' or the end of the expression but found '\)'/,
    },
    {
      name: 'unterminated quote',
      input: "participants_v2/any(p:p/id eq 'abc)",
      code: 'invalidQueryOption',
      message: /position 30: unterminated string literal/,
    },
    {
      name: 'double quotes',
      input: `startDateTime ge "${T}"`,
      code: 'invalidQueryOption',
      message: /unexpected character '"'/,
    },
    {
      name: 'not a date',
      input: 'startDateTime ge yesterday',
      code: 'invalidQueryOption',
      message: /expected a DateTimeOffset .* but found 'yesterday'/,
    },
    {
      name: 'impossible date',
      input: 'startDateTime ge 2023-02-30T00:00:00Z',
      code: 'invalidQueryOption',
      message: /'2023-02-30T00:00:00Z' is not a valid DateTimeOffset/,
    },
    {
      name: 'date without time',
      input: 'startDateTime ge 2024-01-01',
      code: 'invalidQueryOption',
      message: /'2024-01-01' is not a valid DateTimeOffset/,
    },
    {
      name: 'missing operand',
      input: 'startDateTime ge',
      code: 'invalidQueryOption',
      message: /but found the end of the expression/,
    },
    {
      name: 'dangling and',
      input: `startDateTime ge ${T} and`,
      code: 'invalidQueryOption',
      message: /expected a condition but found the end/,
    },
    {
      name: 'trailing garbage',
      input: `startDateTime ge ${T} foo`,
      code: 'invalidQueryOption',
      message: /expected 'and' or the end of the expression but found 'foo'/,
    },
    {
      name: 'literal as a term',
      input: `startDateTime ge ${T} and 1 eq 1`,
      code: 'invalidQueryOption',
      message: /expected a condition but found '1'/,
    },
    { name: 'empty', input: '', code: 'invalidQueryOption', message: /position 0: the expression is empty/ },
    {
      name: 'NUL character',
      input: `startDateTime ge ${T}%00`,
      code: 'invalidQueryOption',
      message: /unexpected character/,
    },
    {
      name: 'all instead of any',
      input: "participants_v2/all(p:p/id eq 'x')",
      code: 'notSupported',
      message: /'all' is not supported/,
    },
    {
      name: 'any without condition',
      input: 'participants_v2/any()',
      code: 'notSupported',
      message: /any\(\) without a condition/,
    },
    {
      name: 'participant property other than id',
      input: "participants_v2/any(p:p/displayName eq 'x')",
      code: 'notSupported',
      message: /on 'displayName' is not supported/,
    },
    {
      name: 'ne on participant id',
      input: "participants_v2/any(p:p/id ne 'x')",
      code: 'notSupported',
      message: /'ne' is not supported on participant id/,
    },
    {
      name: 'or inside any',
      input: "participants_v2/any(p:p/id eq 'a' or p/id eq 'b')",
      code: 'notSupported',
      message: /only one condition is supported inside any/,
    },
    {
      name: 'unknown lambda variable',
      input: "participants_v2/any(p:q/id eq 'x')",
      code: 'invalidQueryOption',
      message: /expected 'p\/id' but found 'q'/,
    },
    {
      name: 'unquoted participant id',
      input: 'participants_v2/any(p:p/id eq abc)',
      code: 'invalidQueryOption',
      message: /expected a quoted string .* but found 'abc'/,
    },
    {
      name: 'two participant terms',
      input: "participants_v2/any(p:p/id eq 'a') and participants_v2/any(p:p/id eq 'b')",
      code: 'notSupported',
      message: /position 39: only one participants_v2\/any/,
    },
    {
      name: 'collection without lambda',
      input: "participants_v2/id eq 'x'",
      code: 'invalidQueryOption',
      message: /expected 'any' after 'participants_v2\/' but found 'id'/,
    },
    { name: 'nesting too deep', input: deep, code: 'invalidQueryOption', message: /nested too deeply/ },
  ];
  for (const { name, input, code, message } of cases) {
    assert.throws(
      () => filterOf(`$filter=${input}`),
      (error: unknown) => {
        assert.ok(error instanceof AppError, name);
        assert.equal(error.code, code, name);
        assert.match(error.message, message, name);
        assert.match(
          error.message,
          /^Invalid \$filter at position \d+: .*; supported: startDateTime lt\|le\|gt\|ge/,
          name,
        );
        return true;
      },
      name,
    );
  }
});
