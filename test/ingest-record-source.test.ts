import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  readRecordBatches,
  readRecordTexts,
  type ReadRecordOptions,
  type SourceItem,
} from '../src/ingest/record-source.js';

async function* fromChunks<T>(chunks: readonly T[]): AsyncGenerator<T> {
  for (const chunk of chunks) yield chunk;
}

async function collect(chunks: readonly (Buffer | string)[], options?: ReadRecordOptions): Promise<SourceItem[]> {
  const items: SourceItem[] = [];
  for await (const item of readRecordTexts(fromChunks(chunks), options)) items.push(item);
  return items;
}

/** Reads `input` whole, in 1-byte chunks and split in two at every byte; all readings must agree. */
async function readEverySplit(input: string, options?: ReadRecordOptions): Promise<SourceItem[]> {
  const bytes = Buffer.from(input, 'utf8');
  const whole = await collect([bytes], options);
  const single = [...bytes].map((b) => Buffer.from([b]));
  assert.deepEqual(await collect(single, options), whole, '1-byte chunks');
  for (let at = 0; at <= bytes.length; at++) {
    const halves = [bytes.subarray(0, at), bytes.subarray(at)];
    assert.deepEqual(await collect(halves, options), whole, `split at byte ${at}`);
  }
  assert.deepEqual(await collect(Array.from(input), options), whole, 'one string chunk per character');
  return whole;
}

const value = (line: number, text: string): SourceItem => ({ kind: 'value', line, text });
const error = (line: number, message: string): SourceItem => ({ kind: 'error', line, message });

const PAGE = `{
  "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#communications/callRecords",
  "value": [
    { "id": "e523d2ed", "type": "groupCall" },
    { "id": "f9c4b1aa", "type": "peerToPeer" }
  ]
}
`;

const cases: { name: string; input: string; expected: SourceItem[] }[] = [
  { name: 'empty input', input: '', expected: [] },
  { name: 'only whitespace', input: ' \r\n\t\n', expected: [] },
  { name: 'only a byte order mark', input: '\uFEFF', expected: [] },
  {
    name: 'NDJSON with blank lines and CRLF',
    input: '{"id":"a"}\r\n\r\n{"id":"b"}\r\n\n  {"id":"c"}  \r\n',
    expected: [value(1, '{"id":"a"}'), value(3, '{"id":"b"}'), value(5, '{"id":"c"}')],
  },
  {
    name: 'NDJSON without a final newline, after a byte order mark',
    input: '\uFEFF{"id":"a"}\n{"id":"b"}',
    expected: [value(1, '{"id":"a"}'), value(2, '{"id":"b"}')],
  },
  {
    name: 'pretty-printed array',
    input: '[\n  {\n    "id": "a"\n  },\n  {\n    "id": "b",\n    "n": [1, 2]\n  }\n]\n',
    expected: [value(2, '{\n    "id": "a"\n  }'), value(5, '{\n    "id": "b",\n    "n": [1, 2]\n  }')],
  },
  {
    name: 'array of scalars and nested arrays, elements trimmed',
    input: '[ 1 , "x,]" ,\r\n[[2], {}] , {"a":[{}]}\t]',
    expected: [value(1, '1'), value(1, '"x,]"'), value(2, '[[2], {}]'), value(2, '{"a":[{}]}')],
  },
  { name: 'empty array', input: ' [ \n ] \n', expected: [] },
  { name: 'pretty-printed Graph page', input: PAGE, expected: [value(1, PAGE.trimEnd())] },
  {
    name: 'concatenated pretty-printed objects',
    input: '{\n  "a": 1\n}\n{\n  "b": [\n    2\n  ]\n}{"c":3}[4]\n',
    expected: [
      value(1, '{\n  "a": 1\n}'),
      value(4, '{\n  "b": [\n    2\n  ]\n}'),
      value(8, '{"c":3}'),
      value(8, '[4]'),
    ],
  },
  {
    name: 'brackets, escapes and multi-byte characters inside strings',
    input: '{"s":"{[}]\\"\\\\","n":"Zoë 😀"}\n{"t":"\\\\"}\n{"u":"\\\\\\"}{"}\n',
    expected: [value(1, '{"s":"{[}]\\"\\\\","n":"Zoë 😀"}'), value(2, '{"t":"\\\\"}'), value(3, '{"u":"\\\\\\"}{"}')],
  },
  {
    name: 'strings with brackets and multi-byte characters in an array',
    input: '["]", "Zoë 😀 {", {"x":"\\\\"}, "[\\"]"]',
    expected: [value(1, '"]"'), value(1, '"Zoë 😀 {"'), value(1, '{"x":"\\\\"}'), value(1, '"[\\"]"')],
  },
  {
    name: 'a backslash before a line break inside an array element still counts the line',
    input: '["a\\\nb",\n1]',
    expected: [value(1, '"a\\\nb"'), value(3, '1')],
  },
  {
    name: 'truncated last line',
    input: '{"id":"a"}\n{"id": "b", "ver',
    expected: [value(1, '{"id":"a"}'), error(2, 'truncated JSON value starting on line 2')],
  },
  {
    name: 'truncated last line outside a string',
    input: '{"id":"a"}\n\n{"id": "b", "sessions": [\n',
    expected: [value(1, '{"id":"a"}'), error(3, 'truncated JSON value starting on line 3')],
  },
  {
    name: 'a line cut inside a string costs only itself',
    input: '{"id": "x", "ver\n{"id":"y"}\n{"id":"z","a":"b\\\n{"id":"w"}',
    expected: [
      error(1, 'JSON value starting on line 1 breaks off inside a string'),
      value(2, '{"id":"y"}'),
      error(3, 'JSON value starting on line 3 breaks off inside a string'),
      value(4, '{"id":"w"}'),
    ],
  },
  {
    name: 'stray text lines',
    input: 'not json\n{"id":"a"}\n123\r\n  "text" {"x":1}  \r\n}\n{"id":"b"} trailing\n,{"id":"c"}\nlast',
    expected: [
      value(1, 'not json'),
      value(2, '{"id":"a"}'),
      value(3, '123'),
      value(4, '"text" {"x":1}'),
      value(5, '}'),
      value(6, '{"id":"b"}'),
      value(6, 'trailing'),
      value(7, ',{"id":"c"}'),
      value(8, 'last'),
    ],
  },
  {
    name: 'text after a top-level array',
    input: '[{"id":"a"}]\n\nxyz\n[]',
    expected: [
      value(1, '{"id":"a"}'),
      error(3, 'unexpected text on line 3 after the JSON array that starts on line 1'),
    ],
  },
  {
    name: 'a second array after a top-level array',
    input: '\n[{"id":"a"}] [{"id":"b"}]',
    expected: [
      value(2, '{"id":"a"}'),
      error(2, 'unexpected text on line 2 after the JSON array that starts on line 2'),
    ],
  },
  {
    name: 'empty elements and a trailing comma',
    input: '[,{"id":"a"},,\n{"id":"b"},\n]',
    expected: [
      error(1, 'empty array element on line 1'),
      value(1, '{"id":"a"}'),
      error(1, 'empty array element on line 1'),
      value(2, '{"id":"b"}'),
      error(3, 'empty array element on line 3'),
    ],
  },
  {
    name: 'array not closed after a complete element',
    input: '[\n{"id":"a"},\n{"id":"b"}\n',
    expected: [
      value(2, '{"id":"a"}'),
      value(3, '{"id":"b"}'),
      error(1, "JSON array starting on line 1 is not closed with ']'"),
    ],
  },
  {
    name: 'array not closed before an element',
    input: '[{"id":"a"},\n',
    expected: [value(1, '{"id":"a"}'), error(1, "JSON array starting on line 1 is not closed with ']'")],
  },
  {
    name: 'array truncated inside an element',
    input: '[{"id":"a"},\n {"id": "b", "x": [',
    expected: [value(1, '{"id":"a"}'), error(2, 'truncated JSON value starting on line 2')],
  },
];

