/**
 * The one way the benchmarks make data: `writeBenchNdjson` writes generated call records as NDJSON, and
 * `benchNdjson` keeps the files it wrote in a cache folder so that a second run does not generate them again.
 *
 * `realistic` records come from the generator behind `callrecords generate` (src/generate/: a seeded organisation,
 * every record's last version); the `small` and `large-call` shapes, which need a fixed form, from
 * bench/sample-data.ts. GENERATOR_SOURCES dates the cache.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateRecords } from '../src/generate/index.js';
import { sampleCallRecords, writeNdjson, type JsonObject, type NdjsonFile, type RecordShape } from './sample-data.js';

/**
 * What the records look like: `realistic` is what `callrecords generate` writes (peer-to-peer calls, phone calls,
 * group calls and meetings of a seeded organisation, about 41 KB per record on average), `small` peer-to-peer calls of one session whose segments carry no media (4 KB, still valid),
 * `large-call` group calls of LARGE_CALL_SESSIONS sessions.
 */
export type BenchShape = 'realistic' | 'small' | 'large-call';

/** Which records to write. */
export interface BenchData {
  records: number;
  shape: BenchShape;
  /** Default DEFAULT_BENCH_SEED. */
  seed?: number;
  /** Records of the same sequence left out before the first one written (a later part of one data set). */
  skip?: number;
}

/** The seed every benchmark uses. */
export const DEFAULT_BENCH_SEED = 20240301;

/** Sessions of a `large-call` record: over Graph's page of 60, so a full expand answers one page and a next link. */
export const LARGE_CALL_SESSIONS = 200;

/**
 * Where generated files (and the list benchmark's databases) are kept between runs: BENCH_DATA_DIR, or
 * `callrecords-bench-data` in the system's temporary folder. Delete it to start afresh.
 */
export const BENCH_DATA_DIR = process.env.BENCH_DATA_DIR ?? join(tmpdir(), 'callrecords-bench-data');

const GENERATOR_SOURCES = [
  ...['sample-data.ts', 'sample-media.ts', 'bench-data.ts'].map((f) => join(import.meta.dirname, f)),
  ...readdirSync(join(import.meta.dirname, '../src/generate'))
    .filter((f) => f.endsWith('.ts'))
    .sort()
    .map((f) => join(import.meta.dirname, '../src/generate', f)),
];

/** The window realistic calls start in: fixed, so that the same seed always gives the same bytes. */
const REALISTIC_FROM = new Date('2026-01-01T00:00:00Z');
const REALISTIC_DAYS = 90;

const SHAPES: Record<BenchShape, RecordShape> = {
  realistic: {},
  small: { sessions: 1, media: false },
  'large-call': { sessions: LARGE_CALL_SESSIONS },
};

/** A written file, with the range of its records' startDateTime (ISO text as generated). */
export interface BenchFile extends NdjsonFile {
  firstStart: string;
  lastStart: string;
}

/** Writes `data` to `path` as NDJSON: the one place benchmark records are generated. */
export async function writeBenchNdjson(path: string, data: BenchData): Promise<BenchFile> {
  let firstStart = '';
  let lastStart = '';
  const seed = data.seed ?? DEFAULT_BENCH_SEED;
  const records: Iterable<JsonObject> =
    data.shape === 'realistic'
      ? realisticRecords(data.records + (data.skip ?? 0), seed, data.skip ?? 0)
      : sampleCallRecords(data.records, seed, SHAPES[data.shape], data.skip);
  const file = await writeNdjson(
    path,
    (function* () {
      for (const record of records) {
        const start = String(record.startDateTime);
        if (firstStart === '' || start < firstStart) firstStart = start;
        if (start > lastStart) lastStart = start;
        yield record;
      }
    })(),
  );
  return { ...file, firstStart, lastStart };
}

/** Records `skip`… of `calls` generated calls (their last versions), as `callrecords generate` writes them. */
function* realisticRecords(calls: number, seed: number, skip: number): Generator<JsonObject> {
  let index = 0;
  for (const record of generateRecords({ calls, seed, from: REALISTIC_FROM, days: REALISTIC_DAYS, versions: false })) {
    if (index++ >= skip) yield record as JsonObject;
  }
}

/** A cached file and how long it took to get it (0 s when it came from the cache). */
export interface CachedBenchFile {
  file: BenchFile;
  seconds: number;
  cached: boolean;
}

/**
 * The NDJSON file of `data` from BENCH_DATA_DIR, written first when it is not there. The name carries a hash of the
 * generator's sources, so a changed generator never serves stale files; a file counts only once its description
 * (`.json` beside it) is written, so an interrupted run leaves nothing that looks complete.
 */
export async function benchNdjson(data: BenchData): Promise<CachedBenchFile> {
  const path = join(BENCH_DATA_DIR, `${benchDataKey(data)}.ndjson`);
  const meta = `${path}.json`;
  if (existsSync(meta) && existsSync(path)) {
    return { file: JSON.parse(readFileSync(meta, 'utf8')) as BenchFile, seconds: 0, cached: true };
  }
  mkdirSync(BENCH_DATA_DIR, { recursive: true });
  rmSync(meta, { force: true });
  const started = performance.now();
  const partial = `${path}.partial`;
  const file = { ...(await writeBenchNdjson(partial, data)), path };
  renameSync(partial, path);
  writeFileSync(meta, JSON.stringify(file));
  return { file, seconds: (performance.now() - started) / 1000, cached: false };
}

/** A name for `data` that changes whenever the generator's sources change. */
export function benchDataKey(data: BenchData): string {
  return `${data.shape}-s${data.seed ?? DEFAULT_BENCH_SEED}-from${data.skip ?? 0}-n${data.records}-${generatorHash()}`;
}

let hash: string | undefined;

function generatorHash(): string {
  if (hash === undefined) {
    const h = createHash('sha256');
    for (const source of GENERATOR_SOURCES) h.update(readFileSync(source));
    hash = h.digest('hex').slice(0, 10);
  }
  return hash;
}
