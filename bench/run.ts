/**
 * `npm run bench`: import throughput, full-expand GET throughput, list latency as the database grows, the peak
 * memory of an import, the Graph collector's backfill (bench/sync-backfill.ts) and the dashboard's overview in Chromium
 * (bench/dashboard.ts), each against its baseline or target in the same run, printed as one table and written to bench/RESULTS.md with the machine and the profiles.
 * `BENCH_QUICK=1 npm run bench` runs smaller, shorter versions (under two minutes, and two more for the collector's
 * cases; `BENCH_SYNC=0` skips those) and writes bench/out/ instead. Generated data and the list databases are cached
 * (bench/bench-data.ts), so the first run takes longer than the next.
 */
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { runAuthGetBench } from './auth-get.js';
import { analyticsMarkdown, runAnalyticsBench } from './analytics.js';
import { dashboardMarkdown, runDashboardBench } from './dashboard.js';
import { dashboardSettings } from './dashboard-settings.js';
import { runGetBench } from './get-expand.js';
import { runImportBench } from './import.js';
import { runListBench } from './list-filter.js';
import { runMemoryBench } from './memory.js';
import { benchNdjson } from './bench-data.js';
import { BENCH_POSTGRES_URL, dropSchema, postgresReachable, runPostgresImportBench } from './postgres-import.js';
import { resultsMarkdown, resultsTable, type BenchResults } from './report.js';
import { runSyncBench, syncBenchMarkdown } from './sync-backfill.js';

const ROOT = join(import.meta.dirname, '..');
const QUICK = process.env.BENCH_QUICK === '1';

/** What each run measures; bench/RESULTS.md lists both. */
const QUICK_SETTINGS = {
  importSizes: [
    { records: 2_000, runs: 2 },
    { records: 5_000, runs: 1 },
  ],
  profileRecords: 0,
  getRecords: 200,
  getSeconds: 3,
  profileSeconds: 0,
  listSizes: [10_000, 100_000],
  listSeconds: 3,
  memoryRecords: 5_000,
  postgresImport: { records: 2_000, runs: 1 },
  // The Graph collector (bench/sync-backfill.ts): backfill without throttling, and under 429s.
  sync: { records: 1_000, throttledRecords: 1_500 },
};

const FULL_SETTINGS: typeof QUICK_SETTINGS = {
  importSizes: [
    { records: 10_000, runs: 2 },
    { records: 100_000, runs: 1 },
  ],
  profileRecords: 2_000,
  getRecords: 200,
  getSeconds: 10,
  profileSeconds: 5,
  listSizes: [10_000, 100_000, 1_000_000],
  listSeconds: 10,
  // About 1 GB of NDJSON at 43 KB per record.
  memoryRecords: 23_500,
  postgresImport: { records: 10_000, runs: 2 },
  sync: { records: 10_000, throttledRecords: 3_000 },
};

const SETTINGS = QUICK ? QUICK_SETTINGS : FULL_SETTINGS;

/** The sizes of one kind of run, in a sentence. */
function settingsText(s: typeof QUICK_SETTINGS): string {
  const imports = s.importSizes
    .map((i) => `${i.records.toLocaleString('en-US')} (${i.runs === 1 ? 'one run' : `best of ${i.runs}`})`)
    .join(' and ');
  return (
    `imports of ${imports} realistic records; GET on ${s.getRecords} records, ${s.getSeconds} s per load run` +
    `${s.profileSeconds > 0 ? ', profiled' : ', no profiles'}; list at ${s.listSizes.map((n) => n.toLocaleString('en-US')).join(', ')} ` +
    `records, ${s.listSeconds} s each; memory of an import of ${s.memoryRecords.toLocaleString('en-US')} records; ` +
    `PostgreSQL: import of ${s.postgresImport.records.toLocaleString('en-US')} records against raw COPY ` +
    `(${s.postgresImport.runs === 1 ? 'one run' : `best of ${s.postgresImport.runs}`}) and the GET cases; ` +
    `Graph collector: backfill of ${s.sync.records.toLocaleString('en-US')} records against their import, and of ` +
    `${s.sync.throttledRecords.toLocaleString('en-US')} under 429s`
  );
}