for (const { name, input, expected } of cases) {
  test(`readRecordTexts: ${name}`, async () => {
    assert.deepEqual(await readEverySplit(input), expected);
  });
}

test('readRecordTexts: a value over maxValueBytes is an error item and reading goes on', async () => {
  const input = '{"id":"a"}\n{"id":"big","pad":"0123456789"}\n[\n1,\n2]\nstray text here\n{"id":"b"}\n';
  assert.deepEqual(await readEverySplit(input, { maxValueBytes: 12 }), [
    value(1, '{"id":"a"}'),
    error(2, 'JSON value starting on line 2 is over 12 bytes'),
    value(3, '[\n1,\n2]'),
    error(6, 'JSON value starting on line 6 is over 12 bytes'),
    value(7, '{"id":"b"}'),
  ]);
});

test('readRecordBatches: the same items, grouped by the chunk that completes them, never an empty group', async () => {
  const batches: SourceItem[][] = [];
  for await (const batch of readRecordBatches(fromChunks(['{"a":1}\n{"b"', ':2}\n', '  ', '{"c":3}{"d":4}\n', 'x']))) {
    batches.push(batch);
  }
  assert.deepEqual(batches, [
    [value(1, '{"a":1}')],
    [value(2, '{"b":2}')],
    [value(3, '{"c":3}'), value(3, '{"d":4}')],
    [value(4, 'x')],
  ]);
});

test('readRecordTexts: stops reading the input after an error that ends it', async () => {
  let pulled = 0;
  let closed = false;
  async function* input(): AsyncGenerator<string> {
    try {
      for (const chunk of ['[{"id":"a"}]', ' junk', ' more', ' and more']) {
        pulled++;
        yield chunk;
      }
    } finally {
      closed = true;
    }
  }
  const items: SourceItem[] = [];
  for await (const item of readRecordTexts(input())) items.push(item);
  assert.equal(items.length, 2);
  assert.equal(pulled, 2);
  assert.ok(closed);
});

test('readRecordTexts: streams 200,000 generated lines', async () => {
  const LINES = 200_000;
  async function* generate(): AsyncGenerator<Buffer> {
    let batch: string[] = [];
    for (let n = 1; n <= LINES; n++) {
      const record = n % 1000 === 0 ? 'oops' : JSON.stringify({ id: `r${n}`, n, name: 'Zoë 😀', tags: ['{', ']'] });
      batch.push(n % 10 === 0 ? `${record}\r\n` : `${record}\n`);
      if (batch.length === 997) {
        yield Buffer.from(batch.join(''));
        batch = [];
      }
    }
    yield Buffer.from(batch.join(''));
  }
  let values = 0;
  let stray = 0;
  for await (const item of readRecordTexts(generate())) {
    assert.equal(item.kind, 'value');
    if (item.kind !== 'value') continue;
    if (item.text === 'oops') {
      assert.equal(item.line % 1000, 0);
      stray++;
    } else {
      const record = JSON.parse(item.text) as { n: number; name: string };
      assert.equal(record.n, item.line);
      assert.equal(record.name, 'Zoë 😀');
      values++;
    }
  }
  assert.equal(values, LINES - LINES / 1000);
  assert.equal(stray, LINES / 1000);
});
