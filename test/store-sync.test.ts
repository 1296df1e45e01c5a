/**
 * The contract of the sync role (SyncStateStore, src/storage/roles.ts): the collector's fetch queue, named values,
 * leases and events, on every backend in BACKENDS.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CallRecordDatabase } from '../src/storage/roles.js';
import { BACKENDS } from './helpers/databases.js';

const T0 = Date.UTC(2031, 0, 1);
const MIN = 60_000;

for (const backend of BACKENDS) {
  describe(`sync contract: ${backend.name}`, () => {
    let db: CallRecordDatabase;
    before(async () => (db = await backend.open()));
    after(() => db.close());

    test('an id queued twice is one item, due at the earlier time, with the higher known version', async () => {
      await db.sync.enqueue([{ id: 'q1', reason: 'created', notBefore: T0 + 5 * MIN }], T0);
      await db.sync.enqueue(
        [
          { id: 'q1', reason: 'updated', knownVersion: 3, notBefore: T0 + MIN },
          { id: 'q1', reason: 'sweep', knownVersion: 2, notBefore: T0 + 9 * MIN },
        ],
        T0,
      );
      assert.deepEqual(await db.sync.claim('a', 10, T0, MIN), [], 'nothing is due before its time');
      const [item, ...rest] = await db.sync.claim('a', 10, T0 + MIN, MIN);
      assert.equal(rest.length, 0);
      assert.deepEqual(
        { id: item!.id, reason: item!.reason, knownVersion: item!.knownVersion, attempts: item!.attempts },
        { id: 'q1', reason: 'created', knownVersion: 3, attempts: 1 },
      );
      assert.equal(await db.sync.complete('q1', 'a', T0 + MIN), true);
      assert.equal((await db.sync.queueStats(T0 + MIN)).queued, 0);
    });

    test('a claimed id is held by one owner until its lease expires, then another may take it', async () => {
      await db.sync.enqueue([{ id: 'l1', reason: 'created' }], T0);
      const [mine] = await db.sync.claim('a', 10, T0, MIN);
      assert.equal(mine?.id, 'l1');
      assert.deepEqual(await db.sync.claim('b', 10, T0 + 30_000, MIN), [], 'held by a');
      assert.equal(await db.sync.complete('l1', 'b', T0), false, 'b cannot complete what a holds');
      const [taken] = await db.sync.claim('b', 10, T0 + MIN, MIN);
      assert.equal(taken?.id, 'l1', 'the expired lease is taken over');
      assert.equal(taken?.attempts, 2);
      assert.equal(await db.sync.complete('l1', 'a', T0 + MIN), false, 'a lost it');
      assert.equal(await db.sync.complete('l1', 'b', T0 + MIN), true);
    });

    test('concurrent claims never hand one id to two owners', async () => {
      const ids = Array.from({ length: 40 }, (_, i) => `c${String(i).padStart(2, '0')}`);
      await db.sync.enqueue(
        ids.map((id) => ({ id, reason: 'backfill' as const })),
        T0,
      );
      const claims = await Promise.all(['w1', 'w2', 'w3', 'w4'].map((w) => db.sync.claim(w, 15, T0, MIN)));
      const all = claims.flat().map((c) => c.id);
      assert.equal(new Set(all).size, all.length, 'no id twice');
      assert.equal(all.length, 40);
      for (const [i, claim] of claims.entries()) {
        for (const item of claim) assert.equal(await db.sync.complete(item.id, `w${i + 1}`, T0), true);
      }
    });

    test('an id queued again while leased goes back to the queue when completed', async () => {
      await db.sync.enqueue([{ id: 'u1', reason: 'created', knownVersion: 1 }], T0);
      await db.sync.claim('a', 1, T0, MIN);
      await db.sync.enqueue([{ id: 'u1', reason: 'updated', knownVersion: 2 }], T0 + 1000);
      assert.equal(await db.sync.complete('u1', 'a', T0 + 2000), true);
      const [again] = await db.sync.claim('a', 1, T0 + 2000, MIN);
      assert.equal(again?.id, 'u1');
      assert.equal(again?.knownVersion, 2);
      assert.equal(await db.sync.complete('u1', 'a', T0 + 2000), true);
      assert.deepEqual(await db.sync.claim('a', 1, T0 + 3000, MIN), []);
    });

    test('a sweep listing an id being fetched does not queue it again', async () => {
      await db.sync.enqueue([{ id: 'u2', reason: 'backfill' }], T0);
      await db.sync.claim('a', 1, T0, MIN);
      await db.sync.enqueue([{ id: 'u2', reason: 'sweep' }], T0 + 1000);
      assert.equal(await db.sync.complete('u2', 'a', T0 + 2000), true);
      assert.equal((await db.sync.queueStats(T0 + 2000)).queued, 0);
    });

    test('retryLater keeps the item with its error and attempts; fail keeps it visible until queued again', async () => {
      await db.sync.enqueue([{ id: 'r1', reason: 'created' }], T0);
      await db.sync.claim('a', 1, T0, MIN);
      assert.equal(await db.sync.retryLater('r1', 'a', T0 + 10 * MIN, 'HTTP 404: not ready'), true);
      const waiting = await db.sync.queueStats(T0 + MIN);
      assert.deepEqual([waiting.queued, waiting.due, waiting.oldest?.id], [1, 0, 'r1']);
      const [second] = await db.sync.claim('a', 1, T0 + 10 * MIN, MIN);
      assert.deepEqual([second?.attempts, second?.lastError, second?.enqueuedAt], [2, 'HTTP 404: not ready', T0]);
      assert.equal(await db.sync.fail('r1', 'a', T0 + 11 * MIN, 'still 404 after 6 h'), true);
      const stats = await db.sync.queueStats(T0 + 11 * MIN);
      assert.deepEqual([stats.queued, stats.leased, stats.failed, stats.oldest], [0, 0, 1, undefined]);
      const [failed] = await db.sync.listFailed(10);
      assert.deepEqual(failed, {
        id: 'r1',
        reason: 'created',
        attempts: 2,
        enqueuedAt: T0,
        failedAt: T0 + 11 * MIN,
        error: 'still 404 after 6 h',
      });
      await db.sync.enqueue([{ id: 'r1', reason: 'sweep' }], T0 + 20 * MIN);
      const [revived] = await db.sync.claim('a', 1, T0 + 20 * MIN, MIN);
      assert.deepEqual([revived?.reason, revived?.attempts, revived?.lastError], ['sweep', 1, undefined]);
      await db.sync.complete('r1', 'a', T0);
      assert.deepEqual(await db.sync.listFailed(10), []);
    });

    test('named values: set, compare-and-set, create-if-absent', async () => {
      assert.equal(await db.sync.getState('cursor'), undefined);
      assert.equal(await db.sync.setState('cursor', 'one', null), true);
      assert.equal(await db.sync.setState('cursor', 'other', null), false, 'exists already');
      assert.equal(await db.sync.setState('cursor', 'two', 'stale'), false);
      assert.equal(await db.sync.setState('cursor', 'two', 'one'), true);
      assert.equal(await db.sync.setState('cursor', 'three'), true);
      assert.equal(await db.sync.getState('cursor'), 'three');
    });

    test('a lease has one holder at a time; its holder renews it; it can be taken when expired or released', async () => {
      assert.equal(await db.sync.acquireLease('subs', 'a', T0, MIN), true);
      assert.equal(await db.sync.acquireLease('subs', 'b', T0 + 1000, MIN), false);
      assert.equal(await db.sync.acquireLease('subs', 'a', T0 + 50_000, MIN), true, 'renewed');
      assert.equal(await db.sync.acquireLease('subs', 'b', T0 + MIN + 1000, MIN), false, 'the renewal holds');
      assert.equal(await db.sync.acquireLease('subs', 'b', T0 + 2 * MIN, MIN), true, 'expired: taken');
      await db.sync.releaseLease('subs', 'a');
      assert.equal(await db.sync.acquireLease('subs', 'a', T0 + 2 * MIN, MIN), false, 'a released nothing of b');
      await db.sync.releaseLease('subs', 'b');
      assert.equal(await db.sync.acquireLease('subs', 'a', T0 + 2 * MIN, MIN), true);
      const race = await Promise.all(['x', 'y', 'z'].map((o) => db.sync.acquireLease('race', o, T0, MIN)));
      assert.equal(race.filter(Boolean).length, 1);
    });

    test('events are counted over a window and forgotten after a day', async () => {
      await db.sync.recordEvents([
        { kind: 'throttled', at: T0 },
        { kind: 'throttled', at: T0 + 30 * MIN },
        { kind: 'lag', at: T0 + 30 * MIN, value: 900_000 },
        { kind: 'lag', at: T0 + 31 * MIN, value: 60_000 },
      ]);
      assert.equal((await db.sync.eventValues('throttled', T0 + MIN)).length, 1);
      assert.deepEqual(await db.sync.eventValues('lag', T0), [60_000, 900_000]);
      await db.sync.recordEvents([{ kind: 'throttled', at: T0 + 24 * 60 * MIN + 10 * MIN }]);
      assert.equal((await db.sync.eventValues('throttled', 0)).length, 2, 'the one from a day before is gone');
    });
  });
}
