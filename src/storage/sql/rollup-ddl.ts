import {
  METRIC_COLUMN,
  REASON_COLUMN,
  rollupColumn,
  STREAM_DIMENSION_COLUMN,
  type RollupSpec,
} from './analytics-columns.js';

/**
 * The SQL of the rollup tables (analytics-columns.ts, ROLLUPS): each table, the triggers that keep it equal to an
 * aggregate of the per-stream table on every insert, update and delete of `streams` (so the stream table's writers
 * need not know it), and the statements that rebuild it from `streams`. PostgreSQL uses statement-level triggers over
 * transition tables (one aggregate per statement, COPY included); SQLite, which has only row triggers, marks the
 * changed days, which are recomputed before a rollup is read. A group whose streams all went is deleted, so a rollup
 * holds no empty groups.
 */

type Dialect = 'sqlite' | 'postgres';

/** The counters a rollup row holds beside its key and dimensions, with how one stream row `r` adds to each. */
function counters(spec: RollupSpec, r: string): [column: string, perRow: string, aggregate: string][] {
  const reasons = Object.values(REASON_COLUMN).map((c): [string, string, string] => [
    c,
    `coalesce(${r}.${c}, 0)`,
    `sum(coalesce(${r}.${c}, 0))`,
  ]);
  const metrics = Object.entries(METRIC_COLUMN).flatMap(([name, c]): [string, string, string][] => [
    [`${rollupColumn(name)}_sum`, `coalesce(${r}.${c}, 0)`, `sum(coalesce(${r}.${c}, 0))`],
    [`${rollupColumn(name)}_count`, `case when ${r}.${c} is null then 0 else 1 end`, `count(${r}.${c})`],
  ]);
  const when = (v: string) => `case when ${r}.classification = '${v}' then 1 else 0 end`;
  const summed = (column: string, perRow: string): [string, string, string] => [column, perRow, `sum(${perRow})`];
  // Each call is counted by its first stream (ordinals start at 0 per record, stream-rows.ts), each failed segment by
  // its first stream (rowsOf): the distinct counts of analytics-sql.ts, made additive.
  const calls = [
    summed('calls', `case when ${r}.ordinal = 0 then 1 else 0 end`),
    summed('poor_calls', `case when ${r}.ordinal = 0 and ${r}.call_poor = 1 then 1 else 0 end`),
    ...Object.keys(SEGMENT_FAILURE).map((c) => summed(c, `${r}.segment_first * ${r}.segment_${c}`)),
  ];
  return [
    ['streams', '1', 'count(*)'],
    ['good', when('Good'), `sum(${when('Good')})`],
    ['poor', when('Poor'), `sum(${when('Poor')})`],
    ...reasons,
    ...metrics,
    ...(spec.callCounters === true ? calls : []),
  ];
}

/** The failed-segment counters and the test of a segment's failure stage (its own `failureInfo`, else its session's). */
const SEGMENT_FAILURE = { failures: 'is not null', setup_failures: "= 'callSetup'", drops: "= 'midcall'" };

/**
 * The stream rows `r` a rollup aggregates, from `relation` (rows kept by `where`, unqualified column names). With
 * call counters each row also carries `segment_first` (1 on the first stream of a segment whose ids are known: the
 * distinct count of analytics-sql.ts skips a null key) and, per failed-segment counter, whether any stream of its
 * segment has that failure; the rollup's dimensions must then be plain columns. The window functions see whole
 * segments: triggers see records written and removed whole (an update, such as a building re-map, subtracts and adds
 * the same rows, so the counts net to zero), a day's refresh sees whole days.
 */
function rowsOf(spec: RollupSpec, relation: string, where: string): string {
  if (spec.callCounters !== true) return `${relation} r where ${where}`;
  const segment = 'partition by s.record_id, s.session_id, s.segment_id';
  const stage = 'coalesce(s.segment_failure_stage, s.session_failure_stage)';
  const flags = Object.entries(SEGMENT_FAILURE).map(
    ([c, test]) => `max(case when ${stage} ${test} then 1 else 0 end) over (${segment}) as segment_${c}`,
  );
  const first =
    `case when s.session_id is not null and s.segment_id is not null and ` +
    `row_number() over (${segment} order by s.ordinal) = 1 then 1 else 0 end as segment_first`;
  // Only the columns the rollup reads, so the sort the windows need carries narrow rows (not all of `streams`).
  const columns = [
    'start_key',
    'ordinal',
    'call_poor',
    'classification',
    ...Object.values(REASON_COLUMN),
    ...Object.values(METRIC_COLUMN),
    ...spec.dimensions.map((d) => STREAM_DIMENSION_COLUMN[d]),
  ].map((c) => `s.${c}`);
  return `(select ${[...columns, first, ...flags].join(', ')} from ${relation} s where ${where}) r where true`;
}

function isReal(column: string): boolean {
  return column.endsWith('_sum');
}

/** The key and dimension values of stream row `r` in a rollup: [column, expression]. */
function keyParts(spec: RollupSpec, r: string, dialect: Dialect): [string, string][] {
  const dims: [string, string][] = [
    ['day', `substr(${r}.start_key, 1, 10)`],
    ...spec.dimensions.map((d): [string, string] => [rollupColumn(d), `${r}.${STREAM_DIMENSION_COLUMN[d]}`]),
  ];
  const [unit, none] = dialect === 'sqlite' ? ['char(31)', 'char(30)'] : ['chr(31)', 'chr(30)'];
  const key = dims.map(([, e]) => `coalesce(cast(${e} as text), ${none})`).join(` || ${unit} || `);
  return [['k', key], ...dims];
}

