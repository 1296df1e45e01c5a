/**
 * The list benchmark: `GET /v1.0/communications/callRecords?$filter=startDateTime ge X and startDateTime lt Y`, a
 * window holding exactly two pages of records, so every answer is a full page of 60 with a next link. It runs on a
 * database of each size, smallest first, and asks whether a page costs more in a larger database.
 *
 * The database of each size is kept in the bench-data folder, so a second run starts the servers at once. A size
 * missing from it is generated and imported (`callrecords import`) into a new database; the windows are found while
 * the records are written, by their positions in start order (the generator's calls come in that order, and the
 * calls of a day cluster in working hours, so a window of fixed length would hold very different counts). The
 * records are `small` (bench-data.ts): what a list page reads is one range of the (start_key, id) index and 60 rows of call_records, whose stored JSON does not include the sessions, so
 * a page reads the same whether the sessions carry 40 KB of media or none; 1M realistic records would need about
 * 100 GB of disk (file and database), more than this machine has.
 */
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { BENCH_DATA_DIR, benchDataKey, writeBenchNdjson } from './bench-data.js';
import { runCli, startService, type ServerChild } from './child.js';
import { removeDatabase } from './import.js';

/** How to run the list benchmark. */
export interface ListBenchOptions {
  /** Database sizes in records, smallest first. */
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
  /** [from, to) of each window, at POSITIONS: the startDateTime of two records WINDOW_RECORDS apart. */
  windows: [string, string][];
}

/** Measures the list page at each database size, one server at a time. */
export async function runListBench(options: ListBenchOptions): Promise<ListBenchResult> {
  const cases: ListCase[] = [];
  for (const records of options.sizes) {
    const { db, meta, buildSeconds } = await databaseOf(records, options.workDir);
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
  workDir: string,
): Promise<{ db: string; meta: DbMeta; buildSeconds: number }> {
  const db = join(BENCH_DATA_DIR, `list-${benchDataKey({ records, shape: 'small' })}.db`);
  const metaFile = `${db}.json`;
  if (existsSync(metaFile) && existsSync(db)) {
    return { db, meta: JSON.parse(readFileSync(metaFile, 'utf8')) as DbMeta, buildSeconds: 0 };
  }
  const started = performance.now();
  removeDatabase(db);
  // Generated calls come in order of start time, so records i and i + WINDOW_RECORDS bound a window of that many.
  const firsts = POSITIONS.map((at) => Math.floor(at * (records - WINDOW_RECORDS - 1)));
  const startsAt = firsts.flatMap((i) => [i, i + WINDOW_RECORDS]);
  const path = join(workDir, `list-${records}.ndjson`);
  const file = await writeBenchNdjson(path, { records, shape: 'small', startsAt });
  const run = await runCli(['import', path, '--db', `sqlite:${db}`, '--no-progress']);
  rmSync(path, { force: true });
  if (run.code !== 0 || !run.stdout.includes(`inserted ${file.records},`)) {
    throw new Error(`import for the list benchmark failed:\n${run.stdout}${run.stderr.slice(0, 2000)}`);
  }
  if (file.startsAt.length !== startsAt.length)
    throw new Error(`the list benchmark needs over ${WINDOW_RECORDS} records`);
  const windows = firsts.map((_, k): [string, string] => [file.startsAt[2 * k]!, file.startsAt[2 * k + 1]!]);
  const meta: DbMeta = { records, windows };
  writeFileSync(metaFile, JSON.stringify(meta));
  return { db, meta, buildSeconds: (performance.now() - started) / 1000 };
}

async function measureSize(
  service: ServerChild,
  meta: DbMeta,
  options: ListBenchOptions & { dbBytes: number; buildSeconds: number },
): Promise<ListCase> {
  const { windows } = meta;
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
