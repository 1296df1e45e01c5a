/**
 * `npm run bench`: the two figures the project tracks — import throughput and full-expand GET throughput — each
 * against its floor, printed as one table and written to bench/RESULTS.md with the machine and the profiles.
 * `BENCH_QUICK=1 npm run bench` runs a smaller, shorter version (under a minute) and writes bench/out/ instead.
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
import { runGetBench } from './get-expand.js';
import { runImportBench } from './import.js';
import { resultsMarkdown, resultsTable, type BenchResults } from './report.js';

const ROOT = join(import.meta.dirname, '..');
const QUICK = process.env.BENCH_QUICK === '1';

const SETTINGS = QUICK
  ? { importRecords: 2_000, runs: 2, profileRecords: 0, getRecords: 200, duration: 3, profileSeconds: 0 }
  : { importRecords: 10_000, runs: 2, profileRecords: 2_000, getRecords: 200, duration: 10, profileSeconds: 5 };

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
    log(`import: ${SETTINGS.importRecords} records, ${SETTINGS.runs} runs each (work dir ${workDir})`);
    const importBench = await runImportBench({
      records: SETTINGS.importRecords,
      runs: SETTINGS.runs,
      workDir,
      profileRecords: SETTINGS.profileRecords,
    });
    log(`GET: ${SETTINGS.getRecords} records, ${SETTINGS.duration} s per load run`);
    const getBench = await runGetBench({
      records: SETTINGS.getRecords,
      duration: SETTINGS.duration,
      connections: 10,
      workDir,
      profileSeconds: SETTINGS.profileSeconds,
    });
    const results: BenchResults = {
      date: new Date(),
      command: QUICK ? 'BENCH_QUICK=1 npm run bench' : 'npm run bench',
      commit: gitDescribe(),
      quick: QUICK,
      importBench,
      getBench,
      totalSeconds: (performance.now() - started) / 1000,
      load: [loadBefore, loadavg()[0]!],
      staleDist: stale,
    };
    const target = QUICK ? join(ROOT, 'bench/out/RESULTS-quick.md') : join(ROOT, 'bench/RESULTS.md');
    mkdirSync(join(target, '..'), { recursive: true });
    // `npm test` checks formatting of every file Prettier sees, bench/RESULTS.md included.
    const config = (await resolveConfig(target)) ?? {};
    const markdown = resultsMarkdown(results) + keptHistory(target);
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
