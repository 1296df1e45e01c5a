/**
 * The contract of the meta role (MetaStore, src/storage/roles.ts): health facts and shared values, on every backend
 * in BACKENDS.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { validateCallRecord } from '../src/domain/validate.js';
import { toRecordWrite } from '../src/service/record-fragments.js';
import type { CallRecordDatabase } from '../src/storage/roles.js';
import type { RecordWrite } from '../src/storage/store.js';
import { makeRecord, type RecordSpec } from './helpers/records.js';
import { BACKENDS } from './helpers/databases.js';

function writeOf(spec: RecordSpec): RecordWrite {
  const result = validateCallRecord(makeRecord(spec));
  assert.ok(result.ok, JSON.stringify(result));
  return toRecordWrite(result.record, result.hasEvolvableMembers);
}

for (const backend of BACKENDS) {
  describe(`meta contract: ${backend.name}`, () => {
    let store: CallRecordDatabase;
    before(async () => (store = await backend.open()));
    after(() => store.close());

    test('a shared secret is created once and then kept', async () => {
      const first = await store.meta.sharedSecret('k', () => 'one');
      const second = await store.meta.sharedSecret('k', () => 'two');
      assert.equal(first, 'one');
      assert.equal(second, 'one');
    });

    test('health counts the records and names the first and last to start', async () => {
      await store.records.write(
        [
          writeOf({ id: 'health-b', start: '2031-01-02T00:00:00Z' }),
          writeOf({ id: 'health-a', start: '2031-01-01T00:00:00Z' }),
          writeOf({ id: 'health-c', start: '2031-01-03T00:00:00Z' }),
        ],
        't',
      );
      assert.deepEqual(await store.meta.health(), {
        kind: backend.name,
        records: 3,
        partial: 0,
        oldest: { id: 'health-a', startKey: '2031-01-01T00:00:00.0000000Z' },
        newest: { id: 'health-c', startKey: '2031-01-03T00:00:00.0000000Z' },
      });
      assert.equal(store.kind, backend.name);
    });

    test('ping answers; the size in bytes grows with the records written', async () => {
      await store.meta.ping();
      const before = await store.meta.sizeBytes();
      assert.ok(Number.isInteger(before) && before > 0, `size ${before}`);
      const many = Array.from({ length: 200 }, (_, i) =>
        writeOf({ id: `size-${i}`, start: '2031-02-01T00:00:00Z', sessions: 5 }),
      );
      await store.records.write(many, 't');
      assert.ok((await store.meta.sizeBytes()) > before);
    });
  });
}
