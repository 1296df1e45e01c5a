/**
 * `GET /metrics` (src/metrics/, src/http/metrics-routes.ts): the scrape parses as Prometheus's text format, and its
 * values move as requests are made — requests by route and status, latency, ingest outcomes, store errors, the
 * database size (both stores) — and a gauge registered later (the collector's queue depth) is read at each scrape.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createApp } from '../src/http/create-app.js';
import { Metrics } from '../src/metrics/metrics.js';
import type { CallRecordDatabase } from '../src/storage/roles.js';
import { BACKENDS } from './helpers/databases.js';
import { parsePrometheusText, valueOf } from './helpers/prometheus-text.js';
import { makeRecord } from './helpers/records.js';
import { fixedClock } from './helpers/test-app.js';

async function appOn(db: CallRecordDatabase, metrics?: Metrics) {
  const app = await createApp({ db, clock: fixedClock, bodyLimit: 1 << 20, logger: false, metrics });
  const scrape = async () => {
    const res = await app.inject('/metrics');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    return parsePrometheusText(res.body);
  };
  return { app, scrape, close: () => app.close().then(() => db.close()) };
}

const RECORD_ROUTE = { route: '/v1.0/communications/callRecords/{id}', method: 'GET' };

for (const backend of BACKENDS) {
  describe(`metrics (${backend.name})`, () => {
    test('the scrape parses, and requests, latency, ingest outcomes and the database size move', async () => {
      const t = await appOn(await backend.open());
      try {
        const before = await t.scrape();
        assert.equal(valueOf(before, 'callrecords_http_requests_total', { ...RECORD_ROUTE, status: '200' }), undefined);
        assert.equal(valueOf(before, 'callrecords_ingest_records_total', { outcome: 'inserted' }), 0);
        const sizeBefore = valueOf(before, 'callrecords_database_size_bytes')!;
        assert.ok(sizeBefore > 0);

        const invalid = { id: 'bad' };
        const records = [...Array.from({ length: 50 }, (_, i) => makeRecord({ id: `m${i}`, sessions: 5 })), invalid];
        const post = await t.app.inject({
          method: 'POST',
          url: '/api/callRecords',
          headers: { 'content-type': 'application/json' },
          payload: JSON.stringify(records),
        });
        assert.equal(post.statusCode, 200);
        await t.app.inject('/v1.0/communications/callRecords/m1');
        await t.app.inject('/v1.0/communications/callRecords/m2');
        await t.app.inject('/v1.0/communications/callRecords/nope');
        await t.app.inject('/beta/communications/callRecords/m1/sessions');

        const after = await t.scrape();
        assert.equal(valueOf(after, 'callrecords_http_requests_total', { ...RECORD_ROUTE, status: '200' }), 2);
        assert.equal(valueOf(after, 'callrecords_http_requests_total', { ...RECORD_ROUTE, status: '404' }), 1);
        assert.equal(
          valueOf(after, 'callrecords_http_requests_total', {
            route: '/beta/communications/callRecords/{id}/sessions',
            status: '200',
          }),
          1,
        );
        assert.equal(
          valueOf(after, 'callrecords_http_requests_total', {
            route: '/api/callRecords',
            method: 'POST',
            status: '200',
          }),
          1,
        );
        assert.equal(valueOf(after, 'callrecords_http_request_duration_seconds_count', RECORD_ROUTE), 3);
        assert.equal(
          valueOf(after, 'callrecords_http_request_duration_seconds_bucket', { ...RECORD_ROUTE, le: '+Inf' }),
          3,
        );
        assert.equal(valueOf(after, 'callrecords_ingest_records_total', { outcome: 'inserted' }), 50);
        assert.equal(valueOf(after, 'callrecords_ingest_records_total', { outcome: 'rejected' }), 1);
        assert.ok(valueOf(after, 'callrecords_database_size_bytes')! > sizeBefore, 'the database grew');
        assert.ok(valueOf(after, 'process_cpu_user_seconds_total')! >= 0, 'the process metrics are there');
      } finally {
        await t.close();
      }
    });
  });
}

describe('metrics: store errors and registered gauges', () => {
  test('a request the database fails counts as a store error', async () => {
    const db = await BACKENDS[0]!.open();
    const records = Object.create(db.records) as CallRecordDatabase['records'];
    records.readRecord = () =>
      Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    const t = await appOn({ ...db, records, close: () => db.close() });
    try {
      assert.equal((await t.app.inject('/v1.0/communications/callRecords/x')).statusCode, 503);
      const samples = await t.scrape();
      assert.equal(valueOf(samples, 'callrecords_store_errors_total', { kind: 'unavailable' }), 1);
      assert.equal(valueOf(samples, 'callrecords_store_errors_total', { kind: 'unexpected' }), 0);
    } finally {
      await t.close();
    }
  });

  test('registerGauge: read at each scrape, by label set; a failing read makes only that gauge NaN', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    let depth = 3;
    metrics.registerGauge({ name: 'callrecords_collector_queue_depth', help: 'records waiting', read: () => depth });
    metrics.registerGauge({
      name: 'callrecords_collector_lag_seconds',
      help: 'behind Graph',
      labelNames: ['tenant'],
      read: async () => [{ labels: { tenant: 't1' }, value: 12.5 }],
    });
    metrics.registerGauge({
      name: 'callrecords_broken',
      help: 'fails',
      read: () => {
        throw new Error('source gone');
      },
    });
    const t = await appOn(await BACKENDS[0]!.open(), metrics);
    try {
      let samples = await t.scrape();
      assert.equal(valueOf(samples, 'callrecords_collector_queue_depth'), 3);
      assert.equal(valueOf(samples, 'callrecords_collector_lag_seconds', { tenant: 't1' }), 12.5);
      assert.ok(Number.isNaN(valueOf(samples, 'callrecords_broken')), 'a failed read is NaN');
      depth = 7;
      samples = await t.scrape();
      assert.equal(valueOf(samples, 'callrecords_collector_queue_depth'), 7);
      assert.equal(valueOf(samples, 'process_cpu_user_seconds_total'), undefined, 'default metrics were turned off');
    } finally {
      await t.close();
    }
  });
});
