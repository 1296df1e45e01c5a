import { sql, type RawBuilder } from 'kysely';
import { DIMENSIONS, USER_FILTER, type DimensionName } from '../../analytics/query/catalog.js';
import type { FilterNode, FilterValue } from '../../analytics/query/filter.js';
import { rollupColumn, STREAM_DIMENSION_COLUMN, type RollupSpec } from './analytics-columns.js';

/**
 * The parts of an analytics statement that name rows: each dimension's SQL over the per-stream table or a rollup, and
 * a filter as a condition (analytics-sql.ts puts them together).
 */

/** The SQL dialects an analytics query compiles for. */
export type AnalyticsDialect = 'sqlite' | 'postgres';

/** What a statement reads: the per-stream table, or a rollup. */
export type Source = { kind: 'streams' } | { kind: 'rollup'; spec: RollupSpec };

function dayOf(source: Source): RawBuilder<string> {
  return source.kind === 'streams' ? sql`substr(start_key, 1, 10)` : sql`day`;
}

/** A dimension's value: text, a 0/1 flag, or a yyyy-mm-dd / yyyy-mm date text. */
export function dimension(d: DimensionName, source: Source, dialect: AnalyticsDialect): RawBuilder<unknown> {
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

/** A filter as a SQL condition; on the per-stream table a day comparison is a range of start keys. */
export function condition(node: FilterNode, source: Source, dialect: AnalyticsDialect): RawBuilder<unknown> {
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
