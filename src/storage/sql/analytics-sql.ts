import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  sql,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type RawBuilder,
} from 'kysely';
import { DIMENSIONS, USER_FILTER, type DimensionName, type MeasureName } from '../../analytics/query/catalog.js';
import type { FilterNode, FilterValue } from '../../analytics/query/filter.js';
import type { AnalyticsQuery } from '../../analytics/query/model.js';
import { filterNames } from '../../analytics/query/filter.js';
import {
  ADDITIVE_MEASURES,
  AVERAGE_METRIC,
  METRIC_COLUMN,
  PERCENTILE_METRIC,
  REASON_COLUMN,
  ROLLUPS,
  rollupColumn,
  STREAM_DIMENSION_COLUMN,
  type RollupSpec,
} from './analytics-columns.js';

/** The SQL dialects an analytics query compiles for. */
export type AnalyticsDialect = 'sqlite' | 'postgres';

/** One statement: SQL text and its positional parameters. */
export interface CompiledSql {
  sql: string;
  parameters: readonly unknown[];
}

/**
 * What a store runs for one query: the main statement (dimensions `g0…`, then measures `m0…`), and one statement per
 * 90th-percentile measure (dimensions `g0…`, value `p`), whose rows the store joins to the main ones by dimensions.
 */
export interface AnalyticsPlan {
  /** `streams`, or the rollup table that answers. */
  source: string;
  main: CompiledSql;
  percentiles: { measure: MeasureName; statement: CompiledSql }[];
}

const compilers: Record<AnalyticsDialect, Kysely<unknown>> = {
  sqlite: compileOnly('sqlite'),
  postgres: compileOnly('postgres'),
};

/**
 * Compiles a checked query for a dialect, through Kysely's compilers (values become parameters, never SQL text).
 * A query whose dimensions, filter and measures all fit a rollup (analytics-columns.ts) reads the smallest that fits;
 * any other reads the per-stream table (as every query does with `rollups: false`, which the bench compares).
 */
export function planAnalytics(
  query: AnalyticsQuery,
  dialect: AnalyticsDialect,
  options: { rollups?: boolean } = {},
): AnalyticsPlan {
  const rollup = options.rollups === false ? undefined : rollupFor(query);
  const source: Source = rollup === undefined ? { kind: 'streams' } : { kind: 'rollup', spec: rollup };
  const table = rollup === undefined ? 'streams' : rollup.table;
  const dims = query.by.map((d, i) => sql`${dimension(d, source, dialect)} as ${sql.ref(`g${i}`)}`);
  const measures = query.measures.map((m, i) =>
    PERCENTILE_METRIC[m] === undefined
      ? sql`${measure(m, source)} as ${sql.ref(`m${i}`)}`
      : sql`null as ${sql.ref(`m${i}`)}`,
  );
  const where = query.filter === undefined ? sql`1 = 1` : condition(query.filter, source, dialect);
  const groupBy =
    query.by.length === 0 ? sql`` : sql` group by ${sql.join(query.by.map((_, i) => sql.raw(String(i + 1))))}`;
  const main = sql`select ${sql.join([...dims, ...measures])} from ${sql.table(table)} where ${where}${groupBy}`;
  const percentiles = query.measures
    .filter((m) => PERCENTILE_METRIC[m] !== undefined)
    .map((m) => ({ measure: m, statement: compile(percentile(query, m, dialect), dialect) }));
  return { source: table, main: compile(main, dialect), percentiles };
}

type Source = { kind: 'streams' } | { kind: 'rollup'; spec: RollupSpec };

/** The smallest rollup whose dimensions cover the query's, if every measure is additive. */
function rollupFor(query: AnalyticsQuery): RollupSpec | undefined {
  if (!query.measures.every((m) => ADDITIVE_MEASURES.has(m))) return undefined;
  const needed = new Set<DimensionName>([
    ...query.by,
    ...(query.filter ? (filterNames(query.filter) as DimensionName[]) : []),
  ]);
  return ROLLUPS.find((r) =>
    [...needed].every(
      (d) => d === 'day' || d === 'week' || d === 'month' || (r.dimensions as readonly string[]).includes(d),
    ),
  );
}

function dayOf(source: Source): RawBuilder<string> {
  return source.kind === 'streams' ? sql`substr(start_key, 1, 10)` : sql`day`;
}

