import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDuration, toSortableUtc } from '../src/domain/datetime.js';

test('toSortableUtc normalises offsets and fractions to 7-digit UTC', () => {
  const cases: [string, string | undefined][] = [
    ['2020-02-25T18:52:21.2169889Z', '2020-02-25T18:52:21.2169889Z'],
    ['2023-09-25T09:28:38Z', '2023-09-25T09:28:38.0000000Z'],
    ['2023-09-25T10:25:00+01:00', '2023-09-25T09:25:00.0000000Z'],
    ['2023-09-25T00:30-02:30', '2023-09-25T03:00:00.0000000Z'],
    ['2024-01-01T00:00:00.123456789012Z', '2024-01-01T00:00:00.1234567Z'],
    ['0001-01-01T00:00:00Z', '0001-01-01T00:00:00.0000000Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.0000000Z'],
    ['2023-02-29T00:00:00Z', undefined],
    ['2023-13-01T00:00:00Z', undefined],
    ['2023-01-01T24:00:00Z', undefined],
    ['2023-01-01', undefined],
    ['2023-01-01T00:00:00', undefined],
    ['yesterday', undefined],
    ['0001-01-01T00:00:00+01:00', undefined],
    ['0000-06-01T00:00:00Z', undefined],
    ['2023-09-25T09:28:38z', '2023-09-25T09:28:38.0000000Z'],
  ];
  for (const [input, expected] of cases) assert.equal(toSortableUtc(input), expected, input);
});

test('sortable forms order like the instants they name', () => {
  const a = toSortableUtc('2023-09-25T10:25:00.5+01:00')!;
  const b = toSortableUtc('2023-09-25T09:25:00.6Z')!;
  assert.ok(a < b);
});

test('isDuration accepts ISO-8601 durations and rejects the rest', () => {
  for (const ok of ['PT0.016S', 'PT1S', 'P1D', 'PT1H2M3.5S', '-PT5S', 'P1Y2M3DT4H']) assert.ok(isDuration(ok), ok);
  for (const bad of ['P', 'PT', '0.016', 'PT0.016', '16ms', 'P1H', 'PT1.S', '']) assert.ok(!isDuration(bad), bad);
});
