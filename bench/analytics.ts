/**
 * The analytics benchmark: CQD's two most asked views over `BENCH_ANALYTICS_STREAMS` generated streams (default 1
 * million, about 16 minutes to generate and load on a busy 2-core machine; 10 million with
 * BENCH_ANALYTICS_STREAMS=10000000; 200,000 with BENCH_QUICK=1), timed through the analytics role (`db.analytics.aggregate`, the rollups
 * maintained at ingest) and straight over the per-stream table, on SQLite and PostgreSQL, against DuckDB aggregating
 * the same rows from its own table in the same run. Each time is the median of RUNS runs after a warm-up (the
 * per-stream table's scans: one run). Run it alone with `node --import tsx bench/analytics.ts`; it prints a Markdown
 * table and writes it to bench/out/analytics.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { DuckDBInstance } from '@duckdb/node-api';
import pg from 'pg';
import type { AnalyticsQuery } from '../src/analytics/query/model.js';
import { analyticsQueryOf } from '../src/analytics/query/query-request.js';
import { openDatabase } from '../src/storage/open-database.js';
import { planAnalytics } from '../src/storage/sql/analytics-sql.js';
import { analyticsData, LAST_DAY, type AnalyticsData } from './analytics-data.js';
import { BENCH_POSTGRES_URL, postgresReachable } from './postgres-import.js';

const QUICK = process.env.BENCH_QUICK === '1';
const STREAMS = Number(process.env.BENCH_ANALYTICS_STREAMS ?? (QUICK ? 200_000 : 1_000_000));
const RUNS = 5;

const NINETY_DAYS_BEFORE = new Date(Date.parse(`${LAST_DAY}T00:00:00Z`) - 90 * 86_400_000).toISOString().slice(0, 10);

/** The two questions, as the query API and as DuckDB SQL over the same rows. */
const CASES = [
  {
    name: 'poor % by week × building, audio, last 90 days',
    request: {
      measures: 'poorStreamPct,streams',
      by: 'week,building',
      filter: `mediaType eq 'audio' and date ge ${NINETY_DAYS_BEFORE}`,
    },
    duckdb: `select strftime(date_trunc('week', cast(substr(start_key, 1, 10) as date)), '%Y-%m-%d') as week, sender_building,
      100.0 * sum(case when classification = 'Poor' then 1 else 0 end) / nullif(sum(case when classification in ('Poor', 'Good') then 1 else 0 end), 0) as pct,
      count(*) as streams
      from streams where media_type = 'audio' and start_key >= '${NINETY_DAYS_BEFORE}' group by 1, 2`,
  },
  {
    name: 'streams and poor % by day × connection type × platform',
    request: { measures: 'streams,poorStreamPct', by: 'day,firstConnectionType,platform' },
    duckdb: `select substr(start_key, 1, 10) as day, first_connection_type, sender_platform, count(*) as streams,
      100.0 * sum(case when classification = 'Poor' then 1 else 0 end) / nullif(sum(case when classification in ('Poor', 'Good') then 1 else 0 end), 0) as pct
      from streams group by 1, 2, 3`,
  },
] as const;

/** The timings of one question. */
export interface AnalyticsCase {
  name: string;
  groups: number;
  /** Milliseconds: median of RUNS (rollup, DuckDB) or one run (the per-stream table). */
  duckdb: number;
  sqlite: number;
  sqliteTable: number;
  postgres?: number | undefined;
  postgresTable?: number | undefined;
  /** Where the role answered from. */
  source: string;
}

/** What the analytics benchmark measured. */
export interface AnalyticsBenchResult {
  streams: number;
  loadSeconds: number;
  loadBefore: number;
  cases: AnalyticsCase[];
}

