/**
 * The analytics role's `orderby` and `top` on every backend (docs/analytics.md, "Order and top"): the answer holds
 * the first `top` groups of the whole answer in the documented order (the column, nulls last either way, then the
 * dimensions ascending in byte order, nulls last), says whether more exist, and both stores give the same rows.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Cell } from '../src/analytics/query/model.js';
import { analyticsQueryOf } from '../src/analytics/query/query-request.js';
import { validateCallRecord } from '../src/domain/validate.js';
import { generateRecords } from '../src/generate/index.js';
import { toRecordWrite } from '../src/service/record-fragments.js';
import type { CallRecordDatabase } from '../src/storage/roles.js';
import { BACKENDS } from './helpers/databases.js';

const TENANT = [
  ...generateRecords({ calls: 60, seed: 31, from: new Date('2026-01-05T00:00:00Z'), days: 20, versions: false }),
];

const writes = TENANT.map((record) => {
  const result = validateCallRecord(structuredClone(record));
  assert.ok(result.ok);
  return toRecordWrite(result.record, result.hasEvolvableMembers);
});

const CASES = [
  { measures: 'streams,poorStreamPct', by: 'captureDevice', orderby: 'streams desc', top: '3' },
  { measures: 'streams,poorStreamPct', by: 'day,mediaType', orderby: 'poorStreamPct desc', top: '5' },
  { measures: 'streams,poorStreamPct', by: 'day,mediaType', orderby: 'poorStreamPct', top: '5' },
  { measures: 'streams', by: 'subnet', orderby: 'subnet desc', top: '4' },
  { measures: 'streams,p90Jitter', by: 'platform', orderby: 'p90Jitter desc', top: '2' },
  { measures: 'calls', by: 'insideCorp,day', orderby: 'insideCorp desc', top: '7' },
  { measures: 'streams', by: 'day', top: '6' },
];

// The documented order, written here independently of the store's.
function byteOrder(a: Cell, b: Cell): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return a ? 1 : -1;
  return Buffer.compare(Buffer.from(String(a)), Buffer.from(String(b)));
}

function expectedRows(rows: Cell[][], columns: string[], dims: number, orderby: string | undefined): Cell[][] {
  const [name, direction] = (orderby ?? '').split(' ');
  const at = columns.indexOf(name!);
  const column = (a: Cell[], b: Cell[]) => {
    if (at < 0 || a[at] === b[at]) return 0;
    if (a[at] === null || b[at] === null) return a[at] === null ? 1 : -1;
    return direction === 'desc' ? -byteOrder(a[at]!, b[at]!) : byteOrder(a[at]!, b[at]!);
  };
  const dimensions = (a: Cell[], b: Cell[]) => {
    for (let i = 0; i < dims; i++) if (byteOrder(a[i]!, b[i]!) !== 0) return byteOrder(a[i]!, b[i]!);
    return 0;
  };
  return [...rows].sort((a, b) => column(a, b) || dimensions(a, b));
}

const answers = new Map<string, unknown>();

for (const backend of BACKENDS) {
  describe(`analytics orderby and top: ${backend.name}`, () => {
    let db: CallRecordDatabase;
    before(async () => {
      db = await backend.open();
      await db.records.write(writes, '2026-03-01T00:00:00.000Z');
    });
    after(() => db.close());

    for (const request of CASES) {
      test(`${request.by} by ${request.orderby ?? 'dimensions'}, top ${request.top}`, async () => {
        const query = analyticsQueryOf(request);
        const whole = await db.analytics.aggregate({ ...query, orderBy: undefined, top: undefined });
        const cut = await db.analytics.aggregate(query);
        const top = Number(request.top);
        assert.ok(whole.rows.length > top, `the case needs more than ${top} groups (${whole.rows.length})`);
        const expected = expectedRows(whole.rows, whole.columns, query.by.length, request.orderby);
        assert.deepEqual(cut.rows, expected.slice(0, top));
        assert.equal(cut.truncated, true);
        const all = await db.analytics.aggregate({ ...query, top: whole.rows.length });
        assert.equal(all.truncated, false, 'top equal to the number of groups cuts nothing');
        assert.deepEqual(all.rows, expected);
        const key = JSON.stringify(request);
        if (answers.has(key)) assert.deepEqual(cut.rows, answers.get(key), 'both stores give the same rows');
        else answers.set(key, cut.rows);
      });
    }
  });
}
