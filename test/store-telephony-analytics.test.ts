/**
 * The telephony analytics role's contract on every backend (src/storage/roles.ts TelephonyAnalyticsStore,
 * docs/analytics.md "Telephony"): empty logs, rows missing the properties a measure reads, unknown properties kept
 * aside, a replaced row counted once, and a filter whose values hold SQL and quotes.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { telephonyQueryOf } from '../src/analytics/telephony/telephony-query.js';
import { logKindNamed } from '../src/call-logs/log-kinds.js';
import { toLogRowWrite } from '../src/call-logs/log-row-write.js';
import type { CallRecordDatabase } from '../src/storage/roles.js';
import { BACKENDS } from './helpers/databases.js';

const PSTN = logKindNamed('pstnCalls')!;
const DR = logKindNamed('directRoutingCalls')!;
const RECEIVED = '2026-11-26T12:00:00.0000000Z';

for (const backend of BACKENDS) {
  describe(`telephony analytics store (${backend.name})`, () => {
    let db: CallRecordDatabase;
    const ask = (measures: string, by?: string, filter?: string) =>
      db.telephonyAnalytics.aggregateTelephony(telephonyQueryOf({ measures, by, filter }));
    before(async () => {
      db = await backend.open();
    });
    after(() => db.close());

    test('empty logs: one total row of zeros and nulls; no groups', async () => {
      const total = await ask('calls,users,successRate,minutes,avgMinutes,charge');
      assert.deepEqual(total.rows, [[0, 0, null, 0, null, null]]);
      assert.deepEqual((await ask('calls', 'trunk')).rows, []);
    });

    test('rows missing a property count as calls and not in that measure; a replaced row counts once', async () => {
      const pstn = (id: string, extra: Record<string, unknown>) =>
        toLogRowWrite(PSTN, { id, startDateTime: '2026-10-01T10:00:00Z', ...extra });
      await db.callLogs.write(
        'pstn_call_logs',
        [
          pstn('p1', { duration: 120, charge: 0.5, currency: 'EUR', userId: "o'brien", extraProperty: { nested: 1 } }),
          pstn('p2', { callType: 'user_out' }),
        ],
        RECEIVED,
      );
      await db.callLogs.write('pstn_call_logs', [pstn('p2', { callType: 'user_out', duration: 60 })], RECEIVED);
      const dr = toLogRowWrite(DR, {
        id: 'd1',
        correlationId: 'no-such-record',
        startDateTime: '2026-10-02T23:59:59.9999999Z',
        successfulCall: false,
        finalSipCode: 486,
        trunkFullyQualifiedDomainName: "sbc'; drop table call_records; --",
      });
      await db.callLogs.write('direct_routing_logs', [dr], RECEIVED);

      const all = await ask('calls,users,successRate,minutes,avgMinutes,charge', 'source');
      assert.deepEqual(all.columns, ['source', 'calls', 'users', 'successRate', 'minutes', 'avgMinutes', 'charge']);
      assert.deepEqual(all.rows, [
        ['directRouting', 1, 0, 0, 0, null, null],
        ['pstn', 2, 1, null, 3, 1.5, 0.5],
      ]);
      const byDay = await ask('calls', 'day,direction,hasCallRecord', "userId ne 'x' or trunk ne null");
      assert.deepEqual(byDay.rows, [
        ['2026-10-01', 'outbound', null, 1],
        ['2026-10-01', null, null, 1],
        ['2026-10-02', null, false, 1],
      ]);
      const hostile = await ask('calls', 'trunk,sipCode', "trunk eq 'sbc''; drop table call_records; --'");
      assert.deepEqual(hostile.rows, [["sbc'; drop table call_records; --", 486, 1]]);
      assert.deepEqual((await ask('calls', 'user', "user eq 'o''brien'")).rows, [["o'brien", 1]]);
    });
  });
}
