/**
 * The call search's first pages (`GET /api/analytics/calls`, docs/analytics.md "Call search") over the analytics
 * benchmark's generated streams (bench/analytics-data.ts; `BENCH_CALL_SEARCH_STREAMS`, default 200,000), on SQLite
 * and PostgreSQL: each store's query plan of the statement that walks the index (`pageStartsSql`, `explain`), and the median time of a first page of
 * 50 without a user, with poorOnly, with a date range, and with a user. Run it alone with
 * `node --import tsx bench/call-search.ts`; it prints what it measured.
 */
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { callSearchQuery } from '../src/analytics/call-search.js';
import { openDatabase } from '../src/storage/open-database.js';
import type { CallSearchQuery } from '../src/storage/call-search-types.js';
import { pageStartsSql } from '../src/storage/sql/call-search-sql.js';
import { analyticsData, LAST_DAY } from './analytics-data.js';
import { postgresReachable } from './postgres-import.js';

const STREAMS = Number(process.env.BENCH_CALL_SEARCH_STREAMS ?? 200_000);
const RUNS = 5;
const LAST_WEEK = new Date(Date.parse(`${LAST_DAY}T00:00:00Z`) - 7 * 86_400_000).toISOString().slice(0, 10);

const CASES: [string, Record<string, string>][] = [
  ['newest 50', {}],
  ['newest 50, poorOnly', { poorOnly: 'true' }],
  ['newest 50 of the last week', { from: LAST_WEEK, to: LAST_DAY }],
  ['newest 50 of a user (by name part)', { user: 'rossi' }],
];

const log = (s: string) => process.stderr.write(`${s}\n`);
const postgres = await postgresReachable();
const data = await analyticsData(STREAMS, postgres, log);

for (const [store, url] of [
  ['sqlite', data.sqliteUrl],
  ['postgres', data.postgresUrl],
] as const) {
  if (url === undefined) continue;
  const db = await openDatabase(url);
  try {
    for (const [name, params] of CASES) {
      const query: CallSearchQuery = { ...callSearchQuery(new Map(Object.entries(params))), limit: 51 };
      const times: number[] = [];
      let found = 0;
      for (let i = 0; i <= RUNS; i++) {
        const started = performance.now();
        found = (await db.callSearch.searchCalls(query)).length;
        if (i > 0) times.push(performance.now() - started);
      }
      times.sort((a, b) => a - b);
      console.log(`${store}: ${name}: ${found} calls, median ${times[RUNS >> 1]!.toFixed(1)} ms`);
      console.log(indent(await plan(store, url, query)));
    }
  } finally {
    await db.close();
  }
}

async function plan(store: 'sqlite' | 'postgres', url: string, query: CallSearchQuery): Promise<string> {
  const statement = pageStartsSql(query, store);
  if (store === 'sqlite') {
    const db = new BetterSqlite3(url.slice('sqlite:'.length), { readonly: true });
    try {
      const rows = db.prepare(`explain query plan ${statement.sql}`).all(...statement.parameters) as {
        detail: string;
      }[];
      return rows.map((r) => r.detail).join('\n');
    } finally {
      db.close();
    }
  }
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema')!;
  parsed.search = '';
  const client = new pg.Client({ connectionString: parsed.toString(), options: `-c search_path=${schema}` });
  await client.connect();
  try {
    const result = await client.query<{ 'QUERY PLAN': string }>(
      `explain (analyze, costs off, timing off) ${statement.sql}`,
      [...statement.parameters],
    );
    return result.rows.map((r) => r['QUERY PLAN']).join('\n');
  } finally {
    await client.end();
  }
}

function indent(text: string): string {
  return text.replace(/^/gm, '    ');
}
