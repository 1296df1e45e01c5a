/**
 * The contract of the subscriptions role (SubscriptionStore, src/storage/roles.ts): subscriptions, the outbox that
 * `records.write` fills in its own transaction, and leased claims, on every backend in BACKENDS.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { validateCallRecord } from '../src/domain/validate.js';
import { toRecordWrite } from '../src/service/record-fragments.js';
import type { CallRecordDatabase } from '../src/storage/roles.js';
import type { RecordWrite } from '../src/storage/store.js';
import type { StoredSubscription } from '../src/storage/subscription-data.js';
import { makeRecord, type RecordSpec } from './helpers/records.js';
import { BACKENDS } from './helpers/databases.js';

const NOW = '2031-05-01T12:00:00.000Z';
const LATER = '2031-05-01T12:05:00.000Z';

function writeOf(spec: RecordSpec): RecordWrite {
  const result = validateCallRecord(makeRecord(spec));
  assert.ok(result.ok, JSON.stringify(result));
  return toRecordWrite(result.record, result.hasEvolvableMembers);
}

function subscription(id: string, changeType: string, expiration = '2031-05-03T00:00:00.000Z'): StoredSubscription {
  return {
    id,
    resource: '/communications/callRecords',
    changeType,
    notificationUrl: `https://${id}.example/notify`,
    lifecycleNotificationUrl: null,
    clientState: `secret-${id}`,
    expirationDateTime: expiration,
    createdAt: NOW,
    extra: null,
  };
}

for (const backend of BACKENDS) {
  describe(`subscriptions contract: ${backend.name}`, () => {
    let db: CallRecordDatabase;
    before(async () => (db = await backend.open()));
    after(() => db.close());
    beforeEach(async () => {
      for (const s of await db.subscriptions.list()) await db.subscriptions.remove(s.id);
    });

    test('a subscription is stored, read, listed, patched and removed', async () => {
      const s = { ...subscription('a', 'created,updated'), extra: { latestSupportedTlsVersion: 'v1_2' } };
      await db.subscriptions.create(s);
      assert.deepEqual(await db.subscriptions.get('a'), s);
      assert.deepEqual(await db.subscriptions.list(), [s]);
      const patched = await db.subscriptions.update('a', { expirationDateTime: '2031-05-04T00:00:00.000Z' });
      assert.equal(patched?.expirationDateTime, '2031-05-04T00:00:00.000Z');
      assert.equal((await db.subscriptions.get('a'))?.expirationDateTime, '2031-05-04T00:00:00.000Z');
      assert.equal((await db.subscriptions.get('a'))?.clientState, 'secret-a');
      assert.equal(await db.subscriptions.update('nobody', { expirationDateTime: LATER }), undefined);
      assert.equal(await db.subscriptions.remove('a'), true);
      assert.equal(await db.subscriptions.remove('a'), false);
      assert.equal(await db.subscriptions.get('a'), undefined);
    });

    test('a write that stores a record or a new version queues one notification per live subscription', async () => {
      await db.subscriptions.create(subscription('both', 'created,updated'));
      await db.subscriptions.create(subscription('upd', 'updated'));
      await db.subscriptions.create(subscription('expired', 'created,updated', '2031-05-01T11:00:00.000Z'));
      await db.records.write([writeOf({ id: 'n1', start: '2031-04-30T10:00:00Z' })], NOW);
      // The same body again is unchanged; a new version is an update; an older one arriving late is stale.
      await db.records.write([writeOf({ id: 'n1', start: '2031-04-30T10:00:00Z' })], NOW);
      await db.records.write([writeOf({ id: 'n1', version: 3, start: '2031-04-30T10:00:00Z' })], NOW);
      await db.records.write([writeOf({ id: 'n1', version: 2, start: '2031-04-30T10:00:00Z' })], NOW);
      const claimed = await db.subscriptions.claim('me', NOW, LATER, 100);
      const seen = claimed.map((c) => `${c.subscriptionId}:${c.changeType}:${c.resourceId}`).sort();
      // Creation reaches an `updated`-only subscription as `updated` (Graph does the same).
      assert.deepEqual(seen, ['both:created:n1', 'both:updated:n1', 'upd:updated:n1', 'upd:updated:n1']);
      assert.equal(claimed[0]!.subscription?.clientState, `secret-${claimed[0]!.subscriptionId}`);
      assert.equal(claimed[0]!.attempts, 0);
      assert.equal(await db.subscriptions.outboxDepth(), 4);
      await db.subscriptions.settle(
        'me',
        claimed.map((c) => c.id),
      );
      assert.equal(await db.subscriptions.outboxDepth(), 0);
    });

    test('a leased entry is not claimed again until its lease ends, and a retry waits for its time', async () => {
      await db.subscriptions.create(subscription('l', 'created'));
      await db.records.write([writeOf({ id: 'lease-1', start: '2031-04-30T10:00:00Z' })], NOW);
      const [first] = await db.subscriptions.claim('one', NOW, LATER, 10);
      assert.ok(first);
      assert.deepEqual(await db.subscriptions.claim('two', NOW, LATER, 10), []);
      // Another owner cannot settle or release what it does not hold.
      await db.subscriptions.settle('two', [first.id]);
      assert.equal(await db.subscriptions.outboxDepth(), 1);
      const [again] = await db.subscriptions.claim('two', LATER, '2031-05-01T12:10:00.000Z', 10);
      assert.equal(again?.id, first.id);
      await db.subscriptions.reschedule('two', [first.id], '2031-05-01T13:00:00.000Z', 'HTTP 503');
      assert.deepEqual(
        await db.subscriptions.claim('two', '2031-05-01T12:59:59.000Z', '2031-05-01T14:00:00.000Z', 10),
        [],
      );
      const [retried] = await db.subscriptions.claim('two', '2031-05-01T13:00:00.000Z', '2031-05-01T14:00:00.000Z', 10);
      assert.equal(retried?.attempts, 1);
    });

    test('two deliverers claiming at once never get the same entry', async () => {
      await db.subscriptions.create(subscription('c', 'created'));
      const writes = Array.from({ length: 20 }, (_, i) => writeOf({ id: `race-${i}`, start: '2031-04-30T10:00:00Z' }));
      await db.records.write(writes, NOW);
      const [a, b] = await Promise.all([
        db.subscriptions.claim('a', NOW, LATER, 15),
        db.subscriptions.claim('b', NOW, LATER, 15),
      ]);
      const ids = [...a, ...b].map((c) => c.id);
      assert.equal(ids.length, 20);
      assert.equal(new Set(ids).size, 20);
    });

    test('lifecycle entries are queued directly, and removing a subscription removes what it had to deliver', async () => {
      await db.subscriptions.create(subscription('life', 'created'));
      await db.subscriptions.enqueue([
        {
          id: 'e1',
          subscriptionId: 'life',
          kind: 'lifecycle',
          lifecycleEvent: 'reauthorizationRequired',
          createdAt: NOW,
          nextAttempt: NOW,
        },
      ]);
      const [entry] = await db.subscriptions.claim('x', NOW, LATER, 10);
      assert.equal(entry?.lifecycleEvent, 'reauthorizationRequired');
      assert.equal(entry?.kind, 'lifecycle');
      await db.subscriptions.remove('life');
      assert.equal(await db.subscriptions.outboxDepth(), 0);
    });
  });
}