/** A dimension's value: text, a 0/1 flag, or a yyyy-mm-dd / yyyy-mm date text. */
function dimension(d: DimensionName, source: Source, dialect: AnalyticsDialect): RawBuilder<unknown> {
  const day = dayOf(source);
  if (d === 'day') return day;
  if (d === 'month') return sql`substr(${day}, 1, 7)`;
  if (d === 'week') {
    // The Monday of the ISO week: SQLite moves to the next Sunday (or stays) and back six days.
    return dialect === 'sqlite'
      ? sql`date(${day}, 'weekday 0', '-6 days')`
      : sql`to_char(date_trunc('week', cast(${day} as date)), 'YYYY-MM-DD')`;
  }
  return source.kind === 'streams' ? sql.raw(STREAM_DIMENSION_COLUMN[d]) : sql.ref(rollupColumn(d));
}

const count = (condition: RawBuilder<unknown>) => sql`coalesce(sum(case when ${condition} then 1 else 0 end), 0)`;
const total = (column: string) => sql`coalesce(sum(${sql.ref(column)}), 0)`;
const ratio = (part: RawBuilder<unknown>, whole: RawBuilder<unknown>) =>
  sql`cast(100.0 * ${part} / nullif(${whole}, 0) as double precision)`;
const RATING = sql`case sender_feedback_rating when 'bad' then 1 when 'poor' then 2 when 'fair' then 3 when 'good' then 4 when 'excellent' then 5 end`;

/** A measure over the per-stream table or a rollup (which holds the counts and sums under the measures' names). */
function measure(m: MeasureName, source: Source): RawBuilder<unknown> {
  if (source.kind === 'rollup') return rollupMeasure(m);
  const reason = (REASON_COLUMN as Partial<Record<MeasureName, string>>)[m];
  if (reason !== undefined) return sql`coalesce(sum(${sql.ref(reason)}), 0)`;
  const metric = AVERAGE_METRIC[m];
  if (metric !== undefined) return sql`cast(avg(${sql.ref(METRIC_COLUMN[metric])}) as double precision)`;
  const poor = count(sql`classification = 'Poor'`);
  const good = count(sql`classification = 'Good'`);
  const poorCall = sql`count(distinct case when classification = 'Poor' and media_type = 'audio' then record_id end)`;
  const failed = (stage: string) =>
    sql`count(distinct case when coalesce(segment_failure_stage, session_failure_stage) = ${sql.lit(stage)} then record_id || '/' || session_id || '/' || segment_id end)`;
  switch (m) {
    case 'streams':
      return sql`count(*)`;
    case 'goodStreams':
      return good;
    case 'poorStreams':
      return poor;
    case 'unclassifiedStreams':
      return count(sql`classification = 'Unclassified' or classification is null`);
    case 'poorStreamPct':
      return ratio(poor, sql`${poor} + ${good}`);
    case 'calls':
      return sql`count(distinct record_id)`;
    case 'poorCalls':
      return poorCall;
    case 'poorCallPct':
      return ratio(
        poorCall,
        sql`count(distinct case when media_type = 'audio' and classification in ('Good', 'Poor') then record_id end)`,
      );
    case 'failures':
      return sql`count(distinct case when coalesce(segment_failure_stage, session_failure_stage) is not null then record_id || '/' || session_id || '/' || segment_id end)`;
    case 'setupFailures':
      return failed('callSetup');
    case 'drops':
      return failed('midcall');
    case 'avgFeedbackRating':
      return sql`cast(avg(${RATING}) as double precision)`;
    default:
      throw new Error(`no SQL for measure ${m}`);
  }
}

/** A measure from a rollup's columns (migration 0010 names them). */
function rollupMeasure(m: MeasureName): RawBuilder<unknown> {
  const reason = (REASON_COLUMN as Partial<Record<MeasureName, string>>)[m];
  if (reason !== undefined) return total(reason);
  const metric = AVERAGE_METRIC[m];
  if (metric !== undefined) {
    const column = rollupColumn(metric);
    return sql`cast(sum(${sql.ref(`${column}_sum`)}) / nullif(sum(${sql.ref(`${column}_count`)}), 0) as double precision)`;
  }
  switch (m) {
    case 'streams':
      return total('streams');
    case 'goodStreams':
      return total('good');
    case 'poorStreams':
      return total('poor');
    case 'unclassifiedStreams':
      return sql`coalesce(sum(streams - good - poor), 0)`;
    case 'poorStreamPct':
      return ratio(sql`sum(poor)`, sql`sum(poor) + sum(good)`);
    default:
      throw new Error(`measure ${m} is not in the rollups`);
  }
}

