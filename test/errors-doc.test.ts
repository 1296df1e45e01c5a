/** docs/errors.md lists every error code with the status the HTTP layer gives it, and nothing else. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES } from '../src/errors.js';
import { ERROR_STATUS } from '../src/http/error-response.js';

const rows = readFileSync(join(import.meta.dirname, '../docs/errors.md'), 'utf8')
  .split('\n')
  .map((line) => /^\|\s*`(\w+)`\s*\|\s*(\d{3})\s*\|/.exec(line))
  .filter((m) => m !== null)
  .map((m) => [m[1]!, Number(m[2])] as const);

test('every error code is documented with its status', () => {
  assert.deepEqual(new Map(rows), new Map(ERROR_CODES.map((code) => [code, ERROR_STATUS[code]])));
});
