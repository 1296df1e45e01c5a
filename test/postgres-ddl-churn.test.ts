/**
 * A PostgreSQL store opens while other schemas of the same database change under it: another connection keeps
 * creating and dropping schemas and tables (as other applications, test runs or retention's partition drops do), and
 * opening the store — which migrates it — must not trip over a table that disappears while it looks.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { PostgresStore } from '../src/storage/postgres/postgres-store.js';
import { POSTGRES_ENABLED, POSTGRES_URL, testSchema, type TestSchema } from './helpers/postgres.js';

const SKIP = POSTGRES_ENABLED ? false : 'PostgreSQL is not reachable (see test/helpers/postgres.ts)';
const OPENS = 20;
/** Stores opened on each schema in turn: the first open of each migrates a fresh schema, later ones find it done. */
const SCHEMAS = 4;

/**
 * Creates and drops a schema with a few tables (a serial column, a partitioned table with a partition) on its own
 * connection, over and over, until `stop()`; resolves to how many rounds it made.
 */
function churn(): { stop(): Promise<number> } {
  let running = true;
  const done = (async () => {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    let rounds = 0;
    try {
      for (; running; rounds++) {
        const name = `churn_${process.pid}_${rounds % 3}`;
        await client.query(`drop schema if exists ${name} cascade`);
        await client.query(`create schema ${name}`);
        await client.query(`create table ${name}.plain (id serial primary key, note text)`);
        await client.query(`create table ${name}.months (k text not null, v int) partition by range (k)`);
        await client.query(`create table ${name}.months_a partition of ${name}.months for values from ('a') to ('b')`);
        await client.query(`drop table ${name}.plain`);
        await client.query(`drop table ${name}.months_a`);
      }
      for (let k = 0; k < 3; k++) await client.query(`drop schema if exists churn_${process.pid}_${k} cascade`);
    } finally {
      await client.end();
    }
    return rounds;
  })();
  return {
    stop: async () => {
      running = false;
      return done;
    },
  };
}

describe('opening a PostgreSQL store while other schemas change', { skip: SKIP }, () => {
  const schemas: TestSchema[] = [];
  before(() => schemas.push(...Array.from({ length: SCHEMAS }, () => testSchema('churn'))));
  after(() => Promise.all(schemas.map((s) => s.drop())));

  test(`${OPENS} opens beside DDL on other schemas all succeed`, async () => {
    const ddl = churn();
    const failures: string[] = [];
    let opened = 0;
    try {
      for (let i = 0; i < OPENS; i++) {
        try {
          const store = await PostgresStore.open(schemas[i % SCHEMAS]!.url);
          await store.health();
          await store.close();
          opened++;
        } catch (error) {
          failures.push(String(error));
        }
      }
    } finally {
      const rounds = await ddl.stop();
      assert.ok(rounds > 0, 'the other connection changed schemas meanwhile');
    }
    assert.deepEqual(failures, [], 'no open fails');
    assert.equal(opened, OPENS);
  });
});
