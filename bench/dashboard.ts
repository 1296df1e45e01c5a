/**
 * The dashboard benchmark (issue 13, "Numbers for `npm run bench`"): the time to a rendered overview and its page
 * weight, on the demo tenant (what `npm start` loads) and on a large archive (bench/dashboard-data.ts: 1,000,000
 * records in the full run).
 *
 * For each archive the built CLI serves it (`callrecords serve --db …`, dist/), and headless Chromium
 * (test/helpers/browser.ts) opens `/overview` in a new browser context each time — its own empty cache and
 * connections, a cold load. Measured per load: navigation start → `performance.mark('first-chart')` (the dashboard
 * sets it when its first chart has drawn), navigation start → the last response of the page (the overview
 * complete), the bytes transferred (Resource Timing `transferSize` of the page and everything it loaded, headers
 * included) and the duration of each `/api` request, which says where the time goes. The first load after the server
 * starts is reported apart (a server's first queries read a cold SQLite page cache); the figures are the median of
 * the next `loads`.
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../src/clock.js';
import { loadDemoData } from '../src/cli/demo-data.js';
import { openDatabase } from '../src/storage/open-database.js';
import { launchBrowser, VIEWPORTS, watchedPage } from '../test/helpers/browser.js';
import type { Browser } from 'playwright-core';
import { startService } from './child.js';
import { dashboardData, type DashboardData } from './dashboard-data.js';
import { dashboardPostgresData } from './dashboard-data-postgres.js';
import { pageTiming } from './page-timing.js';
import { chartBenchMarkdown, median, round1, runChartBench, type ChartLibraryCase } from './dashboard-charts.js';

/** The issue's targets. */
export const TARGET_FIRST_CHART_MS = 1000;
export const TARGET_TRANSFERRED_BYTES = 500 * 1000;
/** Times each request of the overview is sent again alone. */
const ALONE_RUNS = 3;

/** What to run. */
export interface DashboardBenchOptions {
  /** Sizes of the generated archives besides the demo tenant, in records. */
  records: readonly number[];
  /** Also the largest size on PostgreSQL (its archive is built once, in the benchmark database). */
  postgres: boolean;
  /** Cold loads measured per archive (after one first load). */
  loads: number;
  workDir: string;
  log: (s: string) => void;
}

/** One `/api` request of a load. */
export interface ApiTiming {
  /** Path and parameters, without the period filter. */
  request: string;
  url: string;
  ms: number;
  bytes: number;
}

/** One cold load of the overview. */
export interface OverviewLoad {
  firstChartMs: number;
  /** Navigation start → the end of the last response. */
  completeMs: number;
  transferredBytes: number;
  requests: number;
  api: ApiTiming[];
}

/** One archive's figures. */
export interface DashboardCase {
  name: string;
  backend: 'sqlite' | 'postgres';
  records: number;
  streams: number;
  dbBytes: number;
  buildSeconds: number;
  cached: boolean;
  /** The page opened (path and query). */
  path: string;
  firstLoad: OverviewLoad;
  loads: OverviewLoad[];
  medianFirstChartMs: number;
  medianCompleteMs: number;
  medianTransferredBytes: number;
  /**
   * Each `/api` request of the page: its median duration in the loads (where it waits behind the others: the page
   * sends them together, and one server answers), and alone (sent again after the loads, one at a time, median of
   * ALONE_RUNS); slowest first.
   */
  apiMedians: { request: string; ms: number; aloneMs: number; bytes: number }[];
}

/** Everything the Dashboard section of RESULTS.md shows. */
export interface DashboardBenchResult {
  cases: DashboardCase[];
  charts: ChartLibraryCase[];
  loads: number;
  /** 1-minute load average before and after. */
  load: [number, number];
  /** When it ran (ISO). */
  date: string;
}

