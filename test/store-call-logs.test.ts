/**
 * The call-log role (`db.callLogs`) on every backend: a row received twice is stored once, a changed body under the
 * same key replaces it, windows honour inclusive and exclusive upper bounds, keyset pages give every row once, the
 * joins find rows by correlation id and by user, dial-out reports are found by period, and retention removes what is
 * older than the cutoff from every log.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { LogRowWrite, StoredLogRow } from '../src/storage/call-log-types.js';
import type { CallRecordDatabase } from '../src/storage/roles.js';
import { BACKENDS } from './helpers/databases.js';

const RECEIVED = '2026-01-01T00:00:00.000Z';

function key(minute: number): string {
  return `2025-03-01T00:${String(minute).padStart(2, '0')}:00.0000000Z`;
}

function dr(n: number, minute: number, extra: Record<string, unknown> = {}): LogRowWrite {
  const row = { id: `dr-${n}`, correlationId: `call-${n % 3}`, userId: `user-${n % 2}`, ...extra };
  return {
    rowKey: row.id,
    timeKey: key(minute),
    linkKey: row.correlationId,
    userId: row.userId,
    json: JSON.stringify(row),
  };
}

const keysOf = (rows: readonly StoredLogRow[]) => rows.map((r) => r.rowKey);

for (const backend of BACKENDS) {
  describe(`call-log store (${backend.name})`, () => {
    let db: CallRecordDatabase;
    before(async () => {
      db = await backend.open();
    });
    after(() => db.close());

    test('the same row twice is stored once; another body under the same key replaces it', async () => {
      const rows = [dr(1, 1), dr(2, 2), dr(3, 3)];
      assert.deepEqual(await db.callLogs.write('direct_routing_logs', rows, RECEIVED), [
        'inserted',
        'inserted',
        'inserted',
      ]);
      assert.deepEqual(await db.callLogs.write('direct_routing_logs', rows, RECEIVED), [
        'unchanged',
        'unchanged',
        'unchanged',
      ]);
      const changed = dr(2, 2, { finalSipCode: 487 });
      assert.deepEqual(await db.callLogs.write('direct_routing_logs', [changed, changed], RECEIVED), [
        'updated',
        'unchanged',
      ]);
      const all = await db.callLogs.listRows(
        'direct_routing_logs',
        { fromKey: key(0), toKey: key(59), toInclusive: true },
        undefined,
        10,
      );
      assert.deepEqual(keysOf(all), ['dr-1', 'dr-2', 'dr-3']);
      assert.equal(JSON.parse(all[1]!.json).finalSipCode, 487);
    });

    test('a window includes its upper bound only when told to; fromKey is always inclusive', async () => {
      const window = { fromKey: key(1), toKey: key(3) };
      const inclusive = await db.callLogs.listRows(
        'direct_routing_logs',
        { ...window, toInclusive: true },
        undefined,
        10,
      );
      const exclusive = await db.callLogs.listRows(
        'direct_routing_logs',
        { ...window, toInclusive: false },
        undefined,
        10,
      );
      assert.deepEqual(keysOf(inclusive), ['dr-1', 'dr-2', 'dr-3']);
      assert.deepEqual(keysOf(exclusive), ['dr-1', 'dr-2']);
    });

    test('keyset pages in (time, key) order give every row once, rows sharing a time included', async () => {
      const table = 'pstn_call_logs';
      const rows = Array.from({ length: 25 }, (_, i) => ({
        rowKey: `p-${String(i).padStart(2, '0')}`,
        timeKey: key(i % 5),
        json: JSON.stringify({ id: `p-${i}` }),
      }));
      await db.callLogs.write(table, rows.reverse(), RECEIVED);
      const window = { fromKey: key(0), toKey: key(59), toInclusive: false };
      const seen: string[] = [];
      let after: StoredLogRow | undefined;
      for (let pages = 0; pages < 10; pages++) {
        const page = await db.callLogs.listRows(table, window, after, 4);
        seen.push(...keysOf(page));
        if (page.length < 4) break;
        after = page[page.length - 1];
      }
      const expected = rows
        .map((r) => [r.timeKey, r.rowKey] as const)
        .sort()
        .map(([, k]) => k);
      assert.deepEqual(seen, expected);
    });

    test('the joins: by correlation id, and by user within a time range', async () => {
      assert.deepEqual(keysOf(await db.callLogs.rowsByLink('direct_routing_logs', 'call-1')), ['dr-1']);
      assert.deepEqual(keysOf(await db.callLogs.rowsByLink('direct_routing_logs', 'none')), []);
      assert.deepEqual(keysOf(await db.callLogs.rowsByUser('direct_routing_logs', 'user-1', key(0), key(2))), ['dr-1']);
      assert.deepEqual(keysOf(await db.callLogs.rowsByUser('direct_routing_logs', 'user-1', key(0), key(3))), [
        'dr-1',
        'dr-3',
      ]);
    });

    test('dial-out reports are found by the period they cover', async () => {
      const day = (d: number) => `2025-03-${String(d).padStart(2, '0')}T00:00:00.0000000Z`;
      const report = (d: number): LogRowWrite => ({
        rowKey: `r-${d}`,
        timeKey: day(d),
        periodEndKey: day(d + 1),
        json: JSON.stringify({ totalCalls: d }),
      });
      await db.callLogs.write('pstn_dialout_reports', [report(1), report(2), report(3)], RECEIVED);
      assert.deepEqual(keysOf(await db.callLogs.listPeriodRows('pstn_dialout_reports', day(1), day(3))), [
        'r-1',
        'r-2',
      ]);
      assert.deepEqual(keysOf(await db.callLogs.listPeriodRows('pstn_dialout_reports', day(2), day(9))), [
        'r-2',
        'r-3',
      ]);
    });

    test('retention removes the rows of every log before the cutoff, in batches', async () => {
      await db.callLogs.write('sms_logs', [{ rowKey: 's-1', timeKey: key(0), json: '{}' }], RECEIVED);
      const removed = await db.callLogs.expire(key(2), 2);
      const left = await db.callLogs.listRows(
        'direct_routing_logs',
        { fromKey: key(0), toKey: key(59), toInclusive: true },
        undefined,
        10,
      );
      assert.deepEqual(keysOf(left), ['dr-2', 'dr-3']);
      const pstn = await db.callLogs.listRows(
        'pstn_call_logs',
        { fromKey: key(0), toKey: key(59), toInclusive: true },
        undefined,
        100,
      );
      assert.equal(pstn.length, 15);
      const sms = await db.callLogs.listRows(
        'sms_logs',
        { fromKey: key(0), toKey: key(59), toInclusive: true },
        undefined,
        10,
      );
      assert.equal(sms.length, 0);
      // 1 DR + 10 PSTN + 1 SMS + the report of March 1 (its period starts at 00:00, before the cutoff).
      assert.equal(removed, 13);
    });
  });
}