/** The PostgreSQL cases: import against raw COPY, and the GET cases on a PostgreSQL-backed server. */
async function runPostgresCases(workDir: string): Promise<BenchResults['postgres']> {
  if (!(await postgresReachable())) {
    log(`PostgreSQL at ${BENCH_POSTGRES_URL} is unreachable: its cases are skipped`);
    return { skipped: `PostgreSQL at ${BENCH_POSTGRES_URL} was unreachable` };
  }
  const { records, runs } = SETTINGS.postgresImport;
  log(`PostgreSQL import: ${records} records × ${runs}, against raw COPY`);
  const { file } = await benchNdjson({ records, shape: 'realistic' });
  const importCase = await runPostgresImportBench(file, workDir, runs);
  log(`PostgreSQL GET: ${SETTINGS.getRecords} records, ${SETTINGS.getSeconds} s per load run`);
  const schema = `cr_bench_get_${process.pid}`;
  try {
    const getBench = await runGetBench({
      records: SETTINGS.getRecords,
      duration: SETTINGS.getSeconds,
      connections: 10,
      workDir,
      profileSeconds: 0,
      dbUrl: `${BENCH_POSTGRES_URL}?schema=${schema}`,
    });
    return { importCase, getBench };
  } finally {
    await dropSchema(schema);
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  const loadBefore = loadavg()[0]!;
  if (!existsSync(join(ROOT, 'dist/cli/main.js'))) {
    log('dist/ is missing: npm run build');
    const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('npm run build failed');
  }
  const stale = distIsStale();
  if (stale) log('warning: src/ has changed since dist/ was built; the figures are for the older build');
  const workDir = mkdtempSync(join(tmpdir(), 'callrecords-bench-'));
  try {
    const sizes = SETTINGS.importSizes.map((s) => `${s.records} records × ${s.runs}`).join(', ');
    log(`import: ${sizes} (work dir ${workDir})`);
    const importBench = await runImportBench({
      sizes: SETTINGS.importSizes,
      workDir,
      profileRecords: SETTINGS.profileRecords,
    });
    log(`GET: ${SETTINGS.getRecords} records, ${SETTINGS.getSeconds} s per load run`);
    const getBench = await runGetBench({
      records: SETTINGS.getRecords,
      duration: SETTINGS.getSeconds,
      connections: 10,
      workDir,
      profileSeconds: SETTINGS.profileSeconds,
    });
    log(`GET with authentication off and on: ${SETTINGS.getSeconds} s per load run, alternating`);
    const authGet = await runAuthGetBench({
      dbUrl: `sqlite:${join(workDir, 'get.db')}`,
      duration: SETTINGS.getSeconds,
      connections: 10,
      workDir,
      rounds: 2,
    });
    log(`list: ${SETTINGS.listSizes.join(', ')} records, ${SETTINGS.listSeconds} s per size`);
    const listBench = await runListBench({ sizes: SETTINGS.listSizes, duration: SETTINGS.listSeconds, workDir });
    log(`memory: import of ${SETTINGS.memoryRecords} records`);
    const memoryBench = await runMemoryBench({ records: SETTINGS.memoryRecords, workDir });
    const postgres = await runPostgresCases(workDir);
    // 1 million streams (BENCH_QUICK: 200,000; BENCH_ANALYTICS_STREAMS=10000000 for 10 million; BENCH_ANALYTICS=0 skips).
    const analytics = process.env.BENCH_ANALYTICS === '0' ? undefined : await runAnalyticsBench(log);
    // BENCH_SYNC=0 skips the Graph collector's cases.
    const sync = process.env.BENCH_SYNC === '0' ? undefined : await runSyncBench(SETTINGS.sync, workDir, log);
    // The demo tenant and 1M records (BENCH_QUICK: 20,000) in Chromium; BENCH_DASHBOARD=0 skips it.
    const dashboard =
      process.env.BENCH_DASHBOARD === '0'
        ? undefined
        : await runDashboardBench({ ...dashboardSettings(QUICK), workDir, log });
    const results: BenchResults = {
      date: new Date(),
      command: QUICK ? 'BENCH_QUICK=1 npm run bench' : 'npm run bench',
      commit: gitDescribe(),
      quick: QUICK,
      importBench,
      getBench,
      authGet,
      listBench,
      memoryBench,
      postgres,
      getSeconds: SETTINGS.getSeconds,
      listSeconds: SETTINGS.listSeconds,
      runSizes: { full: settingsText(FULL_SETTINGS), quick: settingsText(QUICK_SETTINGS) },
      totalSeconds: (performance.now() - started) / 1000,
      load: [loadBefore, loadavg()[0]!],
      staleDist: stale,
    };
    const target = QUICK ? join(ROOT, 'bench/out/RESULTS-quick.md') : join(ROOT, 'bench/RESULTS.md');
    mkdirSync(join(target, '..'), { recursive: true });
    // `npm test` checks formatting of every file Prettier sees, bench/RESULTS.md included.
    const config = (await resolveConfig(target)) ?? {};
    const analyticsSection = analytics === undefined ? '' : `\n## Analytics\n\n${analyticsMarkdown(analytics)}\n`;
    const syncSection =
      sync === undefined ? '' : `\n## Graph collector\n\n${syncBenchMarkdown(sync, results.command)}\n`;
    const dashboardSection =
      dashboard === undefined ? '' : `\n## Dashboard\n\n${dashboardMarkdown(dashboard, results)}\n`;
    const markdown = resultsMarkdown(results) + analyticsSection + syncSection + dashboardSection + keptHistory(target);
    writeFileSync(target, await format(markdown, { ...config, filepath: target }));
    process.stdout.write(`\n${resultsTable(results)}\n\nWritten to ${target}\n`);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** Whether a file under src/ is newer than the last build (tsc rewrites every output, so main.js dates it). */
function distIsStale(): boolean {
  const built = statSync(join(ROOT, 'dist/cli/main.js')).mtimeMs;
  const sources = readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' });
  return sources.some((file) => statSync(join(ROOT, 'src', file)).mtimeMs > built);
}

function gitDescribe(): string {
  const git = spawnSync('git', ['describe', '--always', '--dirty'], { cwd: ROOT, encoding: 'utf8' });
  return git.status === 0 ? git.stdout.trim() : 'unknown';
}

function log(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

await main();

/**
 * The hand-kept "## History" section of the previous results (before/after figures of each optimisation), carried
 * over so that a new run does not erase it.
 */
function keptHistory(target: string): string {
  if (!existsSync(target)) return '';
  const previous = readFileSync(target, 'utf8');
  const start = previous.indexOf('\n## History');
  return start < 0 ? '' : `\n${previous.slice(start).trim()}\n`;
}
