/**
 * Values one store would take and the other cannot, or that JSON.parse changes silently: refused by the same rules
 * for both stores (src/domain/json-text-rules.ts and the id and Int64 rules of validate-plan.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findInText, textIssues } from '../src/domain/json-text-rules.js';
import { formatIssue, validateCallRecord } from '../src/domain/validate.js';
import { MAX_ID_LENGTH } from '../src/domain/validate-plan.js';
import type { Json } from './helpers/json.js';
import { makeRecord } from './helpers/records.js';

const TEXT_CASES: { name: string; text: string; expected: string[] }[] = [
  { name: 'plain record', text: '{"id":"a","n":123,"s":"12345678901234567890"}', expected: [] },
  { name: 'NUL in a value', text: '{"id":"a\\u0000"}', expected: ['id: holds U+0000, which cannot be stored'] },
  {
    name: 'NUL in a property name',
    text: '{"x":{"a\\u0000":1}}',
    expected: ['x: a property name holds U+0000, which cannot be stored'],
  },
  { name: 'an escaped backslash before u0000 is text', text: '{"id":"a\\\\u0000"}', expected: [] },
  {
    name: 'two escaped backslashes then NUL',
    text: '["\\\\\\\\\\u0000"]',
    expected: ['$[0]: holds U+0000, which cannot be stored'],
  },
  { name: '2^53 - 1 is exact', text: '{"n":9007199254740991,"m":-9007199254740991}', expected: [] },
  {
    name: '2^53 + 1 would be rounded',
    text: '{"n":9007199254740993}',
    expected: ['n: an integer beyond ±9007199254740991 cannot be kept exactly; send it as a string'],
  },
  {
    name: 'a negative 20-digit integer deep down',
    text: '{"a":[{"b":-12345678901234567890}]}',
    expected: ['a[0].b: an integer beyond ±9007199254740991 cannot be kept exactly; send it as a string'],
  },
  { name: 'many digits with a fraction', text: '{"n":12345678901234567.5}', expected: [] },
  { name: 'many digits with an exponent', text: '{"n":12345678901234567e-5,"m":1.2345678901234567E+30}', expected: [] },
  { name: 'many digits inside a string with quotes', text: '{"s":"\\"9007199254740993\\""}', expected: [] },
];

test('JSON text rules: U+0000 anywhere and integers past 2^53 are found with their path', () => {
  for (const { name, text, expected } of TEXT_CASES) {
    const findings = findInText(text);
    const found = findings === undefined ? [] : textIssues(JSON.parse(text), findings).map(formatIssue);
    assert.deepEqual(found, expected, name);
  }
});

test('a value nested 100,000 deep is walked without overflowing the stack', () => {
  const text = `${'['.repeat(100_000)}"\\u0000"${']'.repeat(100_000)}`;
  const issues = textIssues(JSON.parse(text), findInText(text)!);
  assert.equal(issues.length, 1);
});

const RECORD_CASES: { name: string; edit: (r: Record<string, Json>) => void; expected: string[] }[] = [
  { name: `an id of ${MAX_ID_LENGTH} characters`, edit: (r) => (r.id = 'i'.repeat(MAX_ID_LENGTH)), expected: [] },
  {
    name: `an id of ${MAX_ID_LENGTH + 1} characters`,
    edit: (r) => (r.id = 'i'.repeat(MAX_ID_LENGTH + 1)),
    expected: [`id: longer than ${MAX_ID_LENGTH} characters`],
  },
  {
    name: 'a session id of 2,700 characters',
    edit: (r) => (r.sessions[0].id = 's'.repeat(2700)),
    expected: [`sessions[0].id: longer than ${MAX_ID_LENGTH} characters`],
  },
  {
    name: 'a participant id of 2,700 characters',
    edit: (r) => (r.participants_v2[0].id = 'p'.repeat(2700)),
    expected: [`participants_v2[0].id: longer than ${MAX_ID_LENGTH} characters`],
  },
  { name: 'version 2^63', edit: (r) => (r.version = 2 ** 63), expected: ['version: out of range for Edm.Int64'] },
  { name: 'version 1e300', edit: (r) => (r.version = 1e300), expected: ['version: out of range for Edm.Int64'] },
  { name: 'version 2^53 - 1', edit: (r) => (r.version = Number.MAX_SAFE_INTEGER), expected: [] },
];

test('ids are capped in length and Int64 values stay within Int64', () => {
  for (const { name, edit, expected } of RECORD_CASES) {
    const record = makeRecord({ id: 'limits' });
    edit(record);
    const result = validateCallRecord(record);
    assert.deepEqual(result.ok ? [] : result.errors.map(formatIssue), expected, name);
  }
});