/** Runs the overview loads on every archive, then the chart library comparison, in one browser. */
export async function runDashboardBench(options: DashboardBenchOptions): Promise<DashboardBenchResult> {
  const loadBefore = loadavg()[0]!;
  const archives: { name: string; backend: 'sqlite' | 'postgres'; data: () => Promise<DashboardData> }[] = [
    { name: 'demo tenant', backend: 'sqlite', data: () => demoArchive(options.workDir, options.log) },
    ...options.records.map((n) => ({
      name: `${n.toLocaleString('en-US')} records`,
      backend: 'sqlite' as const,
      data: () => dashboardData(n, options.log),
    })),
  ];
  const largest = Math.max(...options.records);
  if (options.postgres && Number.isFinite(largest)) {
    archives.push({
      name: `${largest.toLocaleString('en-US')} records`,
      backend: 'postgres',
      data: () => dashboardPostgresData(largest, options.log),
    });
  }
  const browser = await launchBrowser();
  try {
    const cases: DashboardCase[] = [];
    for (const archive of archives) {
      const data = await archive.data();
      options.log(`dashboard: ${archive.name} (${archive.backend}), ${options.loads} cold loads of the overview`);
      cases.push(await measureArchive(browser, archive, data, options.loads));
    }
    options.log(`dashboard: chart libraries, ${options.loads} cold loads each`);
    const charts = await runChartBench(browser, options.loads);
    return { cases, charts, loads: options.loads, load: [loadBefore, loadavg()[0]!], date: new Date().toISOString() };
  } finally {
    await browser.close();
  }
}

/** The demo tenant as `npm start` loads it (dates up to now), in a new database in `workDir`. */
async function demoArchive(workDir: string, log: (s: string) => void): Promise<DashboardData> {
  const file = join(workDir, 'dashboard-demo.db');
  const started = performance.now();
  log('dashboard: loading the demo tenant');
  const db = await openDatabase(`sqlite:${file}`);
  try {
    const outcome = await loadDemoData(db, systemClock);
    if (!outcome.loaded) throw new Error('the demo database was not empty');
    const health = await db.meta.health();
    return {
      url: `sqlite:${file}`,
      file,
      records: health.records,
      streams: 0,
      bytes: 0,
      firstDay: outcome.from.slice(0, 10),
      lastDay: outcome.to.slice(0, 10),
      buildSeconds: (performance.now() - started) / 1000,
      cached: false,
    };
  } finally {
    await db.close();
  }
}

async function measureArchive(
  browser: Browser,
  archive: { name: string; backend: 'sqlite' | 'postgres' },
  data: DashboardData,
  loads: number,
): Promise<DashboardCase> {
  // The generated archives end on the day they were built: their last 30 days, as the overview shows by default.
  const path =
    archive.name === 'demo tenant' ? '/overview' : `/overview?from=${minusDays(data.lastDay, 30)}&to=${data.lastDay}`;
  const service = await startService(data.url);
  try {
    const firstLoad = await loadOverview(browser, `${service.url}${path}`);
    const measured: OverviewLoad[] = [];
    for (let i = 0; i < loads; i++) measured.push(await loadOverview(browser, `${service.url}${path}`));
    service.assertRunning();
    const streams = data.streams > 0 ? data.streams : await countStreams(service.url, data);
    return {
      name: archive.name,
      backend: archive.backend,
      records: data.records,
      streams,
      dbBytes: data.bytes,
      buildSeconds: data.buildSeconds,
      cached: data.cached,
      path,
      firstLoad,
      loads: measured,
      medianFirstChartMs: median(measured.map((l) => l.firstChartMs)),
      medianCompleteMs: median(measured.map((l) => l.completeMs)),
      medianTransferredBytes: median(measured.map((l) => l.transferredBytes)),
      apiMedians: await apiMedians(service.url, measured),
    };
  } finally {
    await service.stop();
  }
}

/** The demo's stream count, from the analytics API itself. */
async function countStreams(base: string, data: DashboardData): Promise<number> {
  const response = await fetch(`${base}/api/analytics?measures=streams&filter=date ge ${minusDays(data.firstDay, 1)}`);
  const body = (await response.json()) as { rows?: { streams?: number }[] };
  return body.rows?.[0]?.streams ?? 0;
}

