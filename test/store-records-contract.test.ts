/**
 * The contract of the records role (RecordStore, src/storage/roles.ts): every backend in BACKENDS must pass these
 * cases. They go through the service layer's own record cutting (toRecordWrite), as ingest does. The other roles
 * have suites of their own: history (store-export-versions), meta (store-meta-contract), upkeep (store-retention).
 */
import type { Json } from './helpers/json.js';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { validateCallRecord } from '../src/domain/validate.js';
import { toRecordWrite } from '../src/service/record-fragments.js';
import type { CallRecordDatabase } from '../src/storage/roles.js';
import type { RecordWrite } from '../src/storage/store.js';
import { makeRecord, type RecordSpec } from './helpers/records.js';
import { BACKENDS } from './helpers/databases.js';

async function items(store: CallRecordDatabase, id: string, collection: 'sessions' | 'participants') {
  return (await store.records.readPage(id, { collection, fromOrdinal: 0, limit: 1000 }))?.items ?? [];
}

function writeOf(spec: RecordSpec, edit?: (record: Record<string, Json>) => void): RecordWrite {
  const record = makeRecord(spec);
  edit?.(record);
  const result = validateCallRecord(record);
  assert.ok(result.ok, JSON.stringify(result));
  return toRecordWrite(result.record, result.hasEvolvableMembers);
}

