// Runs every test file under test/ with Node's test runner and tsx (Node 20 neither expands globs nor strips types).
// First it checks once whether the test PostgreSQL answers and tells the test files (test/helpers/postgres.ts): under
// CI (CI=true) an unreachable PostgreSQL fails the run; elsewhere its cases are skipped, said in one line.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import pg from 'pg';

function findTests(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return findTests(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

async function postgresStatus() {
  const url = process.env.CALLRECORDS_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test';
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.end();
    return 'up';
  } catch (error) {
    if (process.env.CI === 'true') {
      process.stderr.write(`CI=true and PostgreSQL at ${url} is unreachable (${error.message}): failing.\n`);
      process.exit(1);
    }
    process.stderr.write(`PostgreSQL at ${url} is unreachable (${error.message}): skipping its tests.\n`);
    return 'down';
  }
}

const only = process.argv.slice(2);
const files = only.length > 0 ? only : findTests('test').sort();
const status = await postgresStatus();
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-timeout=120000', '--test-reporter=spec', ...files],
  { stdio: 'inherit', env: { ...process.env, CALLRECORDS_TEST_POSTGRES_STATUS: status } },
);
process.exit(result.status ?? 1);
