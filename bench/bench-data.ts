/**
 * The one way the benchmarks make data: `writeBenchNdjson` writes generated call records as NDJSON, and
 * `benchNdjson` keeps the files it wrote in a cache folder so that a second run does not generate them again.
 *
 * Every shape comes from the generator behind `callrecords generate` (src/generate/: a seeded organisation, every
 * record's last version); the fixed shapes are its `sessions` and `media` options. GENERATOR_SOURCES dates the cache.
 */
import { once } from 'node:events';
import { createHash } from 'node:crypto';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateRecords, type GenerateOptions } from '../src/generate/index.js';

/** A JSON object as the generator makes it. */
export type JsonObject = Record<string, unknown>;

/**
 * What the records look like: `realistic` is what `callrecords generate` writes (peer-to-peer calls, phone calls,
 * group calls and meetings of a seeded organisation, about 41 KB per record on average), `small` calls between two
 * people, one session whose segments carry no media (a few KB, still valid), `large-call` meetings of
 * LARGE_CALL_SESSIONS sessions.
 */
export type BenchShape = 'realistic' | 'small' | 'large-call';

/** Which records to write. */
export interface BenchData {
  records: number;
  shape: BenchShape;
  /** Default DEFAULT_BENCH_SEED. */
  seed?: number;
  /** 0-based positions of records whose startDateTime the written file reports (`startsAt`), in this order. */
  startsAt?: readonly number[];
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
  join(import.meta.dirname, 'bench-data.ts'),
  ...readdirSync(join(import.meta.dirname, '../src/generate'))
    .filter((f) => f.endsWith('.ts'))
    .sort()
    .map((f) => join(import.meta.dirname, '../src/generate', f)),
];

/** The window calls start in: fixed, so that the same seed always gives the same bytes. */
const FROM = new Date('2026-01-01T00:00:00Z');
const DAYS = 90;

/** The generator options of each shape. */
const SHAPES: Record<BenchShape, Pick<GenerateOptions, 'sessions' | 'media'>> = {
  realistic: {},
  small: { sessions: 1, media: false },
  'large-call': { sessions: LARGE_CALL_SESSIONS },
};

/** What writeNdjson wrote. */
export interface NdjsonFile {
  path: string;
  records: number;
  bytes: number;
}

/** A written file, with the range of its records' startDateTime (ISO text as generated). */
export interface BenchFile extends NdjsonFile {
  firstStart: string;
  lastStart: string;
  /** The startDateTime of the records at BenchData.startsAt (positions past the end left out). */
  startsAt: string[];
}

/** Writes `data` to `path` as NDJSON: the one place benchmark records are generated. */
export async function writeBenchNdjson(path: string, data: BenchData): Promise<BenchFile> {
  let firstStart = '';
  let lastStart = '';
  const wanted = new Map((data.startsAt ?? []).map((at, i) => [at, i]));
  const startsAt: string[] = [];
  const seed = data.seed ?? DEFAULT_BENCH_SEED;
  const options = { calls: data.records, seed, from: FROM, days: DAYS, versions: false, ...SHAPES[data.shape] };
  const file = await writeNdjson(
    path,
    (function* () {
      let index = 0;
      for (const record of generateRecords(options)) {
        const start = String(record.startDateTime);
        if (firstStart === '' || start < firstStart) firstStart = start;
        if (start > lastStart) lastStart = start;
        const slot = wanted.get(index++);
        if (slot !== undefined) startsAt[slot] = start;
        yield record;
      }
    })(),
  );
  return { ...file, firstStart, lastStart, startsAt: startsAt.filter((s) => s !== undefined) };
}

/** Writes records as NDJSON (one compact JSON object per line), streaming and respecting backpressure. */
async function writeNdjson(path: string, records: Iterable<JsonObject>): Promise<NdjsonFile> {
  const out = createWriteStream(path, { highWaterMark: 1 << 20 });
  let count = 0;
  let bytes = 0;
  try {
    for (const record of records) {
      const line = `${JSON.stringify(record)}\n`;
      count++;
      bytes += Buffer.byteLength(line);
      if (!out.write(line)) await once(out, 'drain');
    }
  } finally {
    out.end();
  }
  await once(out, 'finish');
  return { path, records: count, bytes };
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

/** A name for the records of `data` (not its `startsAt`) that changes whenever the generator's sources change. */
export function benchDataKey(data: BenchData): string {
  return `${data.shape}-s${data.seed ?? DEFAULT_BENCH_SEED}-n${data.records}-${generatorHash()}`;
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