for (const backend of BACKENDS) {
  describe(`records contract: ${backend.name}`, () => {
    let store: CallRecordDatabase;
    before(async () => (store = await backend.open()));
    after(() => store.close());

    test('a higher version replaces the current one; a lower one is kept in history only', async () => {
      const v2 = writeOf({ id: 'order-a', version: 2, sessions: 3 });
      const v1 = writeOf({ id: 'order-a', version: 1, sessions: 1 });
      assert.deepEqual(await store.records.write([v2], '2026-01-01T00:00:00.000Z'), [
        { status: 'inserted', currentVersion: 2 },
      ]);
      assert.deepEqual(await store.records.write([v1], '2026-01-01T00:00:01.000Z'), [
        { status: 'stale', currentVersion: 2 },
      ]);
      const current = await store.records.readRecord('order-a');
      assert.equal(current?.version, 2);
      assert.equal(current?.sessionCount, 3);
      const history = await store.history.listVersions('order-a');
      assert.deepEqual(
        history.map((h) => [h.version, h.current]),
        [
          [1, false],
          [2, true],
        ],
      );
      assert.equal(JSON.parse((await store.history.getVersion('order-a', 1))!).sessions.length, 1);
    });

    test('a record of the last month a date can name (December 9999) is stored and read back', async () => {
      const last = writeOf({ id: 'last-month', start: '9999-12-31T10:00:00Z' });
      assert.deepEqual(await store.records.write([last], '2026-01-01T00:00:00.000Z'), [
        { status: 'inserted', currentVersion: 1 },
      ]);
      assert.equal((await store.records.readRecord('last-month'))?.version, 1);
    });

    test('v1, v2, v2 again: two versions stored, v2 current, the repeat unchanged', async () => {
      const v1 = writeOf({ id: 'order-b', version: 1 });
      const v2 = writeOf({ id: 'order-b', version: 2, sessions: 2 });
      const statuses = [];
      for (const w of [v1, v2, v2])
        statuses.push((await store.records.write([w], '2026-01-01T00:00:00.000Z'))[0]!.status);
      assert.deepEqual(statuses, ['inserted', 'updated', 'unchanged']);
      assert.equal((await store.history.listVersions('order-b')).length, 2);
      assert.equal((await store.records.readRecord('order-b'))?.version, 2);
      assert.equal((await items(store, 'order-b', 'sessions')).length, 2);
    });

    test('equal versions with different content end in the same state whatever the arrival order', async () => {
      const a = writeOf({ id: 'tie-1', version: 3 }, (r) => (r.joinWebUrl = 'https://a.example'));
      const b = writeOf({ id: 'tie-1', version: 3 }, (r) => (r.joinWebUrl = 'https://b.example'));
      const a2 = { ...a, id: 'tie-2', contentHash: a.contentHash };
      const b2 = { ...b, id: 'tie-2', contentHash: b.contentHash };
      await store.records.write([a], 't');
      await store.records.write([b], 't');
      await store.records.write([b2], 't');
      await store.records.write([a2], 't');
      assert.equal(
        (await store.records.readRecord('tie-1'))?.json.toString(),
        (await store.records.readRecord('tie-2'))?.json.toString(),
      );
    });

    test('a replaced version leaves no sessions or participants of the old one', async () => {
      await store.records.write([writeOf({ id: 'shrink', version: 1, sessions: 5, participants: 7 })], 't');
      await store.records.write([writeOf({ id: 'shrink', version: 2, sessions: 2, participants: 1 })], 't');
      assert.equal((await items(store, 'shrink', 'sessions')).length, 2);
      assert.equal((await items(store, 'shrink', 'participants')).length, 1);
    });

    test('lists by startDateTime with bounds, participant and keyset cursor', async () => {
      const starts = ['2025-05-01T10:00:00Z', '2025-05-01T11:00:00Z', '2025-05-01T12:00:00Z', '2025-05-01T13:00:00Z'];
      const writes = starts.map((start, i) =>
        writeOf({ id: `list-${i}`, start, participantIds: i % 2 === 0 ? ['even', `p${i}`] : [`p${i}`] }),
      );
      await store.records.write(writes, 't');
      const window = [
        { op: 'ge' as const, value: '2025-05-01T11:00:00.0000000Z' },
        { op: 'lt' as const, value: '2025-05-01T13:00:00.0000000Z' },
      ];
      const ids = async (q: Parameters<CallRecordDatabase['records']['listRecords']>[0]) =>
        (await store.records.listRecords(q)).map((r) => r.id);
      assert.deepEqual(await ids({ start: window, limit: 10 }), ['list-1', 'list-2']);
      assert.deepEqual(await ids({ start: [], participantId: 'even', limit: 10 }), ['list-0', 'list-2']);
      const first = await store.records.listRecords({
        start: [{ op: 'ge', value: '2025-05-01T00:00:00.0000000Z' }],
        limit: 2,
      });
      const last = first.at(-1)!;
      const rest = await ids({
        start: [{ op: 'ge', value: '2025-05-01T00:00:00.0000000Z' }],
        after: { startKey: last.startKey, id: last.id },
        limit: 10,
      });
      assert.deepEqual(
        [...first.map((r) => r.id), ...rest].filter((id) => id.startsWith('list-')),
        ['list-0', 'list-1', 'list-2', 'list-3'],
      );
    });

    test('a participant listed twice in a record finds it once; counts follow the filter', async () => {
      await store.records.write(
        [
          writeOf({ id: 'dup-1', start: '2026-02-01T00:00:00Z', participantIds: ['twice', 'twice', 'other'] }),
          writeOf({ id: 'dup-2', start: '2026-02-02T00:00:00Z', participantIds: ['twice'] }),
          writeOf({ id: 'dup-3', start: '2026-02-03T00:00:00Z', participantIds: ['other'] }),
        ],
        't',
      );
      const first = await store.records.listRecords({ start: [], participantId: 'twice', limit: 1 });
      assert.deepEqual(
        first.map((r) => r.id),
        ['dup-1'],
      );
      const rest = await store.records.listRecords({
        start: [],
        participantId: 'twice',
        after: { startKey: first[0]!.startKey, id: first[0]!.id },
        limit: 10,
      });
      assert.deepEqual(
        rest.map((r) => r.id),
        ['dup-2'],
      );
      assert.equal(await store.records.countRecords({ start: [], participantId: 'twice' }), 2);
      assert.equal(
        await store.records.countRecords({
          start: [{ op: 'ge', value: '2026-02-02T00:00:00.0000000Z' }],
          participantId: 'other',
        }),
        1,
      );
    });

    test('reads return a record with a page of items, or one item by id, from the current version', async () => {
      await store.records.write([writeOf({ id: 'reads', sessions: 5, participantIds: ['a', 'b', 'a'] })], 't');
      const read = await store.records.readRecord('reads', { collection: 'sessions', fromOrdinal: 2, limit: 2 });
      assert.equal(JSON.parse(read!.json.toString()).id, 'reads');
      assert.deepEqual(
        read!.items!.map((i) => [
          i.ordinal,
          JSON.parse(i.json.toString()).id,
          JSON.parse(i.segmentsJson!.toString()).length,
        ]),
        [
          [2, 'reads-s2', 1],
          [3, 'reads-s3', 1],
        ],
      );
      const participant = await store.records.readItem('reads', 'participants', 'a');
      assert.equal(participant?.item?.ordinal, 0, 'the first of two participants with one id');
      assert.equal(participant?.head.participantCount, 3);
      assert.equal((await store.records.readItem('reads', 'sessions', 'nope'))?.item, undefined);
      assert.equal(await store.records.readItem('absent', 'sessions', 'x'), undefined);
      assert.equal(
        await store.records.readPage('absent', { collection: 'sessions', fromOrdinal: 0, limit: 5 }),
        undefined,
      );
      assert.equal(await store.records.readRecord('absent'), undefined);
    });

    test('a failing batch leaves nothing behind', async () => {
      const good = writeOf({ id: 'atomic-good' });
      const broken = { ...writeOf({ id: 'atomic-bad' }), recordJson: null as unknown as string };
      await assert.rejects(store.records.write([good, broken], 't'));
      assert.equal(await store.records.readRecord('atomic-good'), undefined);
      assert.deepEqual(await store.history.listVersions('atomic-good'), []);
    });

    test('exports whole records in startDateTime order within a range', async () => {
      await store.records.write(
        [
          writeOf({ id: 'exp-b', start: '2030-01-02T00:00:00Z' }),
          writeOf({ id: 'exp-a', start: '2030-01-01T00:00:00Z', sessions: 2 }),
          writeOf({ id: 'exp-c', start: '2030-01-03T00:00:00Z' }),
        ],
        't',
      );
      const page = await store.records.exportRecords(
        { fromKey: '2030-01-01T00:00:00.0000000Z', toKey: '2030-01-03T00:00:00.0000000Z' },
        undefined,
        10,
      );
      assert.deepEqual(
        page.map((r) => r.id),
        ['exp-a', 'exp-b'],
      );
      assert.equal(JSON.parse(page[0]!.rawJson).sessions.length, 2);
    });
  });
}
