/**
 * Issue 10's "Numbers for npm run bench": the Graph collector's backfill. (1) With throttling off, records/s of a
 * backfill from `callrecords graph-simulator --faults none` into a fresh SQLite archive against `callrecords import`
 * of the same records (the simulator's `/_simulator/records` NDJSON) into another fresh SQLite archive. (2) With
 * `--faults 429`, the share of Graph's per-app budget (1,500 requests per 20 s) the collector uses while its queue
 * is not empty, counted by the simulator (`/_simulator/stats`, polled every 20 s). The simulator runs as its own
 * process (Graph's work is not the collector's); the collector runs in this process over HTTP, as `sync` builds it.
 * Runs alone with `node --import tsx bench/sync-backfill.ts` (BENCH_QUICK=1 for the small sizes).
 */
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { systemClock } from '../src/clock.js';
import { createCollector } from '../src/collector/collector.js';
import type { BudgetLimits } from '../src/collector/request-budget.js';
import { backfill } from '../src/collector/sweeper.js';
import type { TokenSource } from '../src/collector/token-source.js';
import { openDatabase } from '../src/storage/open-database.js';
import { BIN, type ChildRun } from './child.js';

const TENANT = 'bench-tenant';
const CLIENT = 'bench-client';
const SECRET = 'bench-secret';
const WINDOW_MS = 20_000;
const APP_BUDGET = 1500;
const DAY = 86_400_000;

/** The sizes of the two cases. */
export interface SyncBenchSettings {
  /** Records of the unthrottled backfill (and of the import it is compared with). */
  records: number;
  /** Records of the throttled case: enough for several 20 s windows of work at 1,500 requests each. */
  throttledRecords: number;
}

/** What the two cases measured. */
export interface SyncBenchResult {
  settings: SyncBenchSettings;
  /** cpuSeconds: user + system CPU time of this process during the backfill (the simulator's is Graph's, apart). */
  backfill: { records: number; seconds: number; recordsPerSecond: number; requests: number; cpuSeconds: number };
  /** cpuSeconds: user + system CPU time of the import child, from GNU time. */
  importRun: { records: number; seconds: number; recordsPerSecond: number; reported: number; cpuSeconds: number };
  ratio: number;
  /** Records per CPU second of the collector ÷ the same of the import: the ratio a loaded machine blurs least. */
  cpuRatio: number;
  throttled: {
    records: number;
    seconds: number;
    requests: number;
    /** Requests the simulator counted in each whole 20 s window while the queue was not empty. */
    windows: number[];
    share: number;
    throttled429: number;
    maxPerApp: number;
    maxPerRecord: number;
    maxList: number;
  };
  load: [number, number];
}

interface SimChild {
  child: ChildProcess;
  url: string;
  stop(): Promise<void>;
}