/** The 90th percentile (nearest rank: the value at rank ⌈0.9 n⌉) of a metric, per group. */
function percentile(query: AnalyticsQuery, m: MeasureName, dialect: AnalyticsDialect): RawBuilder<unknown> {
  const source: Source = { kind: 'streams' };
  const column = sql.ref(METRIC_COLUMN[PERCENTILE_METRIC[m]!]);
  const dims = query.by.map((d, i) => sql`${dimension(d, source, dialect)} as ${sql.ref(`g${i}`)}`);
  const groups = query.by.map((_, i) => sql.ref(`g${i}`));
  const partition =
    query.by.length === 0 ? sql`` : sql`partition by ${sql.join(query.by.map((d) => dimension(d, source, dialect)))} `;
  const where = query.filter === undefined ? sql`1 = 1` : condition(query.filter, source, dialect);
  const ranked = sql`select ${sql.join([
    ...dims,
    sql`${column} as v`,
    sql`row_number() over (${partition}order by ${column}) as rn`,
    sql`count(*) over (${partition}) as n`,
  ])} from streams where ${where} and ${column} is not null`;
  const groupBy = groups.length === 0 ? sql`` : sql` group by ${sql.join(groups)}`;
  return sql`select ${sql.join([...groups, sql`min(v) as p`])} from (${ranked}) ranked where rn = (9 * n + 9) / 10${groupBy}`;
}

/** A filter as a SQL condition; on the per-stream table a day comparison is a range of start keys. */
function condition(node: FilterNode, source: Source, dialect: AnalyticsDialect): RawBuilder<unknown> {
  switch (node.kind) {
    case 'and':
    case 'or':
      return sql`(${sql.join(
        node.items.map((item) => condition(item, source, dialect)),
        sql.raw(` ${node.kind} `),
      )})`;
    case 'not':
      return sql`not (${condition(node.item, source, dialect)})`;
    case 'in': {
      const parts = node.values.map((value) => comparison(node.name, 'eq', value, source, dialect));
      return sql`(${sql.join(parts, sql` or `)})`;
    }
    case 'compare':
      return comparison(node.name, node.op, node.value, source, dialect);
  }
}

function comparison(
  name: string,
  op: string,
  value: FilterValue,
  source: Source,
  dialect: AnalyticsDialect,
): RawBuilder<unknown> {
  if (name === USER_FILTER) return userMatch(op, value);
  const d = name as DimensionName;
  if (d === 'day' && source.kind === 'streams' && typeof value === 'string') return dayRange(op, value);
  const column = dimension(d, source, dialect);
  if (value === null) return op === 'ne' ? sql`${column} is not null` : sql`${column} is null`;
  const bound = DIMENSIONS[d].type === 'boolean' ? (value === true ? 1 : 0) : value;
  // `ne` keeps the streams whose value is unknown, as a person reading "not audio" expects.
  if (op === 'ne') return sql`(${column} <> ${bound} or ${column} is null)`;
  return sql`${column} ${sql.raw(SQL_OPS[op]!)} ${bound}`;
}

/**
 * Either endpoint is the user (the helpdesk view); `ne` keeps the streams neither endpoint of which is. The user's
 * records come first from the participants index (a user endpoint of a stream is a participant of its record, whose
 * id is the user's), so `streams` is read by record id, not scanned.
 */
function userMatch(op: string, value: FilterValue): RawBuilder<unknown> {
  const records = sql`record_id in (select record_id from participants where participant_id = ${value})`;
  const either = sql`(${records} and (sender_user_id = ${value} or receiver_user_id = ${value}))`;
  return op === 'ne' ? sql`not ${either}` : either;
}

const SQL_OPS: Record<string, string> = { eq: '=', gt: '>', ge: '>=', lt: '<', le: '<=' };

/** A comparison of the day with a date as a range of `start_key` (sortable UTC text), so the index serves it. */
function dayRange(op: string, day: string): RawBuilder<unknown> {
  const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  switch (op) {
    case 'eq':
      return sql`(start_key >= ${day} and start_key < ${next})`;
    case 'ne':
      return sql`(start_key < ${day} or start_key >= ${next})`;
    case 'gt':
      return sql`start_key >= ${next}`;
    case 'ge':
      return sql`start_key >= ${day}`;
    case 'lt':
      return sql`start_key < ${day}`;
    default:
      return sql`start_key < ${next}`;
  }
}

function compile(query: RawBuilder<unknown>, dialect: AnalyticsDialect): CompiledSql {
  const compiled = query.compile(compilers[dialect]);
  return { sql: compiled.sql, parameters: compiled.parameters };
}

/** A Kysely that only compiles (it never connects): the stores run the SQL on their own connections. */
function compileOnly(dialect: AnalyticsDialect): Kysely<unknown> {
  const sqlite = dialect === 'sqlite';
  return new Kysely<unknown>({
    dialect: {
      createAdapter: () => (sqlite ? new SqliteAdapter() : new PostgresAdapter()),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => (sqlite ? new SqliteIntrospector(db) : new PostgresIntrospector(db)),
      createQueryCompiler: () => (sqlite ? new SqliteQueryCompiler() : new PostgresQueryCompiler()),
    },
  });
}
