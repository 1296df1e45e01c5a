/**
 * What the rollup triggers (migration 0010; on SQLite they mark changed days) cost at ingest: the same generated records written to a fresh SQLite
 * file with the triggers and with them dropped, alternating, best of three each. `node --import tsx
 * bench/rollup-ingest.ts [records]` prints records per second both ways and their ratio, and how long the first
 * rollup read after the import takes to recompute the marked days of every rollup.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { analyticsQueryOf } from '../src/analytics/query/query-request.js';
import { validateCallRecord } from '../src/domain/validate.js';
import { generateRecords } from '../src/generate/index.js';
import { toRecordWrite } from '../src/service/record-fragments.js';
import { openDatabase } from '../src/storage/open-database.js';
import { SQLITE_DIRTY_TRIGGERS } from '../src/storage/sql/rollup-ddl.js';

const RECORDS = Number(process.argv[2] ?? 2000);
const BATCH = 500;

const writes = [
  ...generateRecords({
    calls: RECORDS,
    seed: 20240301,
    from: new Date('2026-01-01T00:00:00Z'),
    days: 30,
    versions: false,
  }),
].map((record) => {
  const valid = validateCallRecord(record);
  if (!valid.ok) throw new Error('invalid generated record');
  return toRecordWrite(valid.record, valid.hasEvolvableMembers);
});

let refreshMs = Infinity;

async function run(withTriggers: boolean): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'callrecords-rollup-ingest-'));
  try {
    const file = join(dir, 'db.sqlite');
    await (await openDatabase(`sqlite:${file}`)).close();
    if (!withTriggers) {
      const raw = new BetterSqlite3(file);
      for (const trigger of SQLITE_DIRTY_TRIGGERS) raw.exec(`drop trigger ${trigger}`);
      raw.close();
    }
    const db = await openDatabase(`sqlite:${file}`);
    const started = performance.now();
    for (let i = 0; i < writes.length; i += BATCH)
      await db.records.write(writes.slice(i, i + BATCH), '2026-02-01T00:00:00.000Z');
    const seconds = (performance.now() - started) / 1000;
    // The first rollup read recomputes the days the triggers marked, in every rollup (SQLite's share of the cost).
    if (withTriggers) {
      const read = performance.now();
      await db.analytics.aggregate(analyticsQueryOf({ measures: 'calls,failures', by: 'day' }));
      refreshMs = Math.min(refreshMs, performance.now() - read);
    }
    await db.close();
    return writes.length / seconds;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const best = { with: 0, without: 0 };
for (let i = 0; i < 3; i++) {
  best.without = Math.max(best.without, await run(false));
  best.with = Math.max(best.with, await run(true));
}
process.stdout.write(
  `${RECORDS} records, SQLite: ${best.without.toFixed(0)} records/s without the rollup triggers, ` +
    `${best.with.toFixed(0)} with them: ratio ${(best.with / best.without).toFixed(2)}; the first rollup read ` +
    `then recomputes the marked days of every rollup in ${refreshMs.toFixed(0)} ms (best)\n`,
);
