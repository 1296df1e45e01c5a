/**
 * The analytics query's small languages (docs/analytics.md, "Filter"): the filter grammar, the raw query string and
 * the CSV writer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvText } from '../src/analytics/query/csv.js';
import { parseFilter } from '../src/analytics/query/filter.js';
import { analyticsParams } from '../src/analytics/query/raw-query.js';

test('and binds tighter than or; not and parentheses; in lists; every literal kind', () => {
  assert.deepEqual(parseFilter("a eq 'x' or b ne 2 and NOT (c in (true, null, 2026-02-28, -1.5))"), {
    kind: 'or',
    items: [
      { kind: 'compare', name: 'a', op: 'eq', value: 'x' },
      {
        kind: 'and',
        items: [
          { kind: 'compare', name: 'b', op: 'ne', value: 2 },
          { kind: 'not', item: { kind: 'in', name: 'c', values: [true, null, '2026-02-28', -1.5] } },
        ],
      },
    ],
  });
});

test('a doubled quote is one quote inside a text literal, and text may hold keywords and & +', () => {
  assert.deepEqual(parseFilter("building eq 'O''Brien and R&D + co'"), {
    kind: 'compare',
    name: 'building',
    op: 'eq',
    value: "O'Brien and R&D + co",
  });
});

test('mistakes name their position', () => {
  const cases: [string, RegExp][] = [
    ['', /empty/],
    ["a eq 'x", /unterminated text literal at position 6/],
    ['a eq', /expected a value at the end/],
    ['a is 1', /expected an operator .* at position 3/],
    ['(a eq 1', /expected '\)' at the end/],
    ['a eq 1 b', /unexpected 'b' at position 8/],
    ['a eq 2026-02-30', /'2026-02-30' at position 6 is not a date/],
    ['a eq 1 and', /expected a name at the end/],
    ['a eq $', /unexpected '\$' at position 6/],
  ];
  for (const [text, message] of cases) assert.throws(() => parseFilter(text), message, text);
});

test('raw query: & and + inside quotes belong to the value; + outside is a space; %XX decoded; bad escapes refused', () => {
  assert.deepEqual(analyticsParams("by=day&filter=building+eq+'R&D+1'&measures=streams%2CpoorStreams"), {
    by: 'day',
    filter: "building eq 'R&D+1'",
    measures: 'streams,poorStreams',
  });
  assert.deepEqual(analyticsParams('filter=building%20eq%20%27A%26B%27'), { filter: "building eq 'A&B'" });
  assert.throws(() => analyticsParams('filter=%E0%A4%A'), /malformed percent escape/);
});

test('CSV: RFC 4180 quoting, CRLF, empty for null', () => {
  assert.equal(
    csvText(
      ['a', 'b'],
      [
        ['x,y', 'say "hi"'],
        [null, 1.5],
        ['line\nbreak', true],
      ],
    ),
    'a,b\r\n"x,y","say ""hi"""\r\n,1.5\r\n"line\nbreak",true\r\n',
  );
});
