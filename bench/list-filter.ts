/**
 * The list benchmark: `GET /v1.0/communications/callRecords?$filter=startDateTime ge X and startDateTime lt Y`, a
 * window holding about two pages of records, so every answer is a full page of 60 with a next link. It runs on one
 * database grown from the smallest size to the largest, and asks whether a page costs more in a larger database.
 *
 * The database of each size is kept in the bench-data folder, so a second run starts the servers at once. A size
 * missing from it is made from the next smaller one: a copy of its file, then `callrecords import` of the records
 * that follow in the same generated sequence. The records are `small` (bench-data.ts): what a list page reads is one
 * range of the (start_key, id) index and 60 rows of call_records, whose stored JSON does not include the sessions, so
 * a page reads the same whether the sessions carry 40 KB of media or none; 1M realistic records would need about
 * 100 GB of disk (file and database), more than this machine has.
 */
import { copyFileSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { BENCH_DATA_DIR, benchDataKey, writeBenchNdjson } from './bench-data.js';
import { runCli, startService, type ServerChild } from './child.js';
import { removeDatabase } from './import.js';

/** How to run the list benchmark. */
export interface ListBenchOptions {
  /** Database sizes in records, smallest first; each larger database holds the smaller one's records. */
  sizes: readonly number[];
  /** Seconds of each measured run (after a 1 s warm-up). */
  duration: number;
  /** Where the records to add are written (deleted after their import). */
  workDir: string;
}

/** What one database size gave. */
export interface ListCase {
  records: number;
  /** Size of the database file. */
  dbBytes: number;
  /** Seconds spent generating and importing the records this size added; 0 when it came from the cache. */
  buildSeconds: number;
  /** The windows' lower bounds, in the order they were requested. */
  windows: string[];
  /** Mean response body size. */
  responseBytes: number;
  requestsPerSecond: number;
  /** Latency percentiles in milliseconds (0.01 ms resolution). */
  p50: number;
  p99: number;
  requests: number;
}

/** The figures of the list benchmark. */
export interface ListBenchResult {
  cases: ListCase[];
  /** Records in a window: about two pages. */
  windowRecords: number;
}

/** Where in the data the windows sit: from near the oldest record to near the newest. */
const POSITIONS = [0.05, 0.27, 0.5, 0.73, 0.95];
const WINDOW_RECORDS = 120;
const PAGE = 60;

/** What the bench-data folder remembers of one database. */
interface DbMeta {
  records: number;
  firstStart: string;
  lastStart: string;
}

/** Grows the database through each size, measures the list page at each, and stops each server before growing. */
export async function runListBench(options: ListBenchOptions): Promise<ListBenchResult> {
  const cases: ListCase[] = [];
  let previous: { db: string; meta: DbMeta } | undefined;
  for (const records of options.sizes) {
    const { db, meta, buildSeconds } = await databaseOf(records, previous, options.workDir);
    previous = { db, meta };
    const service = await startService(`sqlite:${db}`);
    try {
      cases.push(await measureSize(service, meta, { ...options, dbBytes: statSync(db).size, buildSeconds }));
    } finally {
      await service.stop();
    }
  }
  return { cases, windowRecords: WINDOW_RECORDS };
}

async function databaseOf(
  records: number,
  previous: { db: string; meta: DbMeta } | undefined,
  workDir: string,
): Promise<{ db: string; meta: DbMeta; buildSeconds: number }> {
  const db = join(BENCH_DATA_DIR, `list-${benchDataKey({ records, shape: 'small' })}.db`);
  const metaFile = `${db}.json`;
  if (existsSync(metaFile) && existsSync(db)) {
    return { db, meta: JSON.parse(readFileSync(metaFile, 'utf8')) as DbMeta, buildSeconds: 0 };
  }
  const started = performance.now();
  removeDatabase(db);
  const from = previous?.meta.records ?? 0;
  if (previous !== undefined) {
    // The import leaves no WAL behind (it checkpoints), but copy one if a server left it.
    for (const suffix of ['', '-wal']) {
      if (existsSync(`${previous.db}${suffix}`)) copyFileSync(`${previous.db}${suffix}`, `${db}${suffix}`);
    }
  }
  const path = join(workDir, `list-${from}-${records}.ndjson`);
  const file = await writeBenchNdjson(path, { records: records - from, shape: 'small', skip: from });
  const run = await runCli(['import', path, '--db', `sqlite:${db}`, '--no-progress']);
  rmSync(path, { force: true });
  if (run.code !== 0 || !run.stdout.includes(`inserted ${file.records},`)) {
    throw new Error(`import for the list benchmark failed:\n${run.stdout}${run.stderr.slice(0, 2000)}`);
  }
  const meta: DbMeta = {
    records,
    firstStart: previous?.meta.firstStart ?? file.firstStart,
    lastStart: file.lastStart,
  };
  writeFileSync(metaFile, JSON.stringify(meta));
  return { db, meta, buildSeconds: (performance.now() - started) / 1000 };
}

async function measureSize(
  service: ServerChild,
  meta: DbMeta,
  options: ListBenchOptions & { dbBytes: number; buildSeconds: number },
): Promise<ListCase> {
  const windows = windowsOf(meta);
  const paths = windows.map(
    ([from, to]) =>
      '/v1.0/communications/callRecords?$filter=' +
      encodeURIComponent(`startDateTime ge ${from} and startDateTime lt ${to}`),
  );
  let bodyBytes = 0;
  for (const path of paths) {
    const response = await fetch(`${service.url}${path}`);
    const bytes = Buffer.from(await response.arrayBuffer());
    const body = JSON.parse(bytes.toString('utf8')) as { value?: unknown[]; '@odata.nextLink'?: string };
    bodyBytes += bytes.length;
    if (response.status !== 200 || body.value?.length !== PAGE || body['@odata.nextLink'] === undefined) {
      throw new Error(`GET ${path}: status ${response.status}, ${body.value?.length} records, no full page`);
    }
  }
  await timedLoad(service.url, paths, 1);
  const figures = await timedLoad(service.url, paths, options.duration);
  service.assertRunning();
  return {
    records: meta.records,
    dbBytes: options.dbBytes,
    buildSeconds: options.buildSeconds,
    windows: windows.map(([from]) => from),
    responseBytes: bodyBytes / paths.length,
    ...figures,
  };
}

/** Windows of about WINDOW_RECORDS records' time each, at POSITIONS of the data's time span. */
function windowsOf(meta: DbMeta): [string, string][] {
  const first = Date.parse(meta.firstStart);
  const span = Date.parse(meta.lastStart) - first;
  const length = (span / (meta.records - 1)) * WINDOW_RECORDS;
  return POSITIONS.map((at) => {
    const from = first + Math.floor(at * (span - length));
    return [new Date(from).toISOString(), new Date(from + length).toISOString()];
  });
}

/**
 * One connection, one request at a time, the paths in turn, for `seconds`: each latency is one request's own cost
 * (no queueing behind other connections), timed with performance.now(). autocannon rounds latencies to whole
 * milliseconds, too coarse for pages that take a few.
 */
async function timedLoad(
  base: string,
  paths: readonly string[],
  seconds: number,
): Promise<Pick<ListCase, 'requestsPerSecond' | 'p50' | 'p99' | 'requests'>> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const url = new URL(base);
  const latencies: number[] = [];
  const started = performance.now();
  const end = started + seconds * 1000;
  try {
    for (let i = 0; performance.now() < end; i++) {
      const sent = performance.now();
      const status = await get(agent, url, paths[i % paths.length]!);
      if (status !== 200) throw new Error(`GET ${paths[i % paths.length]}: status ${status}`);
      latencies.push(performance.now() - sent);
    }
  } finally {
    agent.destroy();
  }
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => round2(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!);
  return { requestsPerSecond: latencies.length / elapsed, p50: at(0.5), p99: at(0.99), requests: latencies.length };
}

function get(agent: Agent, base: URL, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ agent, host: base.hostname, port: base.port, path }, (response) => {
      response.on('data', () => {});
      response.on('end', () => resolve(response.statusCode ?? 0));
      response.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
