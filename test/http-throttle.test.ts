/**
 * Throttling (src/http/throttle.ts) on a FakeClock: `--rate-limit` and `--throttle graph` (Graph's call-record
 * limits, https://learn.microsoft.com/graph/throttling-limits#call-records-limits) answer 429 `TooManyRequests` in
 * Graph's shape with a `Retry-After`, and a client that waits that long succeeds. Buckets are per caller.
 */
import type { Json } from './helpers/json.js';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../src/fake-clock.js';
import { createApp } from '../src/http/create-app.js';
import { parseRate, type ThrottleConfig } from '../src/http/throttle.js';
import { TokenBuckets } from '../src/http/token-buckets.js';
import { openSqliteDatabase } from '../src/storage/sqlite/sqlite-database.js';
import { makeRecord } from './helpers/records.js';

async function throttledApp(throttle: ThrottleConfig) {
  const db = await openSqliteDatabase(':memory:');
  const clock = new FakeClock('2024-03-02T00:00:00.000Z');
  const app = await createApp({ db, clock, bodyLimit: 1 << 20, logger: false, throttle });
  const get = (url: string, remoteAddress = '10.0.0.1') => app.inject({ method: 'GET', url, remoteAddress });
  return {
    app,
    clock,
    get,
    /** GETs `url` until the first 429 and returns how many succeeded and the 429. */
    async untilThrottled(url: string, max: number, remoteAddress?: string) {
      for (let ok = 0; ok <= max; ok++) {
        const res = await get(url, remoteAddress);
        if (res.statusCode === 429) return { ok, res };
        assert.notEqual(res.statusCode, 429);
      }
      assert.fail(`no 429 after ${max + 1} requests`);
    },
    close: async () => {
      await app.close();
      await db.close();
    },
  };
}

describe('throttling', () => {
  test('--rate-limit: the n+1st request in the window is 429 with Retry-After; after waiting that long it succeeds', async () => {
    const t = await throttledApp({ rateLimit: { limit: 3, windowMs: 10_000 } });
    try {
      const { ok, res } = await t.untilThrottled('/api/callRecords/r0/versions', 10);
      assert.equal(ok, 3);
      const body = res.json() as Json;
      assert.equal(body.error.code, 'TooManyRequests');
      assert.equal(body.error.message, 'Please retry again later.');
      assert.equal(body.error.innerError.status, '429');
      assert.equal(body.error.innerError.code, '429');
      assert.equal(body.error.innerError['request-id'], res.headers['request-id']);
      const retryAfter = Number(res.headers['retry-after']);
      assert.equal(retryAfter, 4, 'one token comes back every 10/3 s: 4 whole seconds');
      // Another caller has its own bucket.
      assert.equal((await t.get('/api/callRecords/r0/versions', '10.0.0.2')).statusCode, 404);
      // Probes are never throttled.
      assert.equal((await t.get('/api/health/live')).statusCode, 200);
      // Just before the time said, still throttled; at it, the request succeeds.
      await t.clock.advance(retryAfter * 1000 - 1000);
      assert.equal((await t.get('/api/callRecords/r0/versions')).statusCode, 429);
      await t.clock.advance(1000);
      assert.equal((await t.get('/api/callRecords/r0/versions')).statusCode, 404);
    } finally {
      await t.close();
    }
  });

  test('--throttle graph: 40 requests per 20 s per call record and for the list, as Graph documents', async () => {
    const t = await throttledApp({ graph: true });
    try {
      const ingest = await t.app.inject({
        method: 'POST',
        url: '/api/callRecords',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify([makeRecord({ id: 'r1' }), makeRecord({ id: 'r2' })]),
      });
      assert.equal(ingest.statusCode, 200);
      const record = await t.untilThrottled('/v1.0/communications/callRecords/r1', 100);
      assert.equal(record.ok, 40);
      assert.equal(record.res.headers['retry-after'], '1');
      // Its sessions are the same call record; another record is not.
      assert.equal((await t.get('/v1.0/communications/callRecords/r1/sessions')).statusCode, 429);
      assert.equal((await t.get("/beta/communications/callRecords('r2')")).statusCode, 200);
      const list = await t.untilThrottled('/v1.0/communications/callRecords', 100);
      assert.equal(list.ok, 40);
      await t.clock.advance(Number(list.res.headers['retry-after']) * 1000);
      assert.equal((await t.get('/v1.0/communications/callRecords')).statusCode, 200);
      assert.equal((await t.get('/v1.0/communications/callRecords/r1')).statusCode, 200);
      // The /api surface is not under Graph's limits.
      for (let i = 0; i < 50; i++) assert.equal((await t.get('/api/callRecords/r1/versions')).statusCode, 200);
    } finally {
      await t.close();
    }
  });

  test('--throttle graph: 1,500 requests per 20 s per caller across records', async () => {
    const t = await throttledApp({ graph: true });
    try {
      let ok = 0;
      let res;
      for (let i = 0; i < 1501; i++) {
        // Unknown records: 404s count against the caller too, each record well under its own 40.
        res = await t.get(`/v1.0/communications/callRecords/x${i % 100}`);
        if (res.statusCode === 429) break;
        ok++;
        if (i % 100 === 99) await t.clock.advance(0);
      }
      assert.equal(ok, 1500);
      assert.equal(res!.statusCode, 429);
      assert.equal(res!.headers['retry-after'], '1');
      assert.equal((await t.get('/v1.0/communications/callRecords/x1', '10.9.9.9')).statusCode, 404);
    } finally {
      await t.close();
    }
  });

  test('--rate-limit values', () => {
    assert.deepEqual(parseRate('100/10s'), { limit: 100, windowMs: 10_000 });
    assert.deepEqual(parseRate('600/1m'), { limit: 600, windowMs: 60_000 });
    assert.deepEqual(parseRate('5/s'), { limit: 5, windowMs: 1000 });
    for (const bad of ['100', '0/1s', '10/0s', '1/1d', '-1/1s', 'x/1s']) assert.equal(parseRate(bad), undefined, bad);
  });

  test('idle buckets are forgotten once many callers were seen', async () => {
    const clock = new FakeClock('2024-03-02T00:00:00.000Z');
    const buckets = new TokenBuckets(clock);
    const rate = { limit: 1, windowMs: 1000 };
    for (let i = 0; i < 10_000; i++) buckets.take([{ key: `k${i}`, rate }]);
    assert.equal(buckets.size, 10_000);
    await clock.advance(1000);
    buckets.take([{ key: 'late', rate }]);
    assert.equal(buckets.size, 1);
  });
});