async function median(run: () => Promise<unknown>, runs = RUNS): Promise<number> {
  await run();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

async function once(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

/** Runs the benchmark (loading the data first when it is not cached). */
export async function runAnalyticsBench(log: (s: string) => void): Promise<AnalyticsBenchResult> {
  const loadBefore = loadavg()[0]!;
  // BENCH_ANALYTICS_POSTGRES=0 leaves PostgreSQL out (its load is the longest).
  const withPostgres = process.env.BENCH_ANALYTICS_POSTGRES !== '0' && (await postgresReachable());
  const data: AnalyticsData = await analyticsData(STREAMS, withPostgres, log);
  const duck = await (await DuckDBInstance.create(data.duckdbFile, { access_mode: 'READ_ONLY' })).connect();
  const sqlite = await openDatabase(data.sqliteUrl);
  const sqliteRaw = new BetterSqlite3(data.sqliteUrl.slice('sqlite:'.length), { readonly: true });
  const postgres = data.postgresUrl === undefined ? undefined : await openDatabase(data.postgresUrl);
  const pgRaw =
    data.postgresUrl === undefined
      ? undefined
      : new pg.Pool({
          connectionString: BENCH_POSTGRES_URL,
          options: `-c search_path=${new URL(data.postgresUrl).searchParams.get('schema')}`,
          max: 1,
        });
  const cases: AnalyticsCase[] = [];
  try {
    for (const c of CASES) {
      const query: AnalyticsQuery = analyticsQueryOf(c.request);
      log(`analytics: ${c.name}`);
      const answer = await sqlite.analytics.aggregate(query);
      const duckRows = (await duck.runAndReadAll(c.duckdb)).getRows();
      check(c.name, answer.rows, duckRows, query.by.length);
      const table = planAnalytics(query, 'sqlite', { rollups: false });
      const result: AnalyticsCase = {
        name: c.name,
        groups: answer.rows.length,
        source: answer.source,
        duckdb: await median(() => duck.runAndReadAll(c.duckdb)),
        sqlite: await median(() => sqlite.analytics.aggregate(query)),
        sqliteTable: await once(async () => sqliteRaw.prepare(table.main.sql).all(...table.main.parameters)),
      };
      if (postgres !== undefined && pgRaw !== undefined) {
        check(`${c.name} (PostgreSQL)`, (await postgres.analytics.aggregate(query)).rows, duckRows, query.by.length);
        const pgTable = planAnalytics(query, 'postgres', { rollups: false });
        result.postgres = await median(() => postgres.analytics.aggregate(query));
        result.postgresTable = await once(() => pgRaw.query(pgTable.main.sql, [...pgTable.main.parameters]));
      }
      cases.push(result);
    }
  } finally {
    duck.closeSync();
    sqliteRaw.close();
    await sqlite.close();
    await postgres?.close();
    await pgRaw?.end();
  }
  return { streams: STREAMS, loadSeconds: data.loadSeconds, loadBefore, cases };
}

/** The role's answer must be DuckDB's: the same groups, streams and poor % (to 4 decimals). */
function check(
  name: string,
  ours: readonly (readonly unknown[])[],
  duck: readonly (readonly unknown[])[],
  dims: number,
): void {
  const key = (r: readonly unknown[]) => JSON.stringify(r.slice(0, dims).map((v) => (v === null ? null : String(v))));
  const theirs = new Map(duck.map((r) => [key(r), r.slice(dims).map((v) => (v === null ? null : Number(v)))]));
  if (theirs.size !== ours.length) throw new Error(`${name}: ${ours.length} groups, DuckDB ${theirs.size}`);
  for (const row of ours) {
    const other = theirs.get(key(row));
    if (other === undefined) throw new Error(`${name}: group ${key(row)} not in DuckDB's answer`);
    const mine = row.slice(dims).map((v) => (v === null ? null : Number(v)));
    // DuckDB's SQL selects the measures in the query's order.
    const same = mine.every((x, i) => (x === null ? other[i] === null : Math.abs(x - Number(other[i])) < 1e-5));
    if (!same || mine.length !== other.length) {
      throw new Error(`${name}: ${key(row)} is ${JSON.stringify(mine)}, DuckDB ${JSON.stringify(other)}`);
    }
  }
}

/** The results as Markdown: one line per question and store, with the ratio to DuckDB. */
export function analyticsMarkdown(r: AnalyticsBenchResult): string {
  const ms = (n: number | undefined) => (n === undefined ? '–' : n < 10 ? n.toFixed(2) : n.toFixed(0));
  const ratio = (n: number | undefined, d: number) => (n === undefined ? '–' : `${(n / d).toFixed(2)}×`);
  const lines = [
    `${r.streams.toLocaleString('en-US')} streams; load average ${r.loadBefore.toFixed(2)} when the run began` +
      `${r.loadSeconds > 0 ? `; generated and loaded in ${r.loadSeconds.toFixed(0)} s` : ' (data from the cache)'}.`,
    '',
    '| Question | Groups | DuckDB ms | SQLite ms (role) | × DuckDB | PostgreSQL ms (role) | × DuckDB | SQLite ms (stream table) | PostgreSQL ms (stream table) | Role answered from |',
    '| --- | --: | --: | --: | --: | --: | --: | --: | --: | --- |',
    ...r.cases.map(
      (c) =>
        `| ${c.name} | ${c.groups} | ${ms(c.duckdb)} | ${ms(c.sqlite)} | ${ratio(c.sqlite, c.duckdb)} | ${ms(c.postgres)} | ${ratio(c.postgres, c.duckdb)} | ${ms(c.sqliteTable)} | ${ms(c.postgresTable)} | \`${c.source}\` |`,
    ),
  ];
  return lines.join('\n');
}

if (process.argv[1] !== undefined && import.meta.filename === process.argv[1]) {
  const result = await runAnalyticsBench((s) => process.stderr.write(`${s}\n`));
  const text = analyticsMarkdown(result);
  const out = join(import.meta.dirname, 'out');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'analytics.md'), `${text}\n`);
  process.stdout.write(`${text}\n`);
}
