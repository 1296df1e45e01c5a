/**
 * The read benchmark: `GET /v1.0/communications/callRecords/{id}?$expand=sessions($expand=segments)` against the
 * real server, and the same bytes served by a plain `node:http` server — the floor for any Node HTTP service sending
 * that response. Both run as child processes; autocannon drives each with a fixed number of connections.
 */
import autocannon from 'autocannon';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchNdjson, DEFAULT_BENCH_SEED } from './bench-data.js';
import { freePort, runCli, startHttpChild, startService, type ServerChild } from './child.js';
import { PROFILE_BELOW_RATIO, summariseProfileDir, type ProfileSummary } from './cpu-profile.js';
import type { JsonObject } from './bench-data.js';

/** How to run the read benchmark. */
export interface GetBenchOptions {
  /** Records in the database (one of them has LARGE_CALL_SESSIONS sessions). */
  records: number;
  /** Seconds of each measured load run (after a 1 s warm-up). */
  duration: number;
  connections: number;
  workDir: string;
  /** Seconds of load on the profiled server; 0 for no profile. */
  profileSeconds: number;
  /** The database the server reads (empty at the start): default a new SQLite file in workDir. */
  dbUrl?: string;
}

/** What autocannon measured against one server. */
export interface LoadFigures {
  requestsPerSecond: number;
  /** Latency percentiles in milliseconds. */
  p50: number;
  p99: number;
  /** Response bytes (headers included) per second, in MB/s. */
  mbPerSecond: number;
  requests: number;
}

/** One record fetched with full expand, against both servers. */
export interface GetCase {
  name: string;
  sessions: number;
  /** Sessions in the response (a page holds at most 60). */
  sessionsInResponse: number;
  responseBytes: number;
  service: LoadFigures;
  plain: LoadFigures;
  /** Fastify sending the same bytes (bench/fastify-static.ts): the floor of the framework the service runs on. */
  fastify: LoadFigures;
  /** service.requestsPerSecond / plain.requestsPerSecond. */
  ratio: number;
}

/** The figures of the read benchmark. */
export interface GetBenchResult {
  cases: GetCase[];
  /** One profile per case whose ratio is under PROFILE_BELOW_RATIO (none when profiling is off). */
  profiles: GetProfile[];
}

/** A CPU profile of the server under one case's load (the load run includes its 1 s warm-up). */
export interface GetProfile {
  seconds: number;
  caseName: string;
  summary: ProfileSummary;
}

const TYPICAL_SESSIONS = 10;
const EXPAND = '?$expand=sessions($expand=segments)';
const STATIC_SERVER = join(import.meta.dirname, 'static-server.ts');
const FASTIFY_STATIC_SERVER = join(import.meta.dirname, 'fastify-static.ts');

