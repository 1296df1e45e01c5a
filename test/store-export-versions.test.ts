/**
 * The store contract for backups, on every backend in BACKENDS: reading every stored version in export order, a page
 * at a time, and writing a version under its own receive time (how a backup made by `export --all-versions` is
 * restored).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { validateCallRecord } from '../src/domain/validate.js';
import { toRecordWrite } from '../src/service/record-fragments.js';
import type { CallRecordDatabase } from '../src/storage/roles.js';
import type { ExportedVersion, ExportRange, RecordWrite } from '../src/storage/store.js';
import { makeRecord, type RecordSpec } from './helpers/records.js';
import { BACKENDS } from './helpers/databases.js';

function writeOf(spec: RecordSpec, receivedAt?: string): RecordWrite {
  const result = validateCallRecord(makeRecord(spec));
  assert.ok(result.ok, JSON.stringify(result));
  return { ...toRecordWrite(result.record, result.hasEvolvableMembers), receivedAt };
}

/** Every version in `range`, read `limit` at a time through the keyset cursor. */
async function readAll(store: CallRecordDatabase, range: ExportRange, limit: number): Promise<ExportedVersion[]> {
  const all: ExportedVersion[] = [];
  let after: ExportedVersion | undefined;
  for (;;) {
    const page = await store.history.exportVersions(range, after, limit);
    assert.ok(page.length <= limit);
    all.push(...page);
    if (page.length === 0) return all;
    after = page.at(-1);
  }
}

const at = (second: number) => `2026-02-01T00:00:${String(second).padStart(2, '0')}.000Z`;
const RANGE: ExportRange = { fromKey: '2031-01-01T00:00:00.0000000Z', toKey: '2032-01-01T00:00:00.0000000Z' };

for (const backend of BACKENDS) {
  describe(`store contract, backups: ${backend.name}`, () => {
    let store: CallRecordDatabase;
    before(async () => {
      store = await backend.open();
      // bk-a: v2 first, then v1 late (stale), then v3; in one batch two versions of bk-b arrive together; bk-c moves
      // from June to January with its second version, bk-z is outside the range.
      await store.records.write([writeOf({ id: 'bk-a', version: 2, start: '2031-03-01T10:00:00Z' })], at(1));
      await store.records.write(
        [
          writeOf({ id: 'bk-b', version: 2, start: '2031-02-01T10:00:00Z' }),
          writeOf({ id: 'bk-b', version: 1, start: '2031-02-01T10:00:00Z' }),
          writeOf({ id: 'bk-c', version: 1, start: '2031-06-01T10:00:00Z' }),
          writeOf({ id: 'bk-z', start: '2035-01-01T10:00:00Z' }),
        ],
        at(2),
      );
      await store.records.write(
        [writeOf({ id: 'bk-a', version: 1, start: '2031-03-01T10:00:00Z', sessions: 2 })],
        at(3),
      );
      await store.records.write(
        [
          writeOf({ id: 'bk-a', version: 3, start: '2031-03-01T10:00:00Z' }),
          writeOf({ id: 'bk-c', version: 2, start: '2031-01-01T10:00:00Z' }),
        ],
        at(4),
      );
    });
    after(() => store.close());

    test('every version of the records in a range: by current start, then receive time, then version', async () => {
      const all = await readAll(store, RANGE, 100);
      assert.deepEqual(
        all.map((v) => [v.id, v.version, v.receivedAt]),
        [
          ['bk-c', 1, at(2)],
          ['bk-c', 2, at(4)],
          ['bk-b', 1, at(2)],
          ['bk-b', 2, at(2)],
          ['bk-a', 2, at(1)],
          ['bk-a', 1, at(3)],
          ['bk-a', 3, at(4)],
        ],
      );
      assert.equal(JSON.parse(all[5]!.rawJson).sessions.length, 2, 'each version keeps its own body');
      assert.deepEqual(
        all.map((v) => v.startKey),
        ['2031-01-01T10:00:00.0000000Z', '2031-01-01T10:00:00.0000000Z', ...all.slice(2).map((v) => v.startKey)],
        "a record's versions are filed under its current start",
      );
    });

    test('pages of any size join into the same sequence, with nothing repeated or left out', async () => {
      const whole = await readAll(store, RANGE, 100);
      for (const limit of [1, 2, 3]) assert.deepEqual(await readAll(store, RANGE, limit), whole);
      assert.equal((await readAll(store, {}, 2)).length, whole.length + 1, 'no range: bk-z too');
    });

    test("a write's own receive time overrides the batch's; one without keeps the batch's", async () => {
      await store.records.write(
        [writeOf({ id: 'bk-own', version: 1 }, at(10)), writeOf({ id: 'bk-own', version: 2 })],
        at(20),
      );
      assert.deepEqual(
        (await store.history.listVersions('bk-own')).map((v) => [v.version, v.receivedDateTime, v.current]),
        [
          [1, at(10), false],
          [2, at(20), true],
        ],
      );
    });
  });
}
