/**
 * The PostgreSQL import benchmark: `callrecords import` of a generated NDJSON file into an empty PostgreSQL schema,
 * against a raw COPY of the very rows that import writes (the same four tables, the same partitions, indexes and
 * column compression, built by the same migration) — the floor of any bulk load into that schema. The raw rows are
 * prepared before the clock starts (parse, validate, cut, brotli for the history), so the floor is the database's
 * cost alone; the import pays for everything.
 */
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { validateCallRecord } from '../src/domain/validate.js';
import { toRecordWrite } from '../src/service/record-fragments.js';
import { copyLine, type CopyValue } from '../src/storage/postgres/copy-rows.js';
import { RECORD_TABLES } from '../src/storage/record-tables.js';
import { PostgresStore } from '../src/storage/postgres/postgres-store.js';
import type { RecordWrite } from '../src/storage/store.js';
import { runCli } from './child.js';
import type { NdjsonFile } from './bench-data.js';

/** The server the benchmark uses (the one this machine kind runs unless told otherwise). */
export const BENCH_POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

type Table = (typeof RECORD_TABLES)[number]['name'];
const TABLES: readonly Table[] = RECORD_TABLES.map((t) => t.name);
const COLUMNS = Object.fromEntries(RECORD_TABLES.map((t) => [t.name, t.columns])) as Record<Table, readonly string[]>;
const RECEIVED_AT = '2026-01-01T00:00:00.000Z';

/** One timed pass. */
export interface PostgresPass {
  seconds: number;
  recordsPerSecond: number;
  mbPerSecond: number;
}

/** The figures of the PostgreSQL import case. */
export interface PostgresImportCase {
  file: NdjsonFile;
  /** `callrecords import --db postgres://…`, spawn to exit. */
  importRun: PostgresPass;
  /** COPY of the prepared rows into a fresh, migrated schema, one COPY per table in one transaction. */
  rawCopy: PostgresPass;
  /** Bytes of COPY text the floor sent. */
  copyBytes: number;
  /** importRun.recordsPerSecond / rawCopy.recordsPerSecond. */
  ratio: number;
  allRuns: { importRun: number[]; rawCopy: number[] };
}

/** Whether the benchmark's PostgreSQL answers. */
export async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: BENCH_POSTGRES_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

/** Runs the import and the raw COPY `runs` times each, interleaved; the best of each counts. */
export async function runPostgresImportBench(
  file: NdjsonFile,
  workDir: string,
  runs: number,
): Promise<PostgresImportCase> {
  const prepared = await prepareCopyFiles(file, workDir);
  const importRuns: number[] = [];
  const copyRuns: number[] = [];
  for (let run = 0; run < runs; run++) {
    copyRuns.push(await rawCopyOnce(prepared, `cr_bench_copy_${process.pid}_${run}`));
    importRuns.push(await importOnce(file, `cr_bench_import_${process.pid}_${run}`));
  }
  const pass = (seconds: number): PostgresPass => ({
    seconds,
    recordsPerSecond: file.records / seconds,
    mbPerSecond: file.bytes / 1e6 / seconds,
  });
  const importRun = pass(Math.min(...importRuns));
  const rawCopy = pass(Math.min(...copyRuns));
  return {
    file,
    importRun,
    rawCopy,
    copyBytes: prepared.bytes,
    ratio: importRun.recordsPerSecond / rawCopy.recordsPerSecond,
    allRuns: { importRun: importRuns, rawCopy: copyRuns },
  };
}

/** The COPY text of every table, in files, and one record of each month (to make its partitions). */
interface PreparedCopy {
  files: Record<Table, string>;
  monthSamples: RecordWrite[];
  bytes: number;
}

/** Parses, validates and cuts every record as the import does, and writes the rows it would COPY to files. */
async function prepareCopyFiles(file: NdjsonFile, workDir: string): Promise<PreparedCopy> {
  const files = Object.fromEntries(TABLES.map((t) => [t, join(workDir, `copy-${t}.txt`)])) as Record<Table, string>;
  const streams = Object.fromEntries(TABLES.map((t) => [t, createWriteStream(files[t])])) as Record<Table, WriteStream>;
  const months = new Map<string, RecordWrite>();
  let bytes = 0;
  const write = async (table: Table, rows: CopyValue[][]) => {
    for (const row of rows) {
      const line = copyLine(row);
      bytes += Buffer.byteLength(line);
      if (!streams[table].write(line)) await once(streams[table], 'drain');
    }
  };
  const lines = createInterface({
    input: createReadStream(file.path, { highWaterMark: 1 << 20 }),
    crlfDelay: Infinity,
  });
  for await (const line of lines) {
    if (line === '') continue;
    const result = validateCallRecord(JSON.parse(line));
    if (!result.ok) throw new Error(`a benchmark record is invalid: ${JSON.stringify(result.errors[0])}`);
    const record = toRecordWrite(result.record, result.hasEvolvableMembers);
    const month = record.startKey.slice(0, 7);
    if (!months.has(month)) months.set(month, record);
    for (const table of RECORD_TABLES)
      await write(table.name, table.rows(record, { receivedAt: RECEIVED_AT, startKey: record.startKey }));
  }
  await Promise.all(TABLES.map((t) => new Promise((resolve) => streams[t].end(resolve))));
  return { files, monthSamples: [...months.values()], bytes };
}

/**
 * A fresh schema migrated by the store itself, its monthly partitions made by writing one record per month and
 * emptying the tables again; then, timed: the four COPYs in one transaction.
 */
async function rawCopyOnce(prepared: PreparedCopy, schema: string): Promise<number> {
  const url = `${BENCH_POSTGRES_URL}?schema=${schema}`;
  const store = await PostgresStore.open(url);
  await store.write(prepared.monthSamples, RECEIVED_AT);
  await store.close();
  const client = new pg.Client({ connectionString: BENCH_POSTGRES_URL, options: `-c search_path=${schema}` });
  await client.connect();
  try {
    await client.query(`truncate ${TABLES.join(', ')}`);
    await client.query('checkpoint');
    const started = performance.now();
    await client.query('begin');
    for (const table of TABLES) {
      const copy = client.query(copyFrom(`copy ${table} (${COLUMNS[table].join(', ')}) from stdin`));
      await pipeline(createReadStream(prepared.files[table], { highWaterMark: 1 << 20 }), copy);
    }
    await client.query('commit');
    return (performance.now() - started) / 1000;
  } finally {
    await client.query(`drop schema ${schema} cascade`);
    await client.end();
  }
}

/** Drops a schema the benchmark made, with everything in it. */
export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: BENCH_POSTGRES_URL });
  await client.connect();
  try {
    await client.query(`drop schema if exists ${schema} cascade`);
  } finally {
    await client.end();
  }
}

/** `callrecords import` into a fresh schema (created and migrated by the import itself, as a user's first run). */
async function importOnce(file: NdjsonFile, schema: string): Promise<number> {
  const url = `${BENCH_POSTGRES_URL}?schema=${schema}`;
  const before = new pg.Client({ connectionString: BENCH_POSTGRES_URL });
  await before.connect();
  await before.query('checkpoint');
  await before.end();
  try {
    const run = await runCli(['import', file.path, '--db', url, '--no-progress']);
    const inserted = /inserted (\d+)/.exec(run.stdout)?.[1];
    if (run.code !== 0 || inserted !== String(file.records)) {
      throw new Error(`PostgreSQL import failed (exit ${run.code}):\n${run.stdout}${run.stderr.slice(0, 2000)}`);
    }
    return run.seconds;
  } finally {
    await dropSchema(schema);
  }
}
