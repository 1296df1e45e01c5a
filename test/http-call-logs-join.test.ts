/**
 * The join of call records and telephony rows, on generated data: a generated Direct Routing call's record and its
 * log row find each other (`GET /api/callRecords/{id}/telephony` gives the row; the row's correlationId fetches the
 * record from the Graph API), and a Calling Plan call's row is found by its user and time.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CallLogFactory, type GeneratedLogRow } from '../src/generate/call-logs.js';
import { generateRecords } from '../src/generate/index.js';
import { BACKENDS } from './helpers/databases.js';
import { postLogs } from './helpers/call-logs.js';
import type { Json } from './helpers/json.js';
import { createTestApp, ingest } from './helpers/test-app.js';

const OPTIONS = {
  calls: 300,
  seed: 11,
  from: new Date('2025-02-01T00:00:00Z'),
  days: 10,
  versions: false,
  media: false,
};

/** The generated records, and each generated row with the record it was made for. */
function generated(): { records: Json[]; rows: Array<GeneratedLogRow & { recordId: string }> } {
  const factory = new CallLogFactory(OPTIONS.seed);
  const records: Json[] = [];
  const rows: Array<GeneratedLogRow & { recordId: string }> = [];
  for (const record of generateRecords(OPTIONS)) {
    records.push(record);
    for (const r of factory.rowsOf(record)) rows.push({ ...r, recordId: record.id as string });
  }
  return { records, rows };
}

for (const backend of BACKENDS) {
  describe(`telephony join on generated calls (${backend.name})`, () => {
    let t: Awaited<ReturnType<typeof createTestApp>>;
    const { records, rows } = generated();
    before(async () => {
      t = await createTestApp({ backend, bodyLimit: 16 * 1024 * 1024 });
      const res = await ingest(t.app, records);
      assert.equal(res.json.summary.inserted, records.length, JSON.stringify(res.json.summary));
      for (const kind of ['directRoutingCalls', 'pstnCalls'] as const) {
        const mine = rows.filter((r) => r.kind === kind).map((r) => r.row);
        assert.ok(mine.length > 0, `generated ${kind} rows`);
        const posted = await postLogs(t.app, kind, mine);
        assert.equal(posted.json.summary.rejected, 0, JSON.stringify(posted.json).slice(0, 400));
      }
    });
    after(() => t.close());

    test("a Direct Routing call's record and its row find each other", async () => {
      const dr = rows.find((r) => r.kind === 'directRoutingCalls')!;
      assert.equal(dr.row.correlationId, dr.recordId);
      const joined = await t.app.inject({ method: 'GET', url: `/api/callRecords/${dr.recordId}/telephony` });
      assert.equal(joined.statusCode, 200, joined.body);
      assert.deepEqual(joined.json().directRoutingCalls, [dr.row]);
      const record = await t.app.inject({
        method: 'GET',
        url: `/v1.0/communications/callRecords/${dr.row.correlationId as string}?$expand=participants_v2`,
      });
      assert.equal(record.statusCode, 200);
      const userIds = record.json().participants_v2.map((p: Json) => p.identity?.user?.id);
      assert.ok(userIds.includes(dr.row.userId), 'the row’s user takes part in the call');
    });

    test("a Calling Plan call's row is found by its user and time", async () => {
      const plan = rows.find((r) => r.kind === 'pstnCalls' && r.row.callType === 'user_out')!;
      const joined = await t.app.inject({ method: 'GET', url: `/api/callRecords/${plan.recordId}/telephony` });
      assert.equal(joined.statusCode, 200, joined.body);
      assert.ok(joined.json().pstnCalls.some((r: Json) => r.id === plan.row.id));
      assert.deepEqual(joined.json().directRoutingCalls, []);
    });

    test('a call with no phone has no telephony rows; an unknown id is 404', async () => {
      const withPhone = new Set(rows.map((r) => r.recordId));
      const plain = records.find((r) => !withPhone.has(r.id as string))!;
      const res = await t.app.inject({ method: 'GET', url: `/api/callRecords/${plain.id as string}/telephony` });
      assert.deepEqual(res.json(), { callRecordId: plain.id, directRoutingCalls: [], pstnCalls: [] });
      const unknown = await t.app.inject({ method: 'GET', url: '/api/callRecords/nothing-here/telephony' });
      assert.equal(unknown.statusCode, 404);
      assert.equal(unknown.json().error.code, 'NotFound');
    });
  });
}
