import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseQueryOptions, type AllowedOptions, type QueryOptions } from '../src/odata/query-options.js';
import { splitQueryString } from '../src/odata/query-string.js';

const LIST: AllowedOptions = { filter: true, select: new Set(['id', 'type']), skipToken: true };

test('splitQueryString splits on & outside quotes and parentheses, decodes, keeps +', () => {
  const cases: Array<{ name: string; input: string; expected: Array<[string, string]> }> = [
    { name: 'empty', input: '', expected: [] },
    {
      name: 'plain pairs',
      input: 'a=1&b=2',
      expected: [
        ['a', '1'],
        ['b', '2'],
      ],
    },
    {
      name: 'empty parts and missing values',
      input: 'a&&b=&',
      expected: [
        ['a', ''],
        ['b', ''],
      ],
    },
    { name: 'only the first = separates', input: '$skiptoken=abc==', expected: [['$skiptoken', 'abc==']] },
    {
      name: '& inside a quoted literal (Graph JS client)',
      input: "$filter=id eq 'a&b'&$top=1",
      expected: [
        ['$filter', "id eq 'a&b'"],
        ['$top', '1'],
      ],
    },
    {
      name: 'doubled quote keeps the literal open',
      input: "$filter=participants_v2/any(p:p/id eq 'it''s & co')&x=1",
      expected: [
        ['$filter', "participants_v2/any(p:p/id eq 'it''s & co')"],
        ['x', '1'],
      ],
    },
    {
      name: '& inside parentheses',
      input: '$expand=sessions(a&b)&c=d',
      expected: [
        ['$expand', 'sessions(a&b)'],
        ['c', 'd'],
      ],
    },
    {
      name: '+ stays a literal +',
      input: '$filter=startDateTime ge 2024-01-01T00:00:00+01:00',
      expected: [['$filter', 'startDateTime ge 2024-01-01T00:00:00+01:00']],
    },
    {
      name: 'percent-encoded spaces, colons and +',
      input: '$filter=startDateTime%20ge%202024-01-01T00%3A00%3A00%2B01%3A00',
      expected: [['$filter', 'startDateTime ge 2024-01-01T00:00:00+01:00']],
    },
    {
      name: 'Kiota encodes = inside $expand',
      input: '$expand=sessions($expand%3Dsegments)',
      expected: [['$expand', 'sessions($expand=segments)']],
    },
    {
      name: 'encoded $ in the name',
      input: '%24filter=(a&b)&%24top=2',
      expected: [
        ['$filter', '(a&b)'],
        ['$top', '2'],
      ],
    },
    { name: 'encoded & is data', input: '$filter=a%26b', expected: [['$filter', 'a&b']] },
    {
      name: 'custom options split on every &',
      input: "q=it's&x=(1&y=a+b",
      expected: [
        ['q', "it's"],
        ['x', '(1'],
        ['y', 'a+b'],
      ],
    },
    { name: 'non-ASCII', input: 'q=%C3%A9t%C3%A9', expected: [['q', 'été']] },
  ];
  for (const { name, input, expected } of cases) assert.deepEqual(splitQueryString(input), expected, name);
});

test('splitQueryString rejects malformed percent escapes, naming the option', () => {
  const cases: Array<{ name: string; input: string; option: string }> = [
    { name: 'truncated escape in a value', input: '$filter=100%', option: '$filter' },
    { name: 'non-hex escape', input: '$select=id%zz', option: '$select' },
    { name: 'invalid UTF-8', input: '$expand=%E0%A4%A', option: '$expand' },
    { name: 'bad escape in a name', input: '%zz=1', option: '%zz' },
  ];
  for (const { name, input, option } of cases) {
    assert.throws(
      () => splitQueryString(input),
      { code: 'invalidQueryOption', message: new RegExp(`'\\${option}'`) },
      name,
    );
  }
});

test('parseQueryOptions recognises options case-insensitively and ignores custom options', () => {
  const cases: Array<{ name: string; input: string; expected: QueryOptions }> = [
    { name: 'nothing', input: '', expected: {} },
    { name: 'custom options ignored', input: 'foo=bar&select=nothing&$select=id', expected: { select: ['id'] } },
    { name: 'upper-case name', input: '$SELECT=type', expected: { select: ['type'] } },
    { name: 'skip token decoded', input: '$skiptoken=abc%3D%3D', expected: { skipToken: 'abc==' } },
    { name: 'camel-case skipToken', input: '$skipToken=xyz', expected: { skipToken: 'xyz' } },
    {
      name: 'filter',
      input: '$Filter=startDateTime lt 2024-01-01T00:00:00Z',
      expected: { filter: { start: [{ op: 'lt', value: '2024-01-01T00:00:00.0000000Z' }] } },
    },
  ];
  for (const { name, input, expected } of cases) assert.deepEqual(parseQueryOptions(input, LIST), expected, name);
});

test('parseQueryOptions rejects unknown, repeated and unsupported options, naming them', () => {
  const cases: Array<{ name: string; input: string; allowed?: AllowedOptions; code: string; message: RegExp }> = [
    { name: 'unknown $foo', input: '$foo=1', code: 'invalidQueryOption', message: /'\$foo' is not a known/ },
    {
      name: 'duplicate $select',
      input: '$select=id&$select=type',
      code: 'invalidQueryOption',
      message: /'\$select'.*more than once/,
    },
    {
      name: 'duplicate in other case',
      input: '$select=id&$SELECT=id',
      code: 'invalidQueryOption',
      message: /'\$SELECT'.*more than once/,
    },
    { name: '$top', input: '$top=5', code: 'notSupported', message: /'\$top' is not supported/ },
    { name: '$skip', input: '$skip=10', code: 'notSupported', message: /'\$skip' is not supported/ },
    {
      name: '$orderby',
      input: '$orderby=startDateTime desc',
      code: 'notSupported',
      message: /'\$orderby' is not supported/,
    },
    { name: '$count', input: '$count=true', code: 'notSupported', message: /'\$count' is not supported/ },
    { name: '$search', input: '$search="x"', code: 'notSupported', message: /'\$search' is not supported/ },
    { name: '$format', input: '$format=json', code: 'notSupported', message: /'\$format' is not supported/ },
    { name: '$deltatoken', input: '$deltatoken=x', code: 'notSupported', message: /'\$deltatoken' is not supported/ },
    {
      name: '$expand on a list',
      input: '$expand=sessions',
      code: 'notSupported',
      message: /'\$expand' is not supported/,
    },
    {
      name: '$filter where not allowed',
      input: '$filter=startDateTime lt 2024-01-01T00:00:00Z',
      allowed: { select: new Set(['id']) },
      code: 'notSupported',
      message: /'\$filter' is not supported/,
    },
    {
      name: '$skiptoken where not allowed',
      input: '$skiptoken=x',
      allowed: {},
      code: 'notSupported',
      message: /'\$skiptoken'/,
    },
    {
      name: 'empty $skiptoken',
      input: '$skiptoken=',
      code: 'invalidQueryOption',
      message: /\$skiptoken: the value is empty/,
    },
  ];
  for (const { name, input, allowed = LIST, code, message } of cases) {
    assert.throws(() => parseQueryOptions(input, allowed), { code, message }, name);
  }
});
