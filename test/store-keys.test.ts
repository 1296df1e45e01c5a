/**
 * The contract of the keys role (KeyStore, src/storage/roles.ts): API keys stored by hash, found, listed and revoked,
 * on every backend in BACKENDS.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CallRecordDatabase, StoredKey } from '../src/storage/roles.js';
import { BACKENDS } from './helpers/databases.js';

function key(id: string, extra: Partial<StoredKey> = {}): StoredKey {
  return {
    id,
    hash: `hash-of-${id}`,
    name: `name ${id}`,
    role: 'CallRecords.Read.All',
    createdAt: '2026-11-01T00:00:00.000Z',
    expiresAt: null,
    revokedAt: null,
    ...extra,
  };
}

for (const backend of BACKENDS) {
  describe(`keys contract: ${backend.name}`, () => {
    let db: CallRecordDatabase;
    before(async () => (db = await backend.open()));
    after(() => db.close());

    test('a created key is found by id with every field as given', async () => {
      const stored = key('k1', { expiresAt: '2027-01-01T00:00:00.000Z', role: 'CallRecords.Admin' });
      await db.keys.createKey(stored);
      assert.deepEqual(await db.keys.getKey('k1'), stored);
      assert.equal(await db.keys.getKey('unknown'), undefined);
    });

    test('an id is taken once', async () => {
      await db.keys.createKey(key('dup'));
      await assert.rejects(db.keys.createKey(key('dup', { hash: 'other' })));
    });

    test('keys are listed oldest first', async () => {
      await db.keys.createKey(key('later', { createdAt: '2026-11-03T00:00:00.000Z' }));
      await db.keys.createKey(key('earlier', { createdAt: '2026-10-01T00:00:00.000Z' }));
      const ids = (await db.keys.listKeys()).map((k) => k.id);
      assert.ok(ids.indexOf('earlier') < ids.indexOf('later'), ids.join());
      assert.equal(ids[0], 'earlier');
    });

    test('a key is revoked once, at the given instant', async () => {
      await db.keys.createKey(key('rev'));
      assert.equal(await db.keys.revokeKey('rev', '2026-11-05T00:00:00.000Z'), true);
      assert.equal(await db.keys.revokeKey('rev', '2026-11-06T00:00:00.000Z'), false);
      assert.equal(await db.keys.revokeKey('none', '2026-11-06T00:00:00.000Z'), false);
      assert.equal((await db.keys.getKey('rev'))?.revokedAt, '2026-11-05T00:00:00.000Z');
    });
  });
}
