import pg from 'pg';
import { randomBytes } from 'node:crypto';

/**
 * PostgreSQL for the tests. The server is `CALLRECORDS_TEST_POSTGRES` (default: the one this machine kind runs).
 * `scripts/run-tests.mjs` checks once whether it answers and tells every test file through
 * `CALLRECORDS_TEST_POSTGRES_STATUS`: under CI (`CI=true`) an unreachable server fails the run; elsewhere the
 * PostgreSQL cases are skipped with one line saying so.
 */
export const POSTGRES_URL = process.env.CALLRECORDS_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Whether the PostgreSQL cases run in this process. */
export const POSTGRES_ENABLED = await postgresReachable();

async function postgresReachable(): Promise<boolean> {
  const status = process.env.CALLRECORDS_TEST_POSTGRES_STATUS;
  if (status === 'up') return true;
  if (status === 'down') return false;
  // Run directly (not through run-tests.mjs): find out here.
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch (error) {
    if (process.env.CI === 'true') throw new Error(`CI needs PostgreSQL at ${POSTGRES_URL}: ${String(error)}`);
    return false;
  }
}

/** A schema of its own for one store under test; `drop()` removes it with everything in it. */
export interface TestSchema {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A fresh, uniquely named schema on the test server (created by the store on open). */
export function testSchema(label = 'test'): TestSchema {
  const name = `cr_${label}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const url = `${POSTGRES_URL}${POSTGRES_URL.includes('?') ? '&' : '?'}schema=${name}`;
  return {
    url,
    name,
    async drop() {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      try {
        await client.query(`drop schema if exists ${name} cascade`);
      } finally {
        await client.end();
      }
    },
  };
}
