/**
 * The list filters are answered from indexes on PostgreSQL too (the counterpart of store-sqlite-plan.test.ts),
 * asserted on EXPLAIN of the statements the store runs (PostgresStore.explainList).
 *
 * PostgreSQL chooses plans by cost, so the table needs enough rows that reading a whole partition costs more than
 * an index range: 6,000 records over three monthly partitions, analysed (store.optimize()). enable_seqscan stays on —
 * turning it off would show what the planner can do, not what it does. At this size the planner may still join a page
 * of participant matches to call_records with a hash join over all records (cheaper than a probe per partition here),
 * so for the participant filter only the part that grows with the data is asserted: the matches come from the
 * participant index, in order, without reading or sorting all of them.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { validateCallRecord } from '../src/domain/validate.js';
import { toRecordWrite } from '../src/service/record-fragments.js';
import { PostgresStore } from '../src/storage/postgres/postgres-store.js';
import type { RecordQuery, RecordWrite } from '../src/storage/store.js';
import { POSTGRES_ENABLED, testSchema, type TestSchema } from './helpers/postgres.js';
import { makeRecord } from './helpers/records.js';

const SKIP = POSTGRES_ENABLED ? false : 'PostgreSQL is not reachable (see test/helpers/postgres.ts)';
const RECORDS = 6000;
/** In every record: thousands of matches, of which a page must not read them all. */
const FREQUENT = 'frequent-participant';

const JANUARY = [
  { op: 'ge' as const, value: '2024-01-01T00:00:00.0000000Z' },
  { op: 'lt' as const, value: '2024-02-01T00:00:00.0000000Z' },
];
const CURSOR = { startKey: '2024-01-05T00:00:00.0000000Z', id: 'x' };

function write(i: number): RecordWrite {
  const start = new Date(Date.UTC(2024, 0, 1) + i * 20 * 60_000).toISOString();
  const result = validateCallRecord(
    makeRecord({ id: `plan-${i}`, start, participantIds: [`user-${i % 300}`, FREQUENT] }),
  );
  assert.ok(result.ok, JSON.stringify(result));
  return toRecordWrite(result.record, result.hasEvolvableMembers);
}

/** The plan's line matching `pattern` and every line below it (indented deeper), joined. */
function subtree(plan: string[], pattern: RegExp): string {
  const at = plan.findIndex((line) => pattern.test(line));
  assert.ok(at >= 0, `no ${pattern} in the plan:\n${plan.join('\n')}`);
  const indent = (line: string) => line.search(/\S/);
  const end = plan.findIndex((line, k) => k > at && indent(line) <= indent(plan[at]!));
  return plan.slice(at, end < 0 ? undefined : end).join('\n');
}

describe('PostgreSQL list plans', { skip: SKIP }, () => {
  let schema: TestSchema;
  let store: PostgresStore;
  before(async () => {
    schema = testSchema('plan');
    store = await PostgresStore.open(schema.url);
    const writes = Array.from({ length: RECORDS }, (_, i) => write(i));
    for (let k = 0; k < writes.length; k += 1000) await store.write(writes.slice(k, k + 1000), 't');
    await store.optimize();
  });
  after(async () => {
    await store?.close();
    await schema.drop();
  });

  const explain = async (query: RecordQuery) => store.explainList(query);

  test('a startDateTime window is a range scan of the start index of the months it covers, without sorting', async () => {
    const plan = (await explain({ start: JANUARY, limit: 61 })).join('\n');
    assert.match(plan, /Index Scan using call_records_202401_start_key_id_idx on call_records_202401/);
    assert.doesNotMatch(plan, /Seq Scan|Sort/, plan);
    assert.doesNotMatch(plan, /call_records_202403/, `a month outside the window is pruned:\n${plan}`);
  });

  test('the first page of everything reads the start index in order', async () => {
    const plan = (await explain({ start: [], limit: 61 })).join('\n');
    assert.match(plan, /Limit[\s\S]*Index Scan using call_records_202401_start_key_id_idx/);
    assert.doesNotMatch(plan, /Seq Scan|Sort/, plan);
  });

  test('the next page seeks past the cursor on the same index', async () => {
    const plan = (await explain({ start: JANUARY, after: CURSOR, limit: 61 })).join('\n');
    assert.match(plan, /Index Scan using call_records_202401_start_key_id_idx/);
    assert.match(plan, /Index Cond: .*ROW\(start_key, id\) > ROW\('2024-01-05T00:00:00\.0000000Z'::text, 'x'::text\)/);
    assert.doesNotMatch(plan, /Seq Scan|Sort/, plan);
  });

  test('a frequent participant pages along the participant index, in order, without sorting its matches', async () => {
    for (const query of [
      { start: [], participantId: FREQUENT, limit: 61 },
      { start: JANUARY, participantId: FREQUENT, after: CURSOR, limit: 61 },
    ]) {
      const plan = await explain(query);
      const matches = subtree(plan, /->\s+Limit/);
      assert.match(matches, /Index Only Scan using participants_202401_participant_id_start_key_record_id_idx/);
      assert.doesNotMatch(matches, /Seq Scan|Sort/, `the page of matches:\n${plan.join('\n')}`);
      assert.doesNotMatch(plan.join('\n'), /Seq Scan on participants/, plan.join('\n'));
    }
  });

  test('a rare participant is found through the participant index', async () => {
    const plan = (await explain({ start: JANUARY, participantId: 'user-7', after: CURSOR, limit: 61 })).join('\n');
    assert.match(plan, /Index (Only )?Scan (using|on) participants_202401_participant_id_start_key_record_id_idx/);
    assert.doesNotMatch(plan, /Seq Scan on participants/, plan);
    assert.doesNotMatch(plan, /participants_202403/, `a month outside the window is pruned:\n${plan}`);
  });
});
