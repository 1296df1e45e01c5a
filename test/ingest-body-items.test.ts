/** BodyItemsReader: an ingest body split into records as it arrives, whatever its chunks. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BodyItemsReader, MAX_INGEST_ITEMS, type BodyItems } from '../src/ingest/body-items.js';
import { AppError } from '../src/errors.js';

/** Reads `body` fed in chunks of `size` bytes. */
function read(body: string | Buffer, format: 'json' | 'ndjson', size = Infinity): BodyItems {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
  const reader = new BodyItemsReader(format);
  for (let at = 0; at < bytes.length; at += size) reader.feed(bytes.subarray(at, Math.min(at + size, bytes.length)));
  return reader.end();
}

const summary = (b: BodyItems) => ({
  single: b.single,
  items: b.items.map((i) => [i.line, JSON.stringify(i.value)]),
});

const CASES: { name: string; body: string; format: 'json' | 'ndjson'; single: boolean; items: [number, string][] }[] = [
  { name: 'one record', body: '{"id":"a"}', format: 'json', single: true, items: [[1, '{"id":"a"}']] },
  { name: 'an array of one', body: '[{"id":"a"}]', format: 'json', single: false, items: [[1, '{"id":"a"}']] },
  {
    name: 'a Graph page of one',
    body: '{"@odata.context":"x","value":[{"id":"a"}]}',
    format: 'json',
    single: false,
    items: [[1, '{"id":"a"}']],
  },
  {
    name: 'a pretty-printed array gives each element its line',
    body: '[\n  {"id":"a"},\n\n  {"id":"b"}\n]\n',
    format: 'json',
    single: false,
    items: [
      [2, '{"id":"a"}'],
      [4, '{"id":"b"}'],
    ],
  },
  {
    name: 'NDJSON with a blank line and a BOM',
    body: '\ufeff{"id":"a"}\n\n{"id":"b"}\n',
    format: 'ndjson',
    single: false,
    items: [
      [1, '{"id":"a"}'],
      [3, '{"id":"b"}'],
    ],
  },
  {
    name: 'multi-byte characters',
    body: '{"id":"äöü-€-😀"}',
    format: 'json',
    single: true,
    items: [[1, '{"id":"äöü-€-😀"}']],
  },
];

test('bodies read whole and one byte at a time give the same records', () => {
  for (const c of CASES) {
    const expected = { single: c.single, items: c.items };
    assert.deepEqual(summary(read(c.body, c.format)), expected, c.name);
    assert.deepEqual(summary(read(c.body, c.format, 1)), expected, `${c.name}, byte by byte`);
  }
});

function refusal(body: string | Buffer, format: 'json' | 'ndjson'): { code: string; message: string } {
  try {
    read(body, format, 7);
  } catch (error) {
    assert.ok(error instanceof AppError, String(error));
    return { code: error.code, message: error.message };
  }
  assert.fail('not refused');
}

test('refusals name the line or the limit', () => {
  const badUtf8 = Buffer.concat([
    Buffer.from('{"id":"a"}\n{"id":"'),
    Buffer.from([0xe2, 0x28, 0xa1]),
    Buffer.from('"}'),
  ]);
  const cases: [string | Buffer, 'json' | 'ndjson', string, RegExp][] = [
    ['', 'json', 'invalidJson', /empty/],
    ['{"id":', 'json', 'invalidJson', /truncated JSON value starting on line 1/],
    ['{"id":"a"}\nnope\n', 'ndjson', 'invalidJson', /line 2/],
    [badUtf8, 'ndjson', 'invalidJson', /line 2 is not valid UTF-8/],
    [`[${'1,'.repeat(MAX_INGEST_ITEMS)}1]`, 'json', 'requestEntityTooLarge', /more than 1000 call records/],
    [`{"value":[${'{},'.repeat(MAX_INGEST_ITEMS)}{}]}`, 'json', 'requestEntityTooLarge', /more than 1000/],
  ];
  for (const [body, format, code, message] of cases) {
    const r = refusal(body, format);
    assert.equal(r.code, code, r.message);
    assert.match(r.message, message);
  }
});

test('a record with more than 1000 elements in a nested array, or a value member, is one record', () => {
  const big = JSON.stringify({ id: 'big', sessions: Array.from({ length: 1500 }, (_, i) => ({ id: `s${i}` })) });
  assert.equal(read(big, 'json').items.length, 1);
  const valued = JSON.stringify({ id: 'v', value: Array.from({ length: 1500 }, () => 1) });
  assert.equal(read(valued, 'json').items.length, 1, 'an object with an id is a record, not a page');
});
