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
import { DIMENSIONS, type DimensionName, type MeasureName } from '../../analytics/query/catalog.js';
import { filterNames } from '../../analytics/query/filter.js';
import type { AnalyticsQuery } from '../../analytics/query/model.js';
import {
  ADDITIVE_MEASURES,
  AVERAGE_METRIC,
  CALL_MEASURES,
  METRIC_COLUMN,
  PERCENTILE_METRIC,
  REASON_COLUMN,
  ROLLUPS,
  rollupColumn,
  type RollupSpec,
} from './analytics-columns.js';
import { condition, dimension, type AnalyticsDialect, type Source } from './analytics-dimension-sql.js';

export type { AnalyticsDialect } from './analytics-dimension-sql.js';

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
  const grouped = sql`select ${sql.join([...dims, ...measures])} from ${sql.table(table)} where ${where}${groupBy}`;
  const main = limited(grouped, query, dialect);
  const percentiles = query.measures
    .filter((m) => PERCENTILE_METRIC[m] !== undefined)
    .map((m) => ({ measure: m, statement: compile(percentile(query, m, dialect), dialect) }));
  return { source: table, main: compile(main, dialect), percentiles };
}

/**
 * With `top`, the grouped rows ordered as the answer is (analytics-result.ts sorts the same way) and cut at `top + 1`,
 * so the store can tell that more exist without reading them all: the order column first (nulls last either way),
 * then the dimensions ascending, nulls last; text in byte order (PostgreSQL `collate "C"`, SQLite's default binary).
 * A 90th percentile is computed by its own statement, so ordering by one leaves the cut to analytics-result.ts.
 */
function limited(grouped: RawBuilder<unknown>, query: AnalyticsQuery, dialect: AnalyticsDialect): RawBuilder<unknown> {
  const order = query.orderBy;
  if (query.top === undefined) return grouped;
  if (order !== undefined && PERCENTILE_METRIC[order.column as MeasureName] !== undefined) return grouped;
  const columnOf = (name: string) => {
    const d = query.by.indexOf(name as DimensionName);
    return d >= 0 ? `g${d}` : `m${query.measures.indexOf(name as MeasureName)}`;
  };
  const key = (column: string, descending: boolean) => {
    const ref = sql.ref(`q.${column}`);
    const d = query.by[Number(column.slice(1))];
    const text = column.startsWith('g') && DIMENSIONS[d!].type !== 'boolean' && dialect === 'postgres';
    const value = text ? sql`cast(${ref} as text) collate "C"` : ref;
    return sql`(${ref} is null), ${value}${descending ? sql` desc` : sql``}`;
  };
  const keys = [
    ...(order === undefined ? [] : [key(columnOf(order.column), order.descending)]),
    ...query.by.map((_, i) => key(`g${i}`, false)),
  ];
  const orderBy = keys.length === 0 ? sql`` : sql` order by ${sql.join(keys)}`;
  return sql`select * from (${grouped}) q${orderBy} limit ${sql.lit(query.top + 1)}`;
}

/**
 * The smallest rollup whose dimensions cover the query's and which holds every measure: additive ones are in each,
 * distinct calls and failed segments only in one with call counters (analytics-columns.ts, CALL_MEASURES).
 */
function rollupFor(query: AnalyticsQuery): RollupSpec | undefined {
  const needed = new Set<DimensionName>([
    ...query.by,
    ...(query.filter ? (filterNames(query.filter) as DimensionName[]) : []),
  ]);
  const holds = (r: RollupSpec, m: MeasureName) =>
    ADDITIVE_MEASURES.has(m) || (r.callCounters === true && CALL_MEASURES.has(m));
  return ROLLUPS.find(
    (r) =>
      query.measures.every((m) => holds(r, m)) &&
      [...needed].every(
        (d) => d === 'day' || d === 'week' || d === 'month' || (r.dimensions as readonly string[]).includes(d),
      ),
  );
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

/** A measure from a rollup's columns (migrations 0010 and 0013 name them). */
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
    case 'calls':
      return total('calls');
    case 'poorCalls':
      return total('poor_calls');
    case 'failures':
      return total('failures');
    case 'setupFailures':
      return total('setup_failures');
    case 'drops':
      return total('drops');
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

/** Compiles a statement for a dialect through Kysely's compiler (values become parameters). */
export function compile(query: RawBuilder<unknown>, dialect: AnalyticsDialect): CompiledSql {
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
