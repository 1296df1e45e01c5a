/**
 * Validation of telephony log rows (src/call-logs/validate-log-row.ts): the documented rows are valid, v1.0 and beta
 * properties alike; a value of the wrong type is an error naming the property; an enum value that is no member is a
 * warning (kept as sent); unknown properties pass; a row without the time its function selects on is refused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { logKindNamed } from '../src/call-logs/log-kinds.js';
import { validateLogRow } from '../src/call-logs/validate-log-row.js';
import { fixtureJson } from './helpers/fixtures.js';

const kind = (name: string) => logKindNamed(name)!;

test('the documented rows of every function are valid', () => {
  const pages: Array<[string, string]> = [
    ['pstnCalls', 'callrecords-callrecord-getpstncalls.beta.example1.response.json'],
    ['directRoutingCalls', 'callrecords-callrecord-getdirectroutingcalls.beta.example1.response.json'],
    ['directRoutingCalls', 'callrecords-callrecord-getdirectroutingcalls.v1.example1.response.json'],
    ['smsLog', 'callrecords-callrecord-getsmslog.beta.example1.response.json'],
    [
      'pstnOnlineMeetingDialoutReport',
      'callrecords-callrecord-getpstnonlinemeetingdialoutreport.beta.example1.response.json',
    ],
  ];
  for (const [name, file] of pages) {
    for (const row of fixtureJson(file).value) {
      const result = validateLogRow(kind(name), row);
      assert.ok(result.ok && result.warnings.length === 0, `${file}: ${JSON.stringify(result)}`);
    }
  }
});

test('wrong types are errors naming the property; a missing selection time is refused', () => {
  const result = validateLogRow(kind('directRoutingCalls'), {
    id: 'x',
    startDateTime: '2025-01-01T00:00:00Z',
    finalSipCode: '487',
    successfulCall: 'yes',
    duration: 2 ** 31,
    inviteDateTime: '2025-02-30T00:00:00Z',
    administrativeUnitInfos: [{ id: 5 }],
  });
  assert.equal(result.ok, false);
  const paths = result.ok ? [] : result.errors.map((e) => e.path).sort();
  assert.deepEqual(paths, ['administrativeUnitInfos', 'duration', 'finalSipCode', 'inviteDateTime', 'successfulCall']);
  const noTime = validateLogRow(kind('smsLog'), { id: 'y', smsUnits: 1 });
  assert.ok(!noTime.ok && noTime.errors.some((e) => e.path === 'sentDateTime'));
  assert.equal(validateLogRow(kind('pstnCalls'), [1, 2]).ok, false);
});

test('an unknown enum value is a warning; enum case and unknown properties pass untouched', () => {
  const row = { blockDateTime: '2025-01-01T00:00:00Z', userBlockMode: 'suspended', extra: { a: 1 } };
  const result = validateLogRow(kind('pstnBlockedUsersLog'), row);
  assert.ok(result.ok);
  assert.deepEqual(result.ok && result.warnings.map((w) => w.path), ['userBlockMode']);
  assert.deepEqual(result.ok && result.row, row);
  const capitalised = validateLogRow(kind('pstnBlockedUsersLog'), { ...row, userBlockMode: 'Blocked' });
  assert.ok(capitalised.ok && capitalised.warnings.length === 0);
});
