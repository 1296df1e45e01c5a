/**
 * The import benchmark: `callrecords import` of a generated NDJSON file into an empty SQLite database, against the
 * floor any NDJSON importer has to pay in Node — reading the same file line by line and JSON.parse-ing each line.
 * Each measurement runs several times (interleaved) and the best run counts.
 */
import { createReadStream, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { benchNdjson, type BenchFile } from './bench-data.js';
import { runCli } from './child.js';
import { PROFILE_BELOW_RATIO, summariseProfileDir, type ProfileSummary } from './cpu-profile.js';
import type { NdjsonFile } from './bench-data.js';

/** How to run the import benchmark. */
export interface ImportBenchOptions {
  /** One case per entry: records in the generated file, and runs of each measurement (the best counts). */
  sizes: readonly { records: number; runs: number }[];
  /** Where the databases go (a fresh temporary folder); the files come from the bench-data cache. */
  workDir: string;
  /** Records of the profiled import (a prefix of the same data); 0 for no profile. */
  profileRecords: number;
}

/** One measured pass over the file. */
export interface Pass {
  seconds: number;
  recordsPerSecond: number;
  mbPerSecond: number;
}

/** The figures of one import case. */
export interface ImportCase {
  file: BenchFile;
  /** Seconds spent generating the file; 0 when it came from the cache. */
  generateSeconds: number;
  /** Best parse-only pass (in this process, after a warm-up pass). */
  parse: Pass;
  /** Best `callrecords import` run, timed from spawn to exit. */
  importRun: Pass;
  /** The records/s the CLI printed for the same run (it leaves out start-up and opening the database). */
  importReportedRate: number;
  /** The highest peak RSS of the import child over its runs, in bytes. */
  peakRssBytes: number;
  /** importRun.recordsPerSecond / parse.recordsPerSecond. */
  ratio: number;
  allRuns: { parse: number[]; importRun: number[] };
}

/** The figures of the import benchmark. */
export interface ImportBenchResult {
  cases: ImportCase[];
  /** Best wall time of importing an empty file: process start-up, opening and migrating the database. */
  fixedSeconds: number;
  profile?: { records: number; summary: ProfileSummary } | undefined;
}

/** Measures parse-only and import runs for each size, and profiles the import when it is far off the floor. */
export async function runImportBench(options: ImportBenchOptions): Promise<ImportBenchResult> {
  const { workDir } = options;
  const cases: ImportCase[] = [];
  for (const size of options.sizes) cases.push(await importCase(workDir, size.records, size.runs));

  const emptyFile = join(workDir, 'empty.ndjson');
  writeFileSync(emptyFile, '');
  const fixed: number[] = [];
  for (let run = 0; run < 2; run++) {
    fixed.push((await importOnce({ path: emptyFile, records: 0, bytes: 0 }, join(workDir, `empty-${run}.db`))).seconds);
  }
  let profile: ImportBenchResult['profile'];
  if (options.profileRecords > 0 && cases.some((c) => c.ratio < PROFILE_BELOW_RATIO)) {
    profile = await profileImport(workDir, options.profileRecords);
  }
  return { cases, fixedSeconds: Math.min(...fixed), profile };
}

async function importCase(workDir: string, records: number, runs: number): Promise<ImportCase> {
  const { file, seconds: generateSeconds } = await benchNdjson({ records, shape: 'realistic' });
  await parseOnly(file); // warm-up: JIT and the page cache
  const parseRuns: number[] = [];
  const importRuns: ImportRun[] = [];
  for (let run = 0; run < runs; run++) {
    parseRuns.push(await parseOnly(file));
    importRuns.push(await importOnce(file, join(workDir, `import-${run}.db`)));
  }
  const bestImport = importRuns.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  const parse = pass(file, Math.min(...parseRuns));
  const importRun = pass(file, bestImport.seconds);
  return {
    file,
    generateSeconds,
    parse,
    importRun,
    importReportedRate: bestImport.reported,
    peakRssBytes: Math.max(...importRuns.map((r) => r.peakRssBytes)),
    ratio: importRun.recordsPerSecond / parse.recordsPerSecond,
    allRuns: { parse: parseRuns, importRun: importRuns.map((r) => r.seconds) },
  };
}

/** Reads the file line by line and parses every line; resolves to the seconds it took. */
async function parseOnly(file: NdjsonFile): Promise<number> {
  const started = performance.now();
  const lines = createInterface({
    input: createReadStream(file.path, { highWaterMark: 1 << 20 }),
    crlfDelay: Infinity,
  });
  let objects = 0;
  for await (const line of lines) {
    if (line === '') continue;
    const value: unknown = JSON.parse(line);
    if (typeof value === 'object' && value !== null) objects++;
  }
  const seconds = (performance.now() - started) / 1000;
  if (objects !== file.records) throw new Error(`parse-only read ${objects} objects, expected ${file.records}`);
  return seconds;
}

/** One `callrecords import` run. */
export interface ImportRun {
  seconds: number;
  /** The records/s the CLI printed. */
  reported: number;
  peakRssBytes: number;
  peakRssSource: 'time' | 'proc';
}

/** Runs `callrecords import` into a new database; checks that every record was inserted and none rejected. */
export async function importOnce(file: NdjsonFile, db: string, nodeArgs: readonly string[] = []): Promise<ImportRun> {
  removeDatabase(db);
  const run = await runCli(['import', file.path, '--db', `sqlite:${db}`, '--no-progress'], nodeArgs);
  removeDatabase(db);
  const inserted = /inserted (\d+)/.exec(run.stdout)?.[1];
  const rejected = /rejected (\d+)/.exec(run.stdout)?.[1];
  if (run.code !== 0 || rejected !== '0' || inserted !== String(file.records)) {
    const errors = run.stderr.split('\n').slice(0, 5).join('\n');
    throw new Error(`import of ${file.path} failed (exit ${run.code}):\n${run.stdout}${errors}`);
  }
  const reported = Number(/\((\d+) records\/s\)/.exec(run.stdout)?.[1] ?? NaN);
  return { seconds: run.seconds, reported, peakRssBytes: run.peakRssBytes, peakRssSource: run.peakRssSource };
}

/** Imports a prefix of the same data under `node --cpu-prof` and summarises the profile. */
async function profileImport(workDir: string, records: number): Promise<ImportBenchResult['profile']> {
  const { file } = await benchNdjson({ records, shape: 'realistic' });
  const dir = join(workDir, 'import-profile');
  mkdirSync(dir, { recursive: true });
  await importOnce(file, join(workDir, 'profile.db'), ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
  return { records, summary: summariseProfileDir(dir) };
}

function pass(file: NdjsonFile, seconds: number): Pass {
  return { seconds, recordsPerSecond: file.records / seconds, mbPerSecond: file.bytes / 1e6 / seconds };
}

/** Deletes a SQLite database and its WAL files. */
export function removeDatabase(db: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${db}${suffix}`, { force: true });
}
