/**
 * `npm run bench:dashboard`: only the dashboard's cases of `npm run bench` (bench/dashboard.ts), written into the
 * "## Dashboard" section of bench/RESULTS.md (BENCH_QUICK=1: bench/out/RESULTS-quick.md), the rest of the file kept.
 * The full `npm run bench` runs the same cases and writes the whole file.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { dashboardMarkdown, runDashboardBench } from './dashboard.js';
import { dashboardSettings } from './dashboard-settings.js';

const ROOT = join(import.meta.dirname, '..');
const QUICK = process.env.BENCH_QUICK === '1';

const workDir = mkdtempSync(join(tmpdir(), 'callrecords-bench-dashboard-'));
try {
  const result = await runDashboardBench({
    ...dashboardSettings(QUICK),
    workDir,
    log: (s) => process.stderr.write(`bench: ${s}\n`),
  });
  const command = `${QUICK ? 'BENCH_QUICK=1 ' : ''}npm run bench:dashboard`;
  const section = `## Dashboard\n\n${dashboardMarkdown(result, { command, commit: gitDescribe() })}\n`;
  const target = QUICK ? join(ROOT, 'bench/out/RESULTS-quick.md') : join(ROOT, 'bench/RESULTS.md');
  mkdirSync(join(target, '..'), { recursive: true });
  const config = (await resolveConfig(target)) ?? {};
  writeFileSync(target, await format(withSection(target, section), { ...config, filepath: target }));
  process.stdout.write(`${section}\nWritten to ${target}\n`);
} finally {
  rmSync(workDir, { recursive: true, force: true });
}

/** The file with its "## Dashboard" section replaced, or added before "## History" (or at the end). */
function withSection(target: string, section: string): string {
  const text = existsSync(target) ? readFileSync(target, 'utf8') : '# Benchmark results\n';
  const start = text.indexOf('\n## Dashboard\n');
  if (start >= 0) {
    const next = text.indexOf('\n## ', start + 1);
    return `${text.slice(0, start + 1)}${section}${next < 0 ? '' : text.slice(next)}`;
  }
  const history = text.indexOf('\n## History');
  return history < 0
    ? `${text.trimEnd()}\n\n${section}`
    : `${text.slice(0, history + 1)}${section}${text.slice(history)}`;
}

function gitDescribe(): string {
  const git = spawnSync('git', ['describe', '--always', '--dirty'], { cwd: ROOT, encoding: 'utf8' });
  return git.status === 0 ? git.stdout.trim() : 'unknown';
}