/** One cold load: a new browser context, the page until its first chart and then until the network is idle. */
async function loadOverview(browser: Browser, url: string): Promise<OverviewLoad> {
  const { context, page, problems } = await watchedPage(browser, { viewport: VIEWPORTS.desktop });
  try {
    await page.goto(url);
    await page.waitForFunction(() => performance.getEntriesByName('first-chart').length > 0, undefined, {
      timeout: 120_000,
    });
    await page.waitForLoadState('networkidle', { timeout: 120_000 });
    if (problems.length > 0) throw new Error(`${url}: ${problems.join('; ')}`);
    const { loads, marks } = await pageTiming(page);
    const figures = {
      firstChartMs: marks['first-chart']!,
      completeMs: Math.max(...loads.map((l) => l.responseEnd)),
      transferredBytes: loads.reduce((sum, l) => sum + l.transferSize, 0),
      requests: loads.length,
      api: loads
        .filter((l) => new URL(l.url).pathname.startsWith('/api/'))
        .map((l) => ({ url: l.url, ms: l.duration, bytes: l.transferSize })),
    };
    return {
      ...figures,
      firstChartMs: round1(figures.firstChartMs),
      completeMs: round1(figures.completeMs),
      api: figures.api.map((a) => ({ request: requestLabel(a.url), url: a.url, ms: round1(a.ms), bytes: a.bytes })),
    };
  } finally {
    await context.close();
  }
}

/** `/api/analytics?measures=…&by=…` without the period (every overview request has the same one). */
function requestLabel(url: string): string {
  const u = new URL(url);
  const params = [...u.searchParams].filter(([k]) => k !== 'filter' && k !== 'from' && k !== 'to');
  const filter = u.searchParams.get('filter')?.replace(/\(?date ge \S+ and date lt \S+\)?( and )?/, '');
  if (filter !== undefined && filter !== '') params.push(['filter', filter]);
  return `${u.pathname}${params.length === 0 ? '' : `?${params.map(([k, v]) => `${k}=${v}`).join('&')}`}`;
}

async function apiMedians(
  base: string,
  loads: readonly OverviewLoad[],
): Promise<{ request: string; ms: number; aloneMs: number; bytes: number }[]> {
  const by = new Map<string, ApiTiming[]>();
  for (const load of loads) for (const a of load.api) by.set(a.request, [...(by.get(a.request) ?? []), a]);
  const medians = [];
  for (const [request, timings] of by) {
    const path = new URL(timings[0]!.url).pathname + new URL(timings[0]!.url).search;
    const alone: number[] = [];
    for (let i = 0; i < ALONE_RUNS; i++) {
      const started = performance.now();
      const response = await fetch(`${base}${path}`);
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`GET ${path}: ${response.status}`);
      alone.push(performance.now() - started);
    }
    medians.push({
      request,
      ms: median(timings.map((t) => t.ms)),
      aloneMs: round1(median(alone)),
      bytes: median(timings.map((t) => t.bytes)),
    });
  }
  return medians.sort((a, b) => b.ms - a.ms);
}

