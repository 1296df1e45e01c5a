/**
 * The dashboard benchmark's archives: a SQLite database of N call records (1,000,000 for the full run) that
 * `callrecords serve --db sqlite:<file>` opens as it is, kept in BENCH_DATA_DIR so a second run reuses it.
 *
 * Realistic records are about 40 KB each (bench-data.ts), mostly their sessions, so 1M of them would take some 55 GB
 * of `sessions` rows alone. What the dashboard reads decides what is kept at full size:
 *
 * - a **template** of TEMPLATE_CALLS calls (the demo tenant's seed and density: 3,000 calls in 28 days, every
 *   version) goes through the ingest service like any import, so those records are complete in every table
 *   (`call_records`, `sessions`, `participants`, `record_versions`, `streams`) — the call detail and its version
 *   history read one of them;
 * - every other record is a **copy** of a template record under a new id (the GUID's fourth group becomes `c` and
 *   the copy number in hex: generated ids have RFC 4122's variant there, 8 to b, so no copy meets an original),
 *   moved back by whole STEP_DAYS steps (newest first, so a small archive still fills the last weeks) and by a few
 *   seconds per round, with the template's own rows in `call_records` (the top-level JSON with its id and dates
 *   rewritten), `participants` and `streams` (every time column moved). Copies have no `sessions` and no
 *   `record_versions` rows: nothing the overview or the call search reads comes from those tables (a copy's call
 *   detail shows no sessions).
 *
 * The copies are made in SQL (`insert … select` from the template's rows), with the rollup triggers and the
 * secondary indexes off; then the indexes are rebuilt, the rollups recomputed from `streams` (the state the triggers
 * keep) and the day marks cleared, so the database is what ingest would have left.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { StreamAnalytics } from '../src/analytics/stream-analytics.js';
import { DEMO } from '../src/cli/demo-data.js';
import { systemClock } from '../src/clock.js';
import { generatedBuildingFile } from '../src/generate/building-file.js';
import { generateRecords } from '../src/generate/index.js';
import { BatchIngest } from '../src/ingest/batch-ingest.js';
import { IngestService } from '../src/ingest/ingest-service.js';
import { openDatabase } from '../src/storage/open-database.js';
import { ROLLUPS } from '../src/storage/sql/analytics-columns.js';
import { rollupRebuild, SQLITE_DIRTY_DDL, SQLITE_DIRTY_TRIGGERS } from '../src/storage/sql/rollup-ddl.js';
import { BENCH_DATA_DIR } from './bench-data.js';

/** Calls in the template: the demo tenant's size. */
export const TEMPLATE_CALLS = DEMO.calls;
/** The template's window, and the step copies move by: whole weeks, so weekdays stay weekdays. */
const STEP_DAYS = 28;
/** Steps back in time: 13 × 28 days, a year. */
const STEPS = 13;
/** Seconds a copy moves per round of STEPS copies, so that copies of one step do not share their start times. */
const ROUND_SECONDS = 61;
const DAY_MS = 86_400_000;
/** The template ends a few hours before it is made, as the demo does: every call has ended and has its records. */
const SETTLE_MS = 3 * 3_600_000;

/** The tables copies get rows in, with the columns whose values a copy changes. */
export const COPIED: Record<'call_records' | 'participants' | 'streams', { id: string; times: readonly string[] }> = {
  call_records: { id: 'id', times: ['start_key', 'end_key', 'last_modified_key'] },
  participants: { id: 'record_id', times: ['start_key'] },
  streams: {
    id: 'record_id',
    times: ['start_key', 'segment_start', 'segment_end', 'stream_start', 'stream_end'],
  },
};

/** A built archive. */
export interface DashboardData {
  /** `sqlite:<file>`. */
  url: string;
  file: string;
  records: number;
  /** Stream rows in the archive. */
  streams: number;
  bytes: number;
  /** [from, to) of the calls' start days (UTC, YYYY-MM-DD). */
  firstDay: string;
  lastDay: string;
  /** Seconds its build took (in an earlier run when `cached`). */
  buildSeconds: number;
  /** It came from BENCH_DATA_DIR (or the PostgreSQL schema) as an earlier run left it. */
  cached: boolean;
}

