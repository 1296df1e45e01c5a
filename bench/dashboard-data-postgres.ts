/**
 * The dashboard benchmark's archive on PostgreSQL: the same records as dashboard-data.ts builds on SQLite (the
 * template through the ingest service, its copies made in SQL with the same ids and moves), in a schema of the
 * benchmark's database that `callrecords serve --db '<url>?schema=…'` opens as it is. The rollup triggers are off
 * while copying and the rollups rebuilt after; the monthly partitions of the whole window are made first.
 * Kept between runs (a row in the schema's store_meta says it is complete).
 */
import pg from 'pg';
import { openDatabase } from '../src/storage/open-database.js';
import { MonthlyPartitions } from '../src/storage/postgres/partitions.js';
import { ROLLUPS } from '../src/storage/sql/analytics-columns.js';
import { rollupRebuild } from '../src/storage/sql/rollup-ddl.js';
import {
  COPIED,
  dashboardDataKey,
  ingestTemplate,
  templateCopies,
  templateWindow,
  TEMPLATE_CALLS,
  type DashboardData,
} from './dashboard-data.js';
import { BENCH_POSTGRES_URL } from './postgres-import.js';

const DONE_KEY = 'bench.dashboard-data';

/** The archive of `records` calls in PostgreSQL, built first when missing. `file` is empty; `bytes` the schema's. */
export async function dashboardPostgresData(records: number, log: (s: string) => void): Promise<DashboardData> {
  const schema = dashboardDataKey('postgres', records).replace(/-/g, '_');
  const url = `${BENCH_POSTGRES_URL}?schema=${schema}`;
  const client = new pg.Client({ connectionString: BENCH_POSTGRES_URL, options: `-c search_path=${schema}` });
  await client.connect();
  try {
    const done = await client
      .query<{ value: string }>(`select value from store_meta where key = $1`, [DONE_KEY])
      .catch(() => ({ rows: [] }));
    if (done.rows[0] !== undefined) {
      return { ...(JSON.parse(done.rows[0].value) as DashboardData), cached: true };
    }
    await client.query(`drop schema if exists ${schema} cascade`);
    const started = performance.now();
    const window = templateWindow(records);
    await makePartitions(schema, window.firstDay, window.lastDay);
    log(`dashboard data: ingesting the ${TEMPLATE_CALLS.toLocaleString('en-US')}-call template into ${schema}`);
    const templateIds = await ingestTemplate(url, window.from);
    log(`dashboard data: copying it to ${records.toLocaleString('en-US')} records`);
    const streams = await copyTemplate(client, templateIds, records, log);
    const size = await client.query<{ bytes: string }>(
      `select sum(pg_total_relation_size(c.oid))::text as bytes from pg_class c
         join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and c.relkind in ('r', 'm')`,
      [schema],
    );
    const data: DashboardData = {
      url,
      file: '',
      records,
      streams,
      bytes: Number(size.rows[0]?.bytes ?? 0),
      firstDay: window.firstDay,
      lastDay: window.lastDay,
      buildSeconds: (performance.now() - started) / 1000,
      cached: false,
    };
    await client.query(`insert into store_meta (key, value) values ($1, $2)`, [DONE_KEY, JSON.stringify(data)]);
    return data;
  } finally {
    await client.end();
  }
}

/** Opens the schema (migrations) and makes the monthly partitions of [firstDay, lastDay]. */
async function makePartitions(schema: string, firstDay: string, lastDay: string): Promise<void> {
  await (await openDatabase(`${BENCH_POSTGRES_URL}?schema=${schema}`)).close();
  const pool = new pg.Pool({ connectionString: BENCH_POSTGRES_URL, options: `-c search_path=${schema}`, max: 1 });
  try {
    const months = new Set<string>();
    for (let d = new Date(`${firstDay.slice(0, 7)}-01T00:00:00Z`); d.toISOString() < lastDay;) {
      months.add(d.toISOString().slice(0, 7));
      d = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
    }
    await new MonthlyPartitions(pool).ensure(months);
  } finally {
    await pool.end();
  }
}

async function copyTemplate(
  client: pg.Client,
  templateIds: readonly string[],
  records: number,
  log: (s: string) => void,
): Promise<number> {
  await client.query('create temp table template (id text primary key, pos integer not null)');
  await client.query(
    `insert into template (id, pos) select id, (row_number() over (order by start_key, id)) - 1
       from call_records where id = any($1)`,
    [templateIds],
  );
  const statements: string[] = [];
  for (const [table, spec] of Object.entries(COPIED)) statements.push(await copyStatement(client, table, spec));
  await client.query('alter table streams disable trigger user');
  for (const { copy, limit, days, seconds } of templateCopies(records, templateIds.length)) {
    await client.query('begin');
    for (const s of statements) await client.query(s, [copy, limit, -days, -seconds]);
    await client.query('commit');
    if (copy % 25 === 0) log(`dashboard data: ${copy * templateIds.length + limit} records`);
  }
  log('dashboard data: rollups, statistics');
  await client.query('alter table streams enable trigger user');
  for (const spec of ROLLUPS) for (const s of rollupRebuild(spec, 'postgres')) await client.query(s);
  await client.query('analyze');
  const count = await client.query<{ n: string }>('select count(*)::text as n from streams');
  return Number(count.rows[0]!.n);
}

/** The `insert … select` of one copy ($1 copy, $2 template records, $3 days and $4 seconds to move). */
async function copyStatement(
  client: pg.Client,
  table: string,
  spec: { id: string; times: readonly string[] },
): Promise<string> {
  const columns = (
    await client.query<{ column_name: string }>(
      `select column_name from information_schema.columns where table_schema = current_schema() and table_name = $1
         order by ordinal_position`,
      [table],
    )
  ).rows.map((r) => r.column_name);
  const newId = (column: string) =>
    `substr(${column}, 1, 19) || 'c' || lpad(to_hex($1::int), 3, '0') || substr(${column}, 24)`;
  // Times are stored as YYYY-MM-DDTHH:MM:SS followed by the fraction and zone, which the copy keeps.
  const moved = (e: string) =>
    `to_char(substr(${e}, 1, 19)::timestamp + make_interval(days => $3::int, secs => $4::int), 'YYYY-MM-DD"T"HH24:MI:SS') || substr(${e}, 20)`;
  const value = (column: string): string => {
    if (column === spec.id) return newId(column);
    if (spec.times.includes(column)) return moved(column);
    if (table === 'call_records' && column === 'content_hash') {
      return `translate(encode(sha256(convert_to(content_hash || '~' || ($1::int)::text, 'UTF8')), 'base64'), '+/=', '-_')`;
    }
    if (table === 'call_records' && column === 'record_json') {
      // The stored text, with the id and the three dates replaced where they stand (no re-serialisation).
      let e = `replace(record_json, '"id":"' || id || '"', '"id":"' || ${newId('id')} || '"')`;
      for (const d of ['startDateTime', 'endDateTime', 'lastModifiedDateTime']) {
        const old = `(record_json::json ->> '${d}')`;
        e = `replace(${e}, '"${d}":"' || ${old} || '"', '"${d}":"' || ${moved(old)} || '"')`;
      }
      return e;
    }
    return column;
  };
  return `insert into ${table} (${columns.join(', ')}) select ${columns.map(value).join(', ')} from ${table}
    where ${spec.id} in (select id from template where pos < $2)`;
}
