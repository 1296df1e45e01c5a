/**
 * The contract of the audit role (AuditStore, src/storage/roles.ts): entries appended in order, read newest first in
 * pages, expired by age, on every backend in BACKENDS.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AuditEntry, CallRecordDatabase } from '../src/storage/roles.js';
import { BACKENDS } from './helpers/databases.js';

function entry(at: string, n: number): AuditEntry {
  return {
    at,
    identityId: `key:k${n}`,
    identityKind: 'key',
    identityName: `caller ${n}`,
    method: 'GET',
    route: '/v1.0/*',
    recordId: n % 2 === 0 ? `rec-${n}` : null,
    status: 200 + n,
  };
}

for (const backend of BACKENDS) {
  describe(`audit contract: ${backend.name}`, () => {
    let db: CallRecordDatabase;
    before(async () => (db = await backend.open()));
    after(() => db.close());

    test('entries come back newest first, paged by sequence number, with every field', async () => {
      const entries = [1, 2, 3, 4, 5].map((n) => entry(`2026-11-0${n}T00:00:00.000Z`, n));
      await db.audit.appendAudit(entries.slice(0, 2));
      await db.audit.appendAudit(entries.slice(2));
      await db.audit.appendAudit([]);
      const first = await db.audit.listAudit({ limit: 2 });
      assert.deepEqual(
        first.map(({ seq: _seq, ...rest }) => rest),
        [entries[4], entries[3]],
      );
      assert.ok(first[0]!.seq > first[1]!.seq);
      const second = await db.audit.listAudit({ before: first[1]!.seq, limit: 10 });
      assert.deepEqual(
        second.map((e) => e.identityId),
        ['key:k3', 'key:k2', 'key:k1'],
      );
    });

    test('expiry removes only the entries recorded before the cutoff', async () => {
      assert.equal(await db.audit.expireAudit('2026-11-03T00:00:00.000Z'), 2);
      const left = await db.audit.listAudit({ limit: 10 });
      assert.deepEqual(
        left.map((e) => e.identityId),
        ['key:k5', 'key:k4', 'key:k3'],
      );
    });
  });
}
