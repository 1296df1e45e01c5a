// Runs every test file under test/ with Node's test runner and tsx (Node 20 neither expands globs nor strips types).
// First it checks once whether the test PostgreSQL answers and tells the test files (test/helpers/postgres.ts): under
// CI (CI=true) an unreachable PostgreSQL fails the run; elsewhere its cases are skipped, said in one line.
//
// The files run in two lanes, one after the other, each ending with the test runner's own summary (ℹ tests / pass /
// fail): first the in-process suites, two files at a time (each test has its own schema or temporary folder), then
// the suites that start processes (`callrecords` runs, servers), one file at a time, so that their timeouts and
// signal handling do not compete with other work for the CPU. The run fails if either lane fails.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import pg from 'pg';

function findTests(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return findTests(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

// A file starts processes when it, or a file it imports from the repository, uses node:child_process or drives a
// browser (playwright-core starts Chromium).
const SPAWNS = /from ['"]((node:)?child_process|playwright-core)['"]/;
const RELATIVE_IMPORT = /from ['"](\.{1,2}\/[^'"]+)['"]/g;

function startsProcesses(file, seen = new Set()) {
  const path = resolve(file);
  if (seen.has(path)) return false;
  seen.add(path);
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return false;
  }
  if (SPAWNS.test(text)) return true;
  return [...text.matchAll(RELATIVE_IMPORT)].some(([, spec]) =>
    startsProcesses(join(dirname(path), spec.replace(/\.js$/, '.ts')), seen),
  );
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

function runLane(name, files, concurrency, status) {
  if (files.length === 0) return true;
  process.stdout.write(`\n# ${name}: ${files.length} file(s), ${concurrency} at a time\n`);
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      `--test-concurrency=${concurrency}`,
      // A guard against a hung file, not a performance target: the collector's process suites (a simulated tenant,
      // a server killed and restarted, on both stores) take a minute or two on a busy machine.
      '--test-timeout=300000',
      '--test-reporter=spec',
      ...files,
    ],
    { stdio: 'inherit', env: { ...process.env, CALLRECORDS_TEST_POSTGRES_STATUS: status } },
  );
  const passed = result.status === 0;
  process.stdout.write(`# ${name}: ${passed ? 'passed' : `FAILED (exit ${result.status ?? result.signal})`}\n`);
  return passed;
}

const only = process.argv.slice(2);
const files = only.length > 0 ? only : findTests('test').sort();
const slow = files.filter((file) => startsProcesses(file));
const fast = files.filter((file) => !slow.includes(file));
const status = await postgresStatus();
const fastPassed = runLane('in-process suites', fast, 2, status);
const slowPassed = runLane('suites that start processes', slow, 1, status);
process.exit(fastPassed && slowPassed ? 0 : 1);