/** The "Dashboard" section of RESULTS.md (without its heading). */
export function dashboardMarkdown(r: DashboardBenchResult, run: { command: string; commit: string }): string {
  const kb = (n: number) => `${(n / 1000).toFixed(1)} kB`;
  const met = (ok: boolean) => (ok ? 'met' : '**missed**');
  const rows = r.cases.map(
    (c) =>
      `| ${c.name} (${c.backend === 'sqlite' ? 'SQLite' : 'PostgreSQL'}) | ${c.records.toLocaleString('en-US')} | ` +
      `${c.streams.toLocaleString('en-US')} | ${c.medianFirstChartMs.toFixed(0)} ms | ${c.medianCompleteMs.toFixed(0)} ms | ` +
      `${kb(c.medianTransferredBytes)} | ${c.firstLoad.firstChartMs.toFixed(0)} ms | ` +
      `${c.loads.map((l) => l.firstChartMs.toFixed(0)).join(', ')} | ` +
      `${met(c.medianFirstChartMs < TARGET_FIRST_CHART_MS)} / ${met(c.medianTransferredBytes < TARGET_TRANSFERRED_BYTES)} |`,
  );
  const requests = r.cases.map(
    (c) =>
      `**${c.name} (${c.backend === 'sqlite' ? 'SQLite' : 'PostgreSQL'})**, \`${c.path}\`:\n\n` +
      '| Request | In the page (median) | Alone (median) | Transferred |\n| --- | --- | --- | --- |\n' +
      c.apiMedians
        .map((a) => `| \`${a.request}\` | ${a.ms.toFixed(0)} ms | ${a.aloneMs.toFixed(0)} ms | ${kb(a.bytes)} |`)
        .join('\n'),
  );
  const archives = r.cases
    .filter((c) => c.name !== 'demo tenant')
    .map(
      (c) =>
        `${c.records.toLocaleString('en-US')} records on ${c.backend === 'sqlite' ? 'SQLite' : 'PostgreSQL'}: ` +
        `${(c.dbBytes / 1e9).toFixed(1)} GB, built in ${c.buildSeconds.toFixed(0)} s${c.cached ? ' (by an earlier run: cached)' : ''}`,
    );
  return [
    ARCHIVE_TEXT + (archives.length > 0 ? ` This run: ${archives.join('; ')}.` : ''),
    '',
    `Command: \`${run.command}\` (${r.date}, commit ${run.commit}); 1-minute load average ${r.load[0].toFixed(2)} before, ${r.load[1].toFixed(2)} after, on 2 cores. ` +
      `Each archive served by \`callrecords serve\` (dist/), \`/overview\` loaded cold in headless Chromium ` +
      `(a new browser context each load), ${r.loads} loads after a first one; medians. Targets (issue 13): first chart ` +
      `under ${TARGET_FIRST_CHART_MS} ms on 1M records, under ${TARGET_TRANSFERRED_BYTES / 1000} kB transferred.`,
    '',
    '| Archive | Records | Streams | First chart | Overview complete | Transferred | First load after start: first chart | Each load: first chart (ms) | Targets: time / weight |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    'Where the time goes: each request of the overview, its median duration in the page (the page sends them ' +
      'together and one server answers them, so a request also waits for the others) and alone (sent again after ' +
      'the loads, one at a time).',
    '',
    ...requests.flatMap((t) => [t, '']),
    '### Chart library',
    '',
    chartBenchMarkdown(r.charts, r.loads),
  ].join('\n');
}

/** What the archives hold, for the reader of RESULTS.md. */
const ARCHIVE_TEXT =
  'The demo tenant is loaded as `npm start --demo` loads it (3,000 calls of the last 30 days, every version). The ' +
  'large archive (bench/dashboard-data.ts) cannot hold 1M realistic records whole (about 40 KB each, 55 GB of ' +
  "`sessions` rows alone), so it keeps at full size what the dashboard reads: a template of the demo tenant's " +
  '3,000 calls (same seed, every version, the 28 days before the build) goes through the ingest service and is ' +
  'complete in every table; every other record is a copy of a template record under a new id, moved back by whole ' +
  "4-week steps over a year (about 2,700 calls a day), with the template's own rows in `call_records` (top-level " +
  'JSON with id and dates rewritten), `participants` and `streams` (all time columns moved) — about 14.5 streams a ' +
  'call. Copies have no `sessions` and no `record_versions` rows: the overview and the call search read the rollups ' +
  'and `streams`, the call detail reads one record (open a template record to see one whole). Indexes and rollups ' +
  'are rebuilt after the copies, so `callrecords serve --db` opens it as ingest would have left it.';

function minusDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}
