/**
 * The analytics benchmark's data: `streams` generated stream rows, the same rows in SQLite, PostgreSQL and DuckDB.
 *
 * Rows come from the generator (src/generate) through the stream table's own derivation (src/analytics/stream-rows.ts,
 * CQD's current rules, a building file covering all but one of the generated office subnets): a template of a few
 * thousand records' streams is repeated under new call ids, each copy moved by whole 4-week steps over a year (newest
 * first), so
 * the rows are realistic in every column and 10 million of them take minutes, not the hours 500,000 generated
 * records would. The stores are loaded in bulk with the rollup triggers off and the rollups rebuilt after (the state
 * the triggers keep, as test/store-analytics.test.ts checks); the databases are kept in BENCH_DATA_DIR.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { DuckDBInstance } from '@duckdb/node-api';
import pg from 'pg';
import { parseBuildingFile } from '../src/analytics/building-file.js';
import { BuildingMap } from '../src/analytics/building-map.js';
import { CURRENT_RULES } from '../src/analytics/rule-sets.js';
import { STREAM_COLUMN_NAMES } from '../src/analytics/stream-columns.js';
import { streamRowsOfWrite } from '../src/analytics/stream-rows.js';
import { validateCallRecord } from '../src/domain/validate.js';
import { generateRecords } from '../src/generate/index.js';
import { toRecordWrite } from '../src/service/record-fragments.js';
import { openDatabase } from '../src/storage/open-database.js';
import { copyRows } from '../src/storage/postgres/copy-rows.js';
import { MonthlyPartitions } from '../src/storage/postgres/partitions.js';
import { ROLLUPS } from '../src/storage/sql/analytics-columns.js';
import { rollupRebuild, SQLITE_DIRTY_DDL, SQLITE_DIRTY_TRIGGERS } from '../src/storage/sql/rollup-ddl.js';
import { BENCH_DATA_DIR } from './bench-data.js';
import { BENCH_POSTGRES_URL } from './postgres-import.js';

type Row = (string | number | null)[];

const TEMPLATE_CALLS = 3000;
const STEP_DAYS = 28;
const STEPS = 13;
const FROM = new Date('2026-01-01T00:00:00Z');
const START = STREAM_COLUMN_NAMES.indexOf('start_key');
const ID = STREAM_COLUMN_NAMES.indexOf('record_id');

/** The generated sites' subnets are 10.<10 + 10 s>.<4 k + 0…3>.0 (src/generate/directory.ts): one /22 building each. */
function buildingFile(): string {
  const sites = [
    ['Seattle HQ', 8, 'Seattle', 'US'],
    ['London', 4, 'London', 'GB'],
    ['Munich', 3, 'Munich', 'DE'],
    ['Bangalore', 4, 'Bangalore', 'IN'],
    ['Sao Paulo', 2, 'Sao Paulo', 'BR'],
  ] as const;
  const lines: string[] = [];
  sites.forEach(([name, count, city, country], s) => {
    // The last subnet of the last site stays out: the missing-subnet report has something to show.
    const covered = s === sites.length - 1 ? count - 1 : count;
    for (let k = 0; k < covered; k++) {
      lines.push(
        `10.${10 + s * 10}.${k * 4}.0,${name} net ${k + 1},22,${name} ${k + 1},Owned,Office,Main,${city},00000,${country},,,1,0,0`,
      );
    }
  });
  return lines.join('\n');
}

let cached: Row[] | undefined;

/** The template: the stream rows of TEMPLATE_CALLS generated records over STEP_DAYS days (made once per process). */
function template(): Row[] {
  cached ??= makeTemplate();
  return cached;
}

function makeTemplate(): Row[] {
  const parsed = parseBuildingFile(buildingFile());
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const derivation = { rules: CURRENT_RULES, buildings: new BuildingMap(parsed.buildings) };
  const rows: Row[] = [];
  for (const record of generateRecords({
    calls: TEMPLATE_CALLS,
    seed: 20240301,
    from: FROM,
    days: STEP_DAYS,
    versions: false,
  })) {
    const valid = validateCallRecord(record);
    if (!valid.ok) continue;
    rows.push(...streamRowsOfWrite(toRecordWrite(valid.record, valid.hasEvolvableMembers), derivation));
  }
  return rows;
}

/** `count` rows: the template repeated, each copy under new call ids and moved by a multiple of STEP_DAYS. */
export function* benchStreams(count: number): Generator<Row> {
  const base = template();
  for (let i = 0; i < count; i++) {
    const copy = Math.floor(i / base.length);
    const row = base[i % base.length]!.slice();
    row[ID] = `${row[ID]}~${copy}`;
    // The newest weeks fill first, so a small run still has "the last 90 days".
    row[START] = shifted(String(row[START]), (STEPS - 1 - (copy % STEPS)) * STEP_DAYS);
    yield row;
  }
}

function shifted(key: string, days: number): string {
  if (days === 0) return key;
  const at = new Date(Date.parse(`${key.slice(0, 19)}Z`) + days * 86_400_000);
  return at.toISOString().slice(0, 19) + key.slice(19);
}

/** The day after the last the rows start on (the "last 90 days" end there). */
export const LAST_DAY = new Date(FROM.getTime() + STEPS * STEP_DAYS * 86_400_000).toISOString().slice(0, 10);

/** Where the databases of `count` streams are. */
export interface AnalyticsData {
  sqliteUrl: string;
  postgresUrl: string | undefined;
  duckdbFile: string;
  /** Seconds spent generating and loading (0 when cached). */
  loadSeconds: number;
}

