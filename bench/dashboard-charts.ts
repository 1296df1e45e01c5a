/**
 * The chart library comparison of issue 13: the same chart — the daily poor stream % of audio, video and screen
 * sharing over a year (3 series × 365 points, axes with units, a legend) — drawn by uPlot and by ECharts tree-shaken
 * to a line chart, grid, tooltip, legend and canvas renderer (bench/chart-pages/). Each page is bundled by esbuild
 * (minified, as the dashboard is) and served from a tiny local server, compressed as a browser asks; Chromium
 * loads it cold (a new browser context each time: empty cache) and the page marks `chart-drawn` when the library
 * says the chart is drawn. Reported: bundle bytes, their gzip size, bytes transferred, and navigation start → drawn.
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { pageTiming } from './page-timing.js';

/** The pages compared, each one entry point. */
const LIBRARIES = [
  { library: 'uPlot', packageName: 'uplot', entry: 'uplot-chart.ts' },
  { library: 'ECharts', packageName: 'echarts', entry: 'echarts-chart.ts' },
  // What a cold load of the page costs with no library: the figures above less this are the library's.
  { library: 'no chart (blank page)', packageName: undefined, entry: 'blank-page.ts' },
] as const;

/** What one library gave. */
export interface ChartLibraryCase {
  library: string;
  version: string;
  /** Minified bundle: script and stylesheet. */
  jsBytes: number;
  cssBytes: number;
  /** Page + script + stylesheet compressed as the dashboard's build does: gzip level 9, brotli quality 11. */
  gzipBytes: number;
  brotliBytes: number;
  /** Bytes transferred for the page and what it loaded (headers included), from Resource Timing; median. */
  transferredBytes: number;
  /** Navigation start → `chart-drawn` of each cold load, in milliseconds. */
  drawnMs: number[];
  medianDrawnMs: number;
  /** Navigation start → the page's own code starts (the library loaded and evaluated); median. */
  medianStartMs: number;
  /** The page's own code starts → drawn (data, options, the library's drawing); median. */
  medianDrawingMs: number;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** Bundles both pages and loads each `loads` times, cold, in `browser`. */
export async function runChartBench(browser: Browser, loads: number): Promise<ChartLibraryCase[]> {
  const cases: ChartLibraryCase[] = [];
  for (const lib of LIBRARIES) {
    const dir = mkdtempSync(join(tmpdir(), 'callrecords-chart-'));
    try {
      const { jsBytes, cssBytes } = await bundlePage(lib.entry, dir);
      const files = readdirSync(dir).map((f) => readFileSync(join(dir, f)));
      const gzipBytes = files.reduce((sum, body) => sum + gzip(body).length, 0);
      const brotliBytes = files.reduce((sum, body) => sum + brotli(body).length, 0);
      const server = await serveFolder(dir);
      try {
        const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
        const runs: { startMs: number; drawnMs: number; transferred: number }[] = [];
        for (let i = 0; i < loads; i++) runs.push(await coldLoad(browser, url));
        const drawnMs = runs.map((r) => round1(r.drawnMs));
        cases.push({
          library: lib.library,
          version: lib.packageName === undefined ? '' : packageVersion(lib.packageName),
          jsBytes,
          cssBytes,
          gzipBytes,
          brotliBytes,
          transferredBytes: median(runs.map((r) => r.transferred)),
          drawnMs,
          medianDrawnMs: median(drawnMs),
          medianStartMs: round1(median(runs.map((r) => r.startMs))),
          medianDrawingMs: round1(median(runs.map((r) => r.drawnMs - r.startMs))),
        });
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return cases;
}

/** Writes index.html, page.js and (when the page imports one) page.css into `dir`. */
async function bundlePage(entry: string, dir: string): Promise<{ jsBytes: number; cssBytes: number }> {
  await build({
    entryPoints: { page: join(import.meta.dirname, 'chart-pages', entry) },
    bundle: true,
    minify: true,
    format: 'esm',
    // As scripts/build-dashboard.mjs builds the dashboard.
    target: ['chrome110', 'firefox110', 'safari16'],
    legalComments: 'none',
    outdir: dir,
    logLevel: 'error',
  });
  const css = readdirSync(dir).includes('page.css');
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Poor streams per day</title><link rel="icon" href="data:,">' +
      (css ? '<link rel="stylesheet" href="page.css">' : '') +
      '<script type="module" src="page.js"></script></head>' +
      '<body><h1>Poor streams per day</h1><div id="chart"></div></body></html>',
  );
  return { jsBytes: statSync(join(dir, 'page.js')).size, cssBytes: css ? statSync(join(dir, 'page.css')).size : 0 };
}

/** A server of the files in `dir`, compressed as the dashboard's server sends them (brotli, else gzip, when asked). */
async function serveFolder(dir: string): Promise<Server> {
  const server = createServer((request, response) => {
    const name = request.url === '/' ? 'index.html' : (request.url ?? '').slice(1);
    if (!readdirSync(dir).includes(name)) {
      response.writeHead(404).end();
      return;
    }
    const body = readFileSync(join(dir, name));
    const accepted = String(request.headers['accept-encoding']);
    const encoding = /\bbr\b/.test(accepted) ? 'br' : /\bgzip\b/.test(accepted) ? 'gzip' : undefined;
    response.writeHead(200, {
      'content-type': MIME[extname(name)] ?? 'application/octet-stream',
      'cache-control': 'no-cache',
      ...(encoding === undefined ? {} : { 'content-encoding': encoding }),
    });
    response.end(encoding === 'br' ? brotli(body) : encoding === 'gzip' ? gzip(body) : body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** One load in a new browser context (nothing cached): navigation start → drawn, and the bytes transferred. */
async function coldLoad(
  browser: Browser,
  url: string,
): Promise<{ startMs: number; drawnMs: number; transferred: number }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    await page.waitForFunction(() => performance.getEntriesByName('chart-drawn').length > 0, undefined, {
      timeout: 30_000,
    });
    if (errors.length > 0) throw new Error(`${url}: ${errors.join('; ')}`);
    const { loads, marks } = await pageTiming(page);
    return {
      startMs: marks['chart-start']!,
      drawnMs: marks['chart-drawn']!,
      transferred: loads.reduce((sum, l) => sum + l.transferSize, 0),
    };
  } finally {
    await context.close();
  }
}

/** The markdown table of the comparison. */
export function chartBenchMarkdown(cases: readonly ChartLibraryCase[], loads: number): string {
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  const rows = cases.map(
    (c) =>
      `| ${c.library}${c.version === '' ? '' : ` ${c.version}`} | ${kb(c.jsBytes)} | ${kb(c.cssBytes)} | ${kb(c.gzipBytes)} | ${kb(c.brotliBytes)} | ` +
      `${kb(c.transferredBytes)} | ${c.medianDrawnMs.toFixed(0)} ms | ${c.medianStartMs.toFixed(0)} ms | ` +
      `${c.medianDrawingMs.toFixed(0)} ms | ${c.drawnMs.map((n) => n.toFixed(0)).join(', ')} |`,
  );
  return [
    `The same chart (3 series × 365 points, axes with units, legend; bench/chart-pages/) in each library, bundled by ` +
      `esbuild as the dashboard is (minified, ES modules, no legal comments), served compressed as the dashboard's server does (brotli when the browser asks for it, else gzip) from loopback, loaded cold in headless Chromium ${loads} times ` +
      `(median; each load a new browser context).`,
    '',
    '| Library | Script | Stylesheet | gzip -9 (all three) | brotli 11 (all three) | Transferred | Navigation → drawn | of which: library loaded | drawing | Each load: drawn (ms) |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

function packageVersion(name: string): string {
  const file = join(import.meta.dirname, '..', 'node_modules', name, 'package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

function gzip(body: Buffer): Buffer {
  return gzipSync(body, { level: 9 });
}

function brotli(body: Buffer): Buffer {
  return brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
}

/** The median of `values` (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** `n` rounded to one decimal. */
export function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