/** Imports the data set, starts the servers, and measures both cases. */
export async function runGetBench(options: GetBenchOptions): Promise<GetBenchResult> {
  const { workDir } = options;
  // The first records of the import benchmark's data, and one large call (its own seed, so its ids are its own).
  const common = await benchNdjson({ records: options.records - 1, shape: 'realistic' });
  const largeCall = await benchNdjson({ records: 1, shape: 'large-call', seed: DEFAULT_BENCH_SEED + 1 });
  const typical = closestGroupCall(readNdjson(common.file.path), TYPICAL_SESSIONS);
  const large = readNdjson(largeCall.file.path)[0]!;

  const db = options.dbUrl ?? `sqlite:${join(workDir, 'get.db')}`;
  for (const { file } of [common, largeCall]) {
    const imported = await runCli(['import', file.path, '--db', db, '--no-progress']);
    if (imported.code !== 0 || !imported.stdout.includes(`inserted ${file.records},`)) {
      throw new Error(`import for the GET benchmark failed:\n${imported.stdout}${imported.stderr}`);
    }
  }

  const measured: [GetCase, JsonObject][] = [];
  const service = await startService(db);
  try {
    for (const [name, record] of [
      ['typical group call', typical],
      ['large call', large],
    ] as const) {
      measured.push([await measureCase(options, service, name, record), record]);
    }
  } finally {
    await service.stop();
  }

  const profiles: GetProfile[] = [];
  for (const [getCase, record] of measured) {
    if (options.profileSeconds <= 0 || getCase.ratio >= PROFILE_BELOW_RATIO) continue;
    const dir = join(workDir, `serve-profile-${profiles.length}`);
    mkdirSync(dir, { recursive: true });
    const profiled = await startService(db, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
    try {
      await load(recordUrl(profiled, record), { ...options, duration: options.profileSeconds });
    } finally {
      await profiled.stop();
    }
    profiles.push({ seconds: options.profileSeconds, caseName: getCase.name, summary: summariseProfileDir(dir) });
  }
  return { cases: measured.map(([c]) => c), profiles };
}

async function measureCase(
  options: GetBenchOptions,
  service: ServerChild,
  name: string,
  record: JsonObject,
): Promise<GetCase> {
  const url = recordUrl(service, record);
  service.assertRunning();
  const response = await fetch(url);
  const body = Buffer.from(await response.arrayBuffer());
  const contentType = response.headers.get('content-type') ?? '';
  const sessions = (record.sessions as unknown[]).length;
  const served = JSON.parse(body.toString('utf8')) as { sessions?: unknown[]; 'sessions@odata.nextLink'?: string };
  const sessionsInResponse = served.sessions?.length ?? 0;
  if (response.status !== 200 || sessionsInResponse !== Math.min(sessions, 60)) {
    throw new Error(`GET ${url}: status ${response.status}, ${sessionsInResponse} sessions of ${sessions}`);
  }
  if (sessions > 60 && served['sessions@odata.nextLink'] === undefined) throw new Error(`GET ${url}: no next link`);

  const bodyFile = join(options.workDir, `body-${String(record.id)}.json`);
  writeFileSync(bodyFile, body);
  const floors: Record<'plain' | 'fastify', LoadFigures> = {} as Record<'plain' | 'fastify', LoadFigures>;
  // The service first, then each floor, one server at a time so that they do not share the cores.
  const serviceFigures = await load(url, options);
  service.assertRunning();
  for (const [key, script] of [
    ['plain', STATIC_SERVER],
    ['fastify', FASTIFY_STATIC_SERVER],
  ] as const) {
    const port = await freePort();
    const floor = await startHttpChild({
      nodeArgs: ['--import', import.meta.resolve('tsx')],
      script,
      args: [bodyFile, contentType, String(port)],
      url: `http://127.0.0.1:${port}`,
      readyPath: '/',
    });
    try {
      const same = await fetch(floor.url);
      if (!Buffer.from(await same.arrayBuffer()).equals(body) || same.headers.get('content-type') !== contentType) {
        throw new Error(`the ${key} floor does not send the same bytes and content type`);
      }
      floors[key] = await load(`${floor.url}${new URL(url).pathname}${EXPAND}`, options);
    } finally {
      await floor.stop();
    }
  }
  return {
    name: `GET full expand, ${name}: ${sessions} sessions${sessions > 60 ? ', first page of 60' : ''}`,
    sessions,
    sessionsInResponse,
    responseBytes: body.length,
    service: serviceFigures,
    plain: floors.plain,
    fastify: floors.fastify,
    ratio: serviceFigures.requestsPerSecond / floors.plain.requestsPerSecond,
  };
}

/** A 1 s warm-up, then the measured run; any error or non-2xx answer fails the benchmark. */
async function load(url: string, options: Pick<GetBenchOptions, 'duration' | 'connections'>): Promise<LoadFigures> {
  await autocannon({ url, connections: options.connections, duration: 1 });
  const result = await autocannon({ url, connections: options.connections, duration: options.duration });
  if (result.errors > 0 || result.timeouts > 0 || result.non2xx > 0) {
    throw new Error(`${url}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx`);
  }
  return {
    requestsPerSecond: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    mbPerSecond: result.throughput.total / 1e6 / result.duration,
    requests: result.requests.total,
  };
}

function recordUrl(server: ServerChild, record: JsonObject): string {
  return `${server.url}/v1.0/communications/callRecords/${String(record.id)}${EXPAND}`;
}

function readNdjson(path: string): JsonObject[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as JsonObject);
}

/** The group call whose session count is closest to `sessions` (the first such record). */
function closestGroupCall(records: readonly JsonObject[], sessions: number): JsonObject {
  const groupCalls = records.filter((r) => r.type === 'groupCall');
  const distance = (r: JsonObject) => Math.abs((r.sessions as unknown[]).length - sessions);
  const best = groupCalls.reduce<JsonObject | undefined>(
    (a, r) => (a === undefined || distance(r) < distance(a) ? r : a),
    undefined,
  );
  if (best === undefined) throw new Error('the data set has no group call');
  return best;
}
