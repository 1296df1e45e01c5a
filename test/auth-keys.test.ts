/**
 * API keys (issue 11): created, used as a bearer token, revoked (the next request fails), expired; only a hash is
 * stored. And the audit trail: every authenticated request recorded (who, what, when, result), read by admins at
 * GET /api/audit, page by page, and its retention job. On every backend.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { auditRetentionJob } from '../src/auth/audit-retention.js';
import { hashKey } from '../src/auth/api-keys.js';
import type { StoredAuditEntry } from '../src/storage/roles.js';
import { bearer, startAuthFixture, type AuthFixture } from './helpers/auth-fixture.js';
import { BACKENDS } from './helpers/databases.js';
import { makeRecord } from './helpers/records.js';

const LIST = '/v1.0/communications/callRecords';
const DAY_MS = 86_400_000;

for (const backend of BACKENDS) {
  describe(`API keys and the audit trail: ${backend.name}`, () => {
    let f: AuthFixture;
    before(async () => (f = await startAuthFixture(backend)));
    after(() => f.close());

    const get = (key: string, url = LIST) => f.app.inject({ url, headers: bearer(key) });

    test('a key reads; only its hash is stored, never the key or its secret', async () => {
      const key = await f.key('CallRecords.Read.All');
      assert.match(key, /^cr_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
      assert.equal((await get(key)).statusCode, 200);
      const id = key.split('_')[1]!;
      const stored = await f.db.keys.getKey(id);
      assert.equal(stored?.hash, hashKey(key));
      const everything = JSON.stringify(await f.db.keys.listKeys());
      assert.ok(!everything.includes(key.slice(20)), 'the secret is not stored');
    });

    test('a revoked key fails from the next request on', async () => {
      const key = await f.key('CallRecords.Read.All');
      assert.equal((await get(key)).statusCode, 200);
      assert.equal(await f.db.keys.revokeKey(key.split('_')[1]!, f.clock.now().toISOString()), true);
      const res = await get(key);
      assert.equal(res.statusCode, 401);
      assert.equal((res.json() as { error: { message: string } }).error.message, 'Access token validation failure.');
    });

    test('a key stops working when it expires', async () => {
      const key = await f.key('CallRecords.Read.All', new Date(f.clock.now().getTime() + 60_000));
      assert.equal((await get(key)).statusCode, 200);
      await f.clock.advance(60_000);
      const res = await get(key);
      assert.equal(res.statusCode, 401);
      assert.equal(
        (res.json() as { error: { message: string } }).error.message,
        'Access token has expired or is not yet valid.',
      );
    });

    test('a key whose secret is altered is refused', async () => {
      const key = await f.key('CallRecords.Read.All');
      const altered = key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A');
      assert.equal((await get(altered)).statusCode, 401);
    });

    test('every authenticated request is audited: who, what, when, result; admins page through it', async () => {
      const reader = await f.key('CallRecords.Read.All');
      const ingester = await f.key('CallRecords.Ingest');
      const admin = await f.key('CallRecords.Admin');
      const write = await f.app.inject({
        method: 'POST',
        url: '/api/callRecords',
        headers: { ...bearer(ingester), 'content-type': 'application/json' },
        payload: JSON.stringify(makeRecord({ id: 'audited-1' })),
      });
      assert.equal(write.statusCode, 200, write.body);
      assert.equal((await get(reader, `${LIST}/audited-1`)).statusCode, 200);
      assert.equal((await get(reader, `${LIST}('audited-1')/sessions`)).statusCode, 200);
      assert.equal((await get(reader, '/api/callRecords/audited-1/versions')).statusCode, 200);
      assert.equal((await get(reader, `${LIST}/nothing`)).statusCode, 404);
      assert.equal((await get(reader, '/api/audit')).statusCode, 403);
      assert.equal((await f.app.inject({ url: `${LIST}/audited-1` })).statusCode, 401);

      const res = await get(admin, '/api/audit?limit=5');
      assert.equal(res.statusCode, 200, res.body);
      const page = res.json() as { value: StoredAuditEntry[]; nextLink?: string };
      const readerId = `key:${reader.split('_')[1]}`;
      const recent = page.value.map((e) => [
        e.identityId === readerId ? 'reader' : e.identityName,
        e.method,
        e.route,
        e.recordId,
        e.status,
      ]);
      assert.deepEqual(recent, [
        ['reader', 'GET', '/api/audit', null, 403],
        ['reader', 'GET', '/v1.0/*', 'nothing', 404],
        ['reader', 'GET', '/api/callRecords/:id/versions', 'audited-1', 200],
        ['reader', 'GET', '/v1.0/*', 'audited-1', 200],
        ['reader', 'GET', '/v1.0/*', 'audited-1', 200],
      ]);
      assert.equal(page.value[0]!.at, f.clock.now().toISOString());
      assert.equal(page.value[0]!.identityKind, 'key');
      assert.match(page.nextLink ?? '', /^\/api\/audit\?before=\d+&limit=5$/);
      const next = (await get(admin, page.nextLink!)).json() as { value: StoredAuditEntry[] };
      assert.deepEqual(
        next.value.slice(0, 1).map((e) => [e.identityName, e.method, e.route, e.recordId, e.status]),
        [['test CallRecords.Ingest', 'POST', '/api/callRecords', null, 200]],
      );
      assert.ok(next.value[0]!.seq < page.value.at(-1)!.seq);
      assert.equal((await get(admin, '/api/audit?before=x')).statusCode, 400);
    });

    test('the audit retention job removes entries older than its days', async () => {
      const admin = await f.key('CallRecords.Admin');
      await f.clock.advance(10 * DAY_MS);
      assert.equal((await get(admin, LIST)).statusCode, 200);
      // Reading the trail writes what waits first: every request so far is stored now.
      assert.equal((await get(admin, '/api/audit')).statusCode, 200);
      const before = (await f.db.audit.listAudit({ limit: 1000 })).length;
      assert.ok(before > 1);
      const logs: unknown[] = [];
      const log = { info: (o: unknown) => logs.push(o), warn: () => undefined, error: (o: unknown) => logs.push(o) };
      const job = auditRetentionJob({ store: f.db.audit, retainDays: 5, intervalMs: DAY_MS })({
        clock: f.clock,
        fetch: globalThis.fetch,
        log,
      });
      job.start();
      await job.stop();
      const left = await f.db.audit.listAudit({ limit: 1000 });
      assert.equal(left.length, 1, JSON.stringify(logs));
      assert.equal(left[0]!.route, '/v1.0/*');
      assert.equal((logs[0] as { removed: number }).removed, before - 1);
    });
  });
}
