/**
 * What the day rollup's statement triggers (migration 0013) cost at ingest on PostgreSQL: the same generated records
 * written to a fresh schema with the triggers and with them dropped, alternating, best of three each. `node --import
 * tsx bench/rollup-ingest-postgres.ts [records] [postgres url]` prints records per second both ways and their ratio.
 */
import pg from 'pg';
import { validateCallRecord } from '../src/domain/validate.js';
import { generateRecords } from '../src/generate/index.js';
import { toRecordWrite } from '../src/service/record-fragments.js';
import { openDatabase } from '../src/storage/open-database.js';

const RECORDS = Number(process.argv[2] ?? 1000);
const BASE = process.argv[3] ?? 'postgres://postgres@127.0.0.1:5432/test';
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

async function run(withTriggers: boolean, round: number): Promise<number> {
  const schema = `rollup_ingest_${process.pid}_${round}`;
  const admin = new pg.Client(BASE);
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  try {
    const url = `${BASE}?schema=${schema}`;
    await (await openDatabase(url)).close();
    if (!withTriggers) {
      for (const event of ['insert', 'update', 'delete']) {
        await admin.query(`drop trigger stream_rollup_day_${event} on ${schema}.streams`);
      }
    }
    const db = await openDatabase(url);
    const started = performance.now();
    for (let i = 0; i < writes.length; i += BATCH)
      await db.records.write(writes.slice(i, i + BATCH), '2026-02-01T00:00:00.000Z');
    const seconds = (performance.now() - started) / 1000;
    await db.close();
    return writes.length / seconds;
  } finally {
    await admin.query(`drop schema ${schema} cascade`);
    await admin.end();
  }
}

const best = { with: 0, without: 0 };
for (let i = 0; i < 3; i++) {
  best.without = Math.max(best.without, await run(false, 2 * i));
  best.with = Math.max(best.with, await run(true, 2 * i + 1));
}
process.stdout.write(
  `${RECORDS} records, PostgreSQL: ${best.without.toFixed(0)} records/s without the day rollup's triggers, ` +
    `${best.with.toFixed(0)} with them: ratio ${(best.with / best.without).toFixed(2)}\n`,
);