/** The archive of `records` calls, built first (and kept in BENCH_DATA_DIR) when missing. */
export async function dashboardData(records: number, log: (s: string) => void): Promise<DashboardData> {
  const dir = join(BENCH_DATA_DIR, dashboardDataKey('sqlite', records));
  const done = join(dir, 'done.json');
  const file = join(dir, 'archive.db');
  if (existsSync(done) && existsSync(file)) {
    return { ...(JSON.parse(readFileSync(done, 'utf8')) as DashboardData), cached: true };
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const started = performance.now();
  const window = templateWindow(records);
  log(`dashboard data: ingesting the ${TEMPLATE_CALLS.toLocaleString('en-US')}-call template into ${file}`);
  const templateIds = await ingestTemplate(`sqlite:${file}`, window.from);
  log(`dashboard data: copying it to ${records.toLocaleString('en-US')} records`);
  const streams = copyTemplate(file, templateIds, records, log);
  const data: DashboardData = {
    url: `sqlite:${file}`,
    file,
    records,
    streams,
    bytes: statSync(file).size,
    firstDay: window.firstDay,
    lastDay: window.lastDay,
    buildSeconds: (performance.now() - started) / 1000,
    cached: false,
  };
  writeFileSync(done, JSON.stringify(data));
  return data;
}

/** The template's window (it ends now, less SETTLE_MS) and the days the archive of `records` calls covers. */
export function templateWindow(records: number): { from: Date; firstDay: string; lastDay: string } {
  const to = new Date(Date.now() - SETTLE_MS);
  const from = new Date(to.getTime() - STEP_DAYS * DAY_MS);
  const oldest = new Date(
    from.getTime() - (Math.min(STEPS, Math.ceil(records / TEMPLATE_CALLS)) - 1) * STEP_DAYS * DAY_MS,
  );
  return {
    from,
    firstDay: oldest.toISOString().slice(0, 10),
    lastDay: new Date(to.getTime() + DAY_MS).toISOString().slice(0, 10),
  };
}

/** One copy of the template: its number, how many template records it copies, and how far back it moves. */
export interface TemplateCopy {
  copy: number;
  limit: number;
  days: number;
  seconds: number;
}

/**
 * The copies that make an archive of `records` calls from a template of `templateCalls`. Copy `c` (1, 2, …) of
 * template record `i` (in start order) exists while c × templateCalls + i < records.
 */
export function templateCopies(records: number, templateCalls: number): TemplateCopy[] {
  const copies: TemplateCopy[] = [];
  for (let c = 1; c * templateCalls < records; c++) {
    copies.push({
      copy: c,
      limit: Math.min(templateCalls, records - c * templateCalls),
      days: (c % STEPS) * STEP_DAYS,
      seconds: Math.floor(c / STEPS) * ROUND_SECONDS,
    });
  }
  return copies;
}

/**
 * Loads the template into the empty archive at `url` through the ingest service (after the demo's building file, so
 * its streams are mapped to buildings at write time); returns its record ids.
 */
export async function ingestTemplate(url: string, from: Date): Promise<string[]> {
  const db = await openDatabase(url);
  try {
    await new StreamAnalytics(db.streams).importBuildings(generatedBuildingFile(DEMO.seed));
    const batches = new BatchIngest(new IngestService(db.records, systemClock));
    const ids = new Set<string>();
    for (const value of generateRecords({
      calls: TEMPLATE_CALLS,
      seed: DEMO.seed,
      from,
      days: STEP_DAYS,
      versions: true,
    })) {
      ids.add(String(value.id));
      await batches.add([{ value }]);
    }
    const summary = await batches.finish();
    if (summary.rejected > 0) throw new Error(`the template had ${summary.rejected} rejected records`);
    return [...ids];
  } finally {
    await db.close();
  }
}

/** Adds copies of the template (templateCopies) until the archive holds `records` calls; returns its stream rows. */
function copyTemplate(file: string, templateIds: readonly string[], records: number, log: (s: string) => void): number {
  const db = new BetterSqlite3(file);
  try {
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -2000000');
    db.function('copy_hash', (hash: unknown, copy: unknown) =>
      createHash('sha256')
        .update(`${String(hash)}~${String(copy)}`)
        .digest('base64url'),
    );
    const indexes = secondaryIndexes(db);
    for (const trigger of SQLITE_DIRTY_TRIGGERS) db.exec(`drop trigger ${trigger}`);
    for (const { name } of indexes) db.exec(`drop index ${name}`);
    db.exec('create temp table template (id text primary key, pos integer not null)');
    const byStart = db
      .prepare(`select id from call_records where id in (select value from json_each(?)) order by start_key, id`)
      .pluck()
      .all(JSON.stringify(templateIds)) as string[];
    const addTemplate = db.prepare('insert into temp.template (id, pos) values (?, ?)');
    db.transaction(() => byStart.forEach((id, pos) => addTemplate.run(id, pos)))();
    const statements = Object.entries(COPIED).map(([table, spec]) => copyStatement(db, table, spec));
    for (const { copy, limit, days, seconds } of templateCopies(records, byStart.length)) {
      const params = { copy, limit, days: `-${days} days`, seconds: `-${seconds} seconds` };
      db.transaction(() => statements.forEach((s) => s.run(params)))();
      if (copy % 25 === 0) log(`dashboard data: ${copy * byStart.length + limit} records`);
    }
    log('dashboard data: indexes, rollups, statistics');
    for (const { sql } of indexes) db.exec(sql);
    db.transaction(() => {
      for (const spec of ROLLUPS) for (const s of rollupRebuild(spec, 'sqlite')) db.exec(s);
      db.exec('delete from stream_rollup_dirty');
    })();
    for (const s of SQLITE_DIRTY_DDL.filter((s) => s.startsWith('create trigger'))) db.exec(s);
    // Statistics from a sample of each index, as `PRAGMA optimize` gathers them: a full ANALYZE reads all 20 GB.
    db.pragma('analysis_limit = 1000');
    db.exec('analyze');
    db.pragma('wal_checkpoint(TRUNCATE)');
    const count = db.prepare('select count(*) from call_records').pluck().get() as number;
    if (count !== Math.max(records, byStart.length)) throw new Error(`the archive holds ${count} records`);
    return db.prepare('select count(*) from streams').pluck().get() as number;
  } finally {
    db.close();
  }
}

/** The indexes of the copied tables that are not their primary keys: dropped while copying, made again after. */
function secondaryIndexes(db: BetterSqlite3.Database): { name: string; sql: string }[] {
  return db
    .prepare(
      `select name, sql from sqlite_master where type = 'index' and sql is not null
         and tbl_name in (${Object.keys(COPIED)
           .map((t) => `'${t}'`)
           .join(', ')})`,
    )
    .all() as { name: string; sql: string }[];
}

/** The `insert … select` that adds one copy of the first `limit` template records' rows of `table`. */
function copyStatement(
  db: BetterSqlite3.Database,
  table: string,
  spec: { id: string; times: readonly string[] },
): BetterSqlite3.Statement {
  const columns = (
    db.prepare(`select name from pragma_table_info('${table}') order by cid`).all() as { name: string }[]
  ).map((c) => c.name);
  const newId = (column: string) => `substr(${column}, 1, 19) || printf('c%03x', :copy) || substr(${column}, 24)`;
  // Times are stored as YYYY-MM-DDTHH:MM:SS followed by the fraction and zone, which the copy keeps.
  const moved = (e: string) =>
    `strftime('%Y-%m-%dT%H:%M:%S', substr(${e}, 1, 19), :days, :seconds) || substr(${e}, 20)`;
  const value = (column: string): string => {
    if (column === spec.id) return newId(column);
    if (spec.times.includes(column)) return moved(column);
    if (table === 'call_records' && column === 'content_hash') return 'copy_hash(content_hash, :copy)';
    if (table === 'call_records' && column === 'record_json') {
      const dates = ['startDateTime', 'endDateTime', 'lastModifiedDateTime'];
      return `json_set(record_json, '$.id', ${newId('id')}, ${dates
        .map((d) => `'$.${d}', ${moved(`json_extract(record_json, '$.${d}')`)}`)
        .join(', ')})`;
    }
    return column;
  };
  return db.prepare(
    `insert into ${table} (${columns.join(', ')}) select ${columns.map(value).join(', ')} from ${table}
       where ${spec.id} in (select id from temp.template where pos < :limit)`,
  );
}

/** A name that changes with the sources the archive is made from. */
export function dashboardDataKey(backend: 'sqlite' | 'postgres', records: number): string {
  const h = createHash('sha256');
  for (const f of [
    'bench/dashboard-data.ts',
    'src/storage/migrations/index.ts',
    'src/storage/record-tables.ts',
    'src/analytics/stream-rows.ts',
    'src/analytics/classify.ts',
    'src/generate/generate-records.ts',
  ]) {
    h.update(readFileSync(join(import.meta.dirname, '..', f)));
  }
  return `dashboard-${backend === 'sqlite' ? '' : 'pg-'}n${records}-${h.digest('hex').slice(0, 8)}`;
}