/** Starts `callrecords graph-simulator` with `faults` over `records` calls spread over `days` that ended a day ago. */
async function startSimulator(records: number, days: number, faults: string, dbFile: string): Promise<SimChild> {
  const from = new Date(Date.now() - (days + 1) * DAY).toISOString();
  const args = ['graph-simulator', '--port', '0', '--db', `sqlite:${dbFile}`, '--calls', String(records)];
  args.push('--days', String(days), '--from', from, '--faults', faults, '--seed', '11', '--log-level', 'info');
  args.push('--tenant-id', TENANT, '--client-id', CLIENT, '--client-secret', SECRET);
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.includes('"msg":"graph simulator is serving"'))
        resolve((JSON.parse(line) as { graphUrl: string }).graphUrl);
    });
    child.once('exit', (code) => reject(new Error(`the simulator exited with ${code}: ${stderr}`)));
  });
  return {
    child,
    url,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Client credentials against the simulator's token endpoint, cached (MSAL wants HTTPS; this is the same grant). */
function simulatorTokens(url: string): TokenSource {
  let cached: string | undefined;
  return {
    async token(refresh = false) {
      if (cached !== undefined && !refresh) return cached;
      const res = await fetch(`${url}/${TENANT}/oauth2/v2.0/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: CLIENT,
          client_secret: SECRET,
          scope: `${url}/.default`,
        }).toString(),
      });
      cached = ((await res.json()) as { access_token: string }).access_token;
      return cached;
    },
  };
}

interface SimStats {
  graph: {
    requests: number;
    throttled: { total: number };
    maxPerApp: Record<string, number>;
    maxPerRecord: { count: number };
    maxList: number;
  };
}

async function simStats(url: string): Promise<SimStats> {
  return (await (await fetch(`${url}/_simulator/stats`)).json()) as SimStats;
}

/** Runs `node bin/callrecords.js args…` under GNU time: wall seconds and user + system CPU seconds. */
async function cpuTimedCli(args: readonly string[], workDir: string): Promise<ChildRun & { cpuSeconds: number }> {
  const timesFile = join(workDir, 'cpu-times');
  const started = performance.now();
  const child = spawn('/usr/bin/time', ['-f', '%U %S', '-o', timesFile, process.execPath, BIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let [stdout, stderr] = ['', ''];
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  const seconds = (performance.now() - started) / 1000;
  const [user, system] = readFileSync(timesFile, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
  const cpuSeconds = user! + system!;
  return { code, stdout, stderr, seconds, cpuSeconds, peakRssBytes: 0, peakRssSource: 'time' };
}

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * Backfills 29 days from the simulator at `url` into a fresh SQLite archive at `dbFile`: the sweep lists and queues
 * while the worker (default settings: 8 at once) fetches, as in `serve --sync`. Resolves when the backfill has
 * listed everything and the queue is empty; `onTick` is called every `tickMs` while it runs (with the queue depth).
 */
async function runBackfill(
  url: string,
  dbFile: string,
  options: { days: number; limits?: BudgetLimits; observe?: (queued: number) => Promise<void> },
): Promise<{ seconds: number; cpuSeconds: number; stored: number }> {
  const db = await openDatabase(`sqlite:${dbFile}`);
  const controller = new AbortController();
  const collector = createCollector(
    {
      credentials: { tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET, authorityHost: url, graphUrl: url },
      sweepIntervalMs: 60 * 60_000,
      tokens: simulatorTokens(url),
      limits: options.limits,
    },
    db,
    { clock: systemClock, fetch: (input, init) => fetch(input, init), log: quiet },
    controller.signal,
  );
  try {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const worker = collector.worker.run();
    let listed = false;
    const lister = backfill(collector.sweepDeps, collector.owner, options.days).then(() => (listed = true));
    for (;;) {
      // Not more often: counting the queue reads every row of it, and that CPU time would be counted as the collector's.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const stats = await db.sync.queueStats(Date.now());
      const queued = stats.queued + stats.leased;
      await options.observe?.(queued);
      if (listed && queued === 0) break;
    }
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const cpuSeconds = (used.user + used.system) / 1e6;
    await lister;
    controller.abort();
    await worker;
    const failed = (await db.sync.queueStats(Date.now())).failed;
    if (failed > 0) throw new Error(`the collector failed ${failed} records`);
    return { seconds, cpuSeconds, stored: await db.records.countRecords({ start: [] }) };
  } finally {
    controller.abort();
    await db.close();
  }
}

/** Runs both cases in `workDir`. */
export async function runSyncBench(
  settings: SyncBenchSettings,
  workDir: string,
  log: (m: string) => void,
): Promise<SyncBenchResult> {
  const loadBefore = loadavg()[0]!;
  // 1. Throttling off, on both sides: the simulator never answers 429 and the collector's own budgets are lifted,
  // so what is measured is the collector's work per record (with Graph's budgets a backfill cannot pass
  // 1,500 / 20.5 s ÷ 2 ≈ 37 records/s, whatever the machine).
  log(`sync: simulator with ${settings.records} calls over 28 days, --faults none`);
  let sim = await startSimulator(settings.records, 28, 'none', join(workDir, 'sim.db'));
  let backfillCase: SyncBenchResult['backfill'];
  let importCase: SyncBenchResult['importRun'];
  try {
    const ndjson = join(workDir, 'sim-records.ndjson');
    const res = await fetch(`${sim.url}/_simulator/records`);
    await pipeline(Readable.fromWeb(res.body as never), createWriteStream(ndjson));
    log('sync: backfill of 30 days (collector in this process, simulator in its own)');
    const unlimited = { windowMs: WINDOW_MS, app: 1e9, record: 1e9, list: 1e9 };
    const run = await runBackfill(sim.url, join(workDir, 'collector.db'), { days: 30, limits: unlimited });
    const stats = await simStats(sim.url);
    const count = run.stored;
    backfillCase = {
      records: count,
      seconds: run.seconds,
      recordsPerSecond: count / run.seconds,
      requests: stats.graph.requests,
      cpuSeconds: run.cpuSeconds,
    };
    log(`sync: backfill ${count} records in ${run.seconds.toFixed(1)} s; callrecords import of the same NDJSON`);
    const imp = await cpuTimedCli(['import', ndjson, '--db', `sqlite:${join(workDir, 'imported.db')}`], workDir);
    if (imp.code !== 0) throw new Error(`callrecords import failed: ${imp.stderr}`);
    const reported = Number(/([\d,.]+) records\/s/.exec(imp.stdout + imp.stderr)?.[1]?.replace(/,/g, '') ?? NaN);
    importCase = {
      records: count,
      seconds: imp.seconds,
      recordsPerSecond: count / imp.seconds,
      reported,
      cpuSeconds: imp.cpuSeconds,
    };
  } finally {
    await sim.stop();
  }
  // 2. Throttling on: requests per 20 s window while the queue is not empty, as the simulator counts them. The
  // tenant is dense (all calls in 2 days, a backfill of 3 days) so that List pages carry 60 records each and the
  // List budget (40 / 20 s) is not what binds: the per-app budget is.
  log(`sync: simulator with ${settings.throttledRecords} calls over 2 days, --faults 429`);
  sim = await startSimulator(settings.throttledRecords, 2, '429', join(workDir, 'sim429.db'));
  try {
    const windows: number[] = [];
    let windowStart: number | undefined;
    let startCount = 0;
    let sawEmpty = false;
    const run = await runBackfill(sim.url, join(workDir, 'collector429.db'), {
      days: 3,
      observe: async (queued) => {
        const now = performance.now();
        if (windowStart === undefined) {
          // The first window opens when the queue first holds work.
          if (queued === 0) return;
          [windowStart, startCount, sawEmpty] = [now, (await simStats(sim.url)).graph.requests, false];
          return;
        }
        sawEmpty ||= queued === 0;
        if (now - windowStart < WINDOW_MS) return;
        const count = (await simStats(sim.url)).graph.requests;
        // A window counts when the queue held work all through it.
        if (!sawEmpty) windows.push(count - startCount);
        [windowStart, startCount, sawEmpty] = [now, count, false];
      },
    });
    const stats = await simStats(sim.url);
    const share = windows.length === 0 ? NaN : windows.reduce((a, b) => a + b, 0) / windows.length / APP_BUDGET;
    const throttled = {
      records: run.stored,
      seconds: run.seconds,
      requests: stats.graph.requests,
      windows,
      share,
      throttled429: stats.graph.throttled.total,
      maxPerApp: Math.max(0, ...Object.values(stats.graph.maxPerApp)),
      maxPerRecord: stats.graph.maxPerRecord.count,
      maxList: stats.graph.maxList,
    };
    return {
      settings,
      backfill: backfillCase,
      importRun: importCase,
      ratio: backfillCase.recordsPerSecond / importCase.recordsPerSecond,
      cpuRatio: importCase.cpuSeconds / backfillCase.cpuSeconds,
      throttled,
      load: [loadBefore, loadavg()[0]!],
    };
  } finally {
    await sim.stop();
  }
}

/** The "Graph collector" section of bench/RESULTS.md (without its heading). */
export function syncBenchMarkdown(r: SyncBenchResult, command: string): string {
  const n = (x: number, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  const t = r.throttled;
  const met = (ok: boolean) => (ok ? 'met' : '**missed**');
  return [
    `Command: \`${command}\`; 1-minute load average ${n(r.load[0], 2)} before, ${n(r.load[1], 2)} after, on 2 cores.`,
    '',
    '| Case | Figure | Baseline | Ratio | Target |',
    '| --- | --- | --- | --- | --- |',
    `| backfill of ${n(r.backfill.records)} records, \`--faults none\`, into empty SQLite | ${n(r.backfill.recordsPerSecond)} rec/s (${n(r.backfill.seconds, 1)} s, ${n(r.backfill.requests)} Graph requests) | \`callrecords import\` of the same NDJSON ${n(r.importRun.recordsPerSecond)} rec/s (${n(r.importRun.seconds, 1)} s) | ${n(r.ratio, 2)} | ≥ 0.5 ${met(r.ratio >= 0.5)} |`,
    `| the same, per CPU second (the simulator's CPU apart, as Graph's would be) | ${n(r.backfill.records / r.backfill.cpuSeconds)} rec/CPU-s (${n(r.backfill.cpuSeconds, 1)} CPU-s) | import ${n(r.importRun.records / r.importRun.cpuSeconds)} rec/CPU-s (${n(r.importRun.cpuSeconds, 1)} CPU-s) | ${n(r.cpuRatio, 2)} | ≥ 0.5 ${met(r.cpuRatio >= 0.5)} |`,
    `| backfill of ${n(t.records)} records, \`--faults 429\`: Graph requests per 20 s while the queue is not empty | ${t.windows.map((w) => n(w)).join(', ')} (mean ${n(t.share * APP_BUDGET)}) | per-app budget 1,500 / 20 s | ${n(t.share, 2)} | ≥ 0.8 ${met(t.share >= 0.8)} |`,
    '',
    `- The simulator (\`callrecords graph-simulator\`) runs as its own process on a file SQLite database; the collector ` +
      `(\`createCollector\` + \`backfill\` of 30 days, the queue worker at its defaults, 8 records at once) runs in ` +
      `the benchmark's process over HTTP to it, into a fresh SQLite file; the time runs from the start of the ` +
      `backfill until it has listed everything and the queue is empty. The import is the wall time of the ` +
      `\`callrecords import\` child (start-up included; its own figure without start-up: ${n(r.importRun.reported)} rec/s) ` +
      `of the simulator's \`/_simulator/records\` NDJSON. Each record costs the collector 2 requests (the record with ` +
      `sessions and segments, its participants), more for paged meetings, plus a List page per 60 records.`,
    `- Throttled: ${n(t.requests)} requests in ${n(t.seconds, 1)} s for ${n(t.records)} records; the simulator ` +
      `answered ${n(t.throttled429)} with 429; its busiest 20 s windows: app ${n(t.maxPerApp)} (limit 1,500), ` +
      `one record ${n(t.maxPerRecord)} (40), List ${n(t.maxList)} (40). Windows are the differences of the ` +
      `simulator's request counter polled every 20 s while the queue held work (a last partial window left out).`,
  ].join('\n');
}

if (process.argv[1]?.endsWith('sync-backfill.ts')) {
  const quick = process.env.BENCH_QUICK === '1';
  const settings = quick ? { records: 1000, throttledRecords: 1500 } : { records: 10_000, throttledRecords: 3000 };
  const workDir = mkdtempSync(join(tmpdir(), 'callrecords-bench-sync-'));
  try {
    const result = await runSyncBench(settings, workDir, (m) => process.stderr.write(`bench: ${m}\n`));
    const command = `${quick ? 'BENCH_QUICK=1 ' : ''}node --import tsx bench/sync-backfill.ts`;
    process.stdout.write(`${syncBenchMarkdown(result, command)}\n`);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}