/** The statements that create a rollup table and its index. */
function tableDdl(spec: RollupSpec, dialect: Dialect): string[] {
  const dims = ['day', ...spec.dimensions.map(rollupColumn)];
  const flags = new Set(['inside_corp', 'vpn']);
  const columns = [
    'k text primary key',
    ...dims.map((d) => `${d} ${flags.has(d) ? 'integer' : 'text'}`),
    ...counters(spec, 'r').map(
      ([c]) => `${c} ${isReal(c) ? (dialect === 'sqlite' ? 'real' : 'double precision') : 'integer'} not null`,
    ),
  ];
  return [
    `create table ${spec.table} (${columns.join(', ')})`,
    `create index ${spec.table}_day on ${spec.table} (day)`,
  ];
}

function upsertTail(spec: RollupSpec): string {
  const sets = counters(spec, 'r').map(([c]) => `${c} = ${spec.table}.${c} + excluded.${c}`);
  return `on conflict (k) do update set ${sets.join(', ')}`;
}

/**
 * SQLite: row triggers only mark the days whose streams changed (one `insert or ignore` of a tiny table per row); the
 * analytics role recomputes those days of every rollup before it reads one (`rollupRefreshDay`). Upserting each
 * rollup row per stream row cost a third of import throughput (bench/rollup-ingest.ts).
 */
export const SQLITE_DIRTY_DDL: readonly string[] = [
  'create table stream_rollup_dirty (day text primary key)',
  ...(
    [
      ['insert', ['new']],
      ['delete', ['old']],
      ['update', ['old', 'new']],
    ] as const
  ).map(
    ([event, refs]) =>
      `create trigger stream_rollup_dirty_${event} after ${event} on streams begin ` +
      refs
        .map((r) => `insert or ignore into stream_rollup_dirty (day) values (substr(${r}.start_key, 1, 10));`)
        .join(' ') +
      ' end',
  ),
];

/** The names of the SQLite triggers that mark days. */
export const SQLITE_DIRTY_TRIGGERS = ['insert', 'delete', 'update'].map((e) => `stream_rollup_dirty_${e}`);

/**
 * The statements that recompute one day of a rollup from `streams` (SQLite): parameters `[day]`, then
 * `[dayStartKey, nextDayStartKey]`.
 */
export function rollupRefreshDay(spec: RollupSpec): [string, string] {
  return [
    `delete from ${spec.table} where day = ?`,
    addAggregate(spec, 'streams', 'sqlite', 'start_key >= ? and start_key < ?'),
  ];
}

/** `insert … select` of the aggregate of a relation of stream rows into a rollup (adding to existing groups). */
function addAggregate(spec: RollupSpec, relation: string, dialect: Dialect, where = 'true'): string {
  const parts = keyParts(spec, 'r', dialect);
  const cols = [...parts.map(([c]) => c), ...counters(spec, 'r').map(([c]) => c)];
  const select = [...parts.map(([, e]) => e), ...counters(spec, 'r').map(([, , a]) => a)];
  const groupBy = parts.map((_, i) => String(i + 1)).join(', ');
  // SQLite needs a where clause before an upsert's on conflict in insert … select (its parsing ambiguity).
  return (
    `insert into ${spec.table} (${cols.join(', ')}) select ${select.join(', ')} from ${rowsOf(spec, relation, where)} ` +
    `group by ${groupBy} ${upsertTail(spec)}`
  );
}

/** PostgreSQL: statement triggers over transition tables, one aggregate per statement. */
function postgresTriggers(spec: RollupSpec): string[] {
  const key = keyParts(spec, 'r', 'postgres')[0]![1];
  const subtract = (relation: string) => {
    const sums = counters(spec, 'r').map(([c, , a]) => `${a} as ${c}`);
    const sets = counters(spec, 'r').map(([c]) => `${c} = t.${c} - d.${c}`);
    return (
      `update ${spec.table} t set ${sets.join(', ')} from (select ${key} as k, ${sums.join(', ')} from ${rowsOf(spec, relation, 'true')} group by 1) d where t.k = d.k; ` +
      `delete from ${spec.table} where streams = 0 and k in (select ${key} from ${relation} r);`
    );
  };
  const fn = (name: string, body: string) =>
    `create function ${name}() returns trigger language plpgsql as $$ begin ${body} return null; end $$`;
  const t = spec.table;
  return [
    fn(`${t}_added`, `${addAggregate(spec, 'new_rows', 'postgres')};`),
    fn(`${t}_removed`, subtract('old_rows')),
    fn(`${t}_changed`, `${subtract('old_rows')} ${addAggregate(spec, 'new_rows', 'postgres')};`),
    `create trigger ${t}_insert after insert on streams referencing new table as new_rows for each statement execute function ${t}_added()`,
    `create trigger ${t}_delete after delete on streams referencing old table as old_rows for each statement execute function ${t}_removed()`,
    `create trigger ${t}_update after update on streams referencing old table as old_rows new table as new_rows for each statement execute function ${t}_changed()`,
  ];
}

/** Every statement that creates a rollup: its table and index, and on PostgreSQL its triggers (SQLite: SQLITE_DIRTY_DDL). */
export function rollupDdl(spec: RollupSpec, dialect: Dialect): string[] {
  return [...tableDdl(spec, dialect), ...(dialect === 'sqlite' ? [] : postgresTriggers(spec))];
}

/** The statements that make a rollup equal to the aggregate of `streams` again (after a bulk load or a repair). */
export function rollupRebuild(spec: RollupSpec, dialect: Dialect): string[] {
  return [`delete from ${spec.table}`, addAggregate(spec, 'streams', dialect)];
}
