/**
 * Liveness and readiness (`/api/health/live`, `/api/health/ready`), and a database that goes away and comes back:
 * while it is away every database route answers 503 `serviceNotAvailable` with `Retry-After` and liveness stays
 * 200; once it is back everything answers again without a restart. The outage is injected (a wrapper whose calls
 * throw the driver's connection error) on both stores, and on PostgreSQL made real with `pg_terminate_backend` on the
 * test's own connections.
 */
import type { Json } from './helpers/json.js';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { RETRY_AFTER_SECONDS } from '../src/http/error-response.js';
import { databaseOf } from '../src/storage/open-database.js';
import { PostgresStore } from '../src/storage/postgres/postgres-store.js';
import type { CallRecordDatabase } from '../src/storage/roles.js';
import { BACKENDS } from './helpers/databases.js';
import { POSTGRES_ENABLED, POSTGRES_URL, testSchema } from './helpers/postgres.js';
import { makeRecord } from './helpers/records.js';
import { createTestApp } from './helpers/test-app.js';

/** The error each driver throws when its database cannot be reached (src/storage/unavailable.ts knows them). */
function connectionError(kind: string): Error {
  const error = new Error(kind === 'sqlite' ? 'unable to open database file' : 'connect ECONNREFUSED 127.0.0.1:5432');
  return Object.assign(error, { code: kind === 'sqlite' ? 'SQLITE_CANTOPEN' : 'ECONNREFUSED' });
}

/** A database whose every role call throws the driver's connection error while `away` is set. */
function faultable(db: CallRecordDatabase): { db: CallRecordDatabase; fault: { away: boolean } } {
  const fault = { away: false };
  const wrap = <T extends object>(role: T): T =>
    new Proxy(role, {
      get(target, name, receiver) {
        const value = Reflect.get(target, name, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (fault.away) return Promise.reject(connectionError(db.kind));
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  return {
    fault,
    db: {
      ...db,
      records: wrap(db.records),
      history: wrap(db.history),
      meta: wrap(db.meta),
      upkeep: wrap(db.upkeep),
      privacy: wrap(db.privacy),
    },
  };
}

type App = Awaited<ReturnType<typeof createTestApp>>['app'];

function assertAway(res: { statusCode: number; headers: Record<string, unknown>; body: string }, what: string) {
  assert.equal(res.statusCode, 503, `${what}: ${res.body}`);
  assert.equal(res.headers['retry-after'], String(RETRY_AFTER_SECONDS), what);
  assert.equal((JSON.parse(res.body) as Json).error.code, 'serviceNotAvailable', what);
}

const post = (app: App, id: string) =>
  app.inject({
    method: 'POST',
    url: '/api/callRecords',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify(makeRecord({ id })),
  });

for (const backend of BACKENDS) {
  describe(`health and a database away and back (${backend.name})`, () => {
    test('live is 200 always; ready and every database route are 503 with Retry-After while away, 200 after', async () => {
      const { db, fault } = faultable(await backend.open());
      const t = await createTestApp({ db });
      try {
        assert.equal((await post(t.app, 'before')).statusCode, 200);
        assert.deepEqual((await t.app.inject('/api/health/live')).json(), { status: 'live' });
        assert.deepEqual((await t.app.inject('/api/health/ready')).json(), {
          status: 'ready',
          database: { status: 'ok' },
        });

        fault.away = true;
        assert.equal((await t.app.inject('/api/health/live')).statusCode, 200, 'liveness never asks the database');
        assertAway(await t.app.inject('/api/health/ready'), 'ready');
        assertAway(await t.app.inject('/api/health'), 'health');
        assertAway(await t.app.inject('/v1.0/communications/callRecords'), 'list');
        assertAway(await t.app.inject('/v1.0/communications/callRecords/before'), 'get');
        assertAway(await post(t.app, 'during'), 'ingest');

        fault.away = false;
        assert.equal((await t.app.inject('/api/health/ready')).statusCode, 200);
        assert.equal((await post(t.app, 'after')).statusCode, 200);
        const list = (await t.app.inject('/v1.0/communications/callRecords')).json() as Json;
        assert.deepEqual(
          list.value.map((r: Json) => r.id),
          ['after', 'before'].sort(),
        );
      } finally {
        await t.close();
      }
    });
  });
}

describe(
  'PostgreSQL: backend connections terminated',
  { skip: !POSTGRES_ENABLED && 'PostgreSQL is not reachable' },
  () => {
    test('pg_terminate_backend on the server connections: the next requests recover without a restart', async () => {
      const schema = testSchema('terminate');
      const application = `callrecords_ops_${randomBytes(4).toString('hex')}`;
      const db = databaseOf(await PostgresStore.open(`${schema.url}&application_name=${application}`));
      const t = await createTestApp({ db });
      const admin = new pg.Client({ connectionString: POSTGRES_URL });
      await admin.connect();
      try {
        assert.equal((await post(t.app, 'r1')).statusCode, 200);
        // Several requests at once, so the pool holds several connections.
        await Promise.all([1, 2, 3].map(() => t.app.inject('/v1.0/communications/callRecords')));
        const killed = await admin.query(
          'select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1',
          [application],
        );
        assert.ok(killed.rowCount! >= 1, 'the store had connections to terminate');
        // Each request either succeeds or is a retryable 503; within a few the store has new connections.
        const statuses: number[] = [];
        for (let i = 0; i < 5 && statuses.at(-1) !== 200; i++) {
          const res = await t.app.inject('/v1.0/communications/callRecords/r1');
          if (res.statusCode !== 200) assertAway(res, `request ${i} after the termination`);
          statuses.push(res.statusCode);
        }
        assert.equal(statuses.at(-1), 200, `recovered: ${statuses.join(', ')}`);
        assert.equal((await t.app.inject('/api/health/ready')).statusCode, 200);
        assert.equal((await post(t.app, 'r2')).statusCode, 200);
      } finally {
        await admin.end();
        await t.close();
        await schema.drop();
      }
    });
  },
);