/** The columns DuckDB's table holds: what the benchmark's queries read. */
export const DUCKDB_COLUMNS = [
  'start_key',
  'media_type',
  'classification',
  'sender_building',
  'first_connection_type',
  'sender_platform',
] as const;

function dataKey(count: number): string {
  const h = createHash('sha256');
  for (const f of [
    'bench/analytics-data.ts',
    'src/storage/migrations/0008-streams.ts',
    'src/storage/sql/rollup-ddl.ts',
    'src/analytics/stream-rows.ts',
    'src/analytics/classify.ts',
  ]) {
    h.update(readFileSync(join(import.meta.dirname, '..', f)));
  }
  return `analytics-n${count}-${h.digest('hex').slice(0, 8)}`;
}

/** The databases holding `count` streams, made (and cached) first when missing. */
export async function analyticsData(
  count: number,
  postgres: boolean,
  log: (s: string) => void,
): Promise<AnalyticsData> {
  const key = dataKey(count);
  const dir = join(BENCH_DATA_DIR, key);
  const done = join(dir, 'done.json');
  const schema = key.replace(/-/g, '_');
  const sqliteFile = join(dir, 'streams.db');
  const data = {
    sqliteUrl: `sqlite:${sqliteFile}`,
    postgresUrl: postgres ? `${BENCH_POSTGRES_URL}?schema=${schema}` : undefined,
    duckdbFile: join(dir, 'streams.duckdb'),
  };
  if (existsSync(done) && (JSON.parse(readFileSync(done, 'utf8')) as { postgres: boolean }).postgres === postgres) {
    return { ...data, loadSeconds: 0 };
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const started = performance.now();
  log(`analytics: loading ${count.toLocaleString('en-US')} streams into SQLite`);
  await loadSqlite(sqliteFile, count);
  log('analytics: loading DuckDB');
  await loadDuckdb(data.duckdbFile, count);
  if (data.postgresUrl !== undefined) {
    log('analytics: loading PostgreSQL');
    await loadPostgres(data.postgresUrl, schema, count);
  }
  const loadSeconds = (performance.now() - started) / 1000;
  writeFileSync(done, JSON.stringify({ postgres, loadSeconds }));
  return { ...data, loadSeconds };
}

async function loadSqlite(file: string, count: number): Promise<void> {
  await (await openDatabase(`sqlite:${file}`)).close();
  const db = new BetterSqlite3(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  for (const trigger of SQLITE_DIRTY_TRIGGERS) db.exec(`drop trigger ${trigger}`);
  const insert = db.prepare(
    `insert into streams (${STREAM_COLUMN_NAMES.join(', ')}) values (${STREAM_COLUMN_NAMES.map(() => '?').join(', ')})`,
  );
  const batch = db.transaction((rows: Row[]) => {
    for (const row of rows) insert.run(row);
  });
  let rows: Row[] = [];
  for (const row of benchStreams(count)) {
    rows.push(row);
    if (rows.length === 50_000) {
      batch(rows);
      rows = [];
    }
  }
  batch(rows);
  for (const spec of ROLLUPS) for (const s of rollupRebuild(spec, 'sqlite')) db.exec(s);
  for (const s of SQLITE_DIRTY_DDL.filter((s) => s.startsWith('create trigger'))) db.exec(s);
  db.exec('analyze');
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

async function loadDuckdb(file: string, count: number): Promise<void> {
  const instance = await DuckDBInstance.create(file);
  const con = await instance.connect();
  await con.run(`create table streams (${DUCKDB_COLUMNS.map((c) => `${c} varchar`).join(', ')})`);
  const appender = await con.createAppender('streams');
  const at = DUCKDB_COLUMNS.map((c) => STREAM_COLUMN_NAMES.indexOf(c));
  for (const row of benchStreams(count)) {
    for (const i of at) {
      const v = row[i];
      if (v === null || v === undefined) appender.appendNull();
      else appender.appendVarchar(String(v));
    }
    appender.endRow();
  }
  appender.closeSync();
  con.closeSync();
  instance.closeSync();
}

async function loadPostgres(url: string, schema: string, count: number): Promise<void> {
  const admin = new pg.Client({ connectionString: BENCH_POSTGRES_URL });
  await admin.connect();
  await admin.query(`drop schema if exists ${schema} cascade`);
  await admin.end();
  await (await openDatabase(url)).close();
  const pool = new pg.Pool({ connectionString: BENCH_POSTGRES_URL, options: `-c search_path=${schema}`, max: 1 });
  const months = new Set<string>();
  for (let m = 0; m <= STEPS + 1; m++) months.add(new Date(Date.UTC(2026, m, 1)).toISOString().slice(0, 7));
  await new MonthlyPartitions(pool).ensure(months);
  const client = await pool.connect();
  try {
    await client.query('alter table streams disable trigger user');
    let rows: Row[] = [];
    for (const row of benchStreams(count)) {
      rows.push(row);
      if (rows.length === 50_000) {
        await copyRows(client, 'streams', STREAM_COLUMN_NAMES, rows);
        rows = [];
      }
    }
    await copyRows(client, 'streams', STREAM_COLUMN_NAMES, rows);
    await client.query('alter table streams enable trigger user');
    for (const spec of ROLLUPS) for (const s of rollupRebuild(spec, 'postgres')) await client.query(s);
    await client.query('analyze');
  } finally {
    client.release();
    await pool.end();
  }
}
