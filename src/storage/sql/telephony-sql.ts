import { sql, type RawBuilder } from 'kysely';
import {
  TELEPHONY_DIMENSIONS,
  type TelephonyDimension,
  type TelephonyMeasure,
} from '../../analytics/telephony/telephony-catalog.js';
import type { TelephonyQuery } from '../../analytics/telephony/telephony-query.js';
import type { FilterNode, FilterValue } from '../../analytics/query/filter.js';
import { compile, type AnalyticsDialect, type CompiledSql } from './analytics-sql.js';

/**
 * The SQL of a telephony analytics query (`GET /api/analytics/telephony`), for both dialects through Kysely's
 * compilers. It reads the PSTN and Direct Routing tables of migration 0009 as one row set (`union all`), taking each
 * property from the stored row JSON (json_extract on SQLite, jsonb `->>` on PostgreSQL); dimension `gN`, measure `mN`.
 */
export function telephonySql(query: TelephonyQuery, dialect: AnalyticsDialect): CompiledSql {
  const needsRecord = query.by.includes('hasCallRecord') || filterUses(query.filter, 'hasCallRecord');
  const rows = sql`(${pstnRows(dialect)} union all ${directRoutingRows(dialect, needsRecord)}) t`;
  const dims = query.by.map((d, i) => sql`${dimension(d, dialect)} as ${sql.ref(`g${i}`)}`);
  const measures = query.measures.map((m, i) => sql`${measure(m)} as ${sql.ref(`m${i}`)}`);
  const where = query.filter === undefined ? sql`1 = 1` : condition(query.filter, dialect);
  const groupBy =
    query.by.length === 0 ? sql`` : sql` group by ${sql.join(query.by.map((_, i) => sql.raw(String(i + 1))))}`;
  return compile(sql`select ${sql.join([...dims, ...measures])} from ${rows} where ${where}${groupBy}`, dialect);
}

type Kind = 'text' | 'real';

/** A property of the stored row as text or a number (null when absent). */
function prop(name: string, kind: Kind, dialect: AnalyticsDialect): RawBuilder<unknown> {
  if (dialect === 'sqlite') {
    const value = sql`json_extract(row_json, ${sql.lit(`$.${name}`)})`;
    return kind === 'real' ? sql`cast(${value} as real)` : sql`cast(${value} as text)`;
  }
  const value = sql`(j ->> ${sql.lit(name)})`;
  return kind === 'real' ? sql`cast(${value} as double precision)` : value;
}

function none(kind: Kind | 'int'): RawBuilder<unknown> {
  return sql.raw(
    kind === 'text'
      ? 'cast(null as text)'
      : kind === 'int'
        ? 'cast(null as integer)'
        : 'cast(null as double precision)',
  );
}

function flag(name: string, dialect: AnalyticsDialect): RawBuilder<unknown> {
  if (dialect === 'sqlite') {
    return sql`(case json_type(row_json, ${sql.lit(`$.${name}`)}) when 'true' then 1 when 'false' then 0 end)`;
  }
  return sql`(case j -> ${sql.lit(name)} when 'true'::jsonb then 1 when 'false'::jsonb then 0 end)`;
}

/**
 * A log table to read properties from. On PostgreSQL each row's JSON is parsed once, in a lateral subquery that
 * `offset 0` keeps from being inlined (inlined, every property would parse the text again); conditions on `time_key`
 * still reach the table and its index.
 */
function from(table: 'pstn_call_logs' | 'direct_routing_logs', dialect: AnalyticsDialect): RawBuilder<unknown> {
  if (dialect === 'sqlite') return sql.table(table);
  return sql`${sql.table(table)} cross join lateral (select cast(row_json as jsonb) as j offset 0) parsed`;
}

function pstnRows(d: AnalyticsDialect): RawBuilder<unknown> {
  return sql`select ${sql.join([
    sql`'pstn' as source`,
    sql`time_key`,
    sql`user_id`,
    sql`${prop('userPrincipalName', 'text', d)} as upn`,
    sql`${prop('usageCountryCode', 'text', d)} as country`,
    sql`${prop('callType', 'text', d)} as call_type`,
    sql`${none('text')} as trunk`,
    sql`${none('real')} as sip_code`,
    sql`${none('text')} as sip_phrase`,
    sql`${none('int')} as successful`,
    sql`${prop('duration', 'real', d)} as duration`,
    sql`${prop('charge', 'real', d)} as charge`,
    sql`${prop('currency', 'text', d)} as currency`,
    sql`${none('int')} as has_record`,
  ])} from ${from('pstn_call_logs', d)}`;
}

function directRoutingRows(d: AnalyticsDialect, withRecord: boolean): RawBuilder<unknown> {
  // A Direct Routing row's correlationId is its call record's id (link_key, migration 0009).
  const hasRecord = withRecord
    ? sql`(case when exists (select 1 from call_records r where r.id = link_key) then 1 else 0 end)`
    : none('int');
  return sql`select ${sql.join([
    sql`'directRouting'`,
    sql`time_key`,
    sql`user_id`,
    prop('userPrincipalName', 'text', d),
    prop('userCountryCode', 'text', d),
    prop('callType', 'text', d),
    prop('trunkFullyQualifiedDomainName', 'text', d),
    prop('finalSipCode', 'real', d),
    prop('finalSipCodePhrase', 'text', d),
    flag('successfulCall', d),
    prop('duration', 'real', d),
    none('real'),
    none('text'),
    hasRecord,
  ])} from ${from('direct_routing_logs', d)}`;
}

const DAY = sql`substr(time_key, 1, 10)`;

const COLUMN: Partial<Record<TelephonyDimension, string>> = {
  source: 'source',
  user: 'user_id',
  userPrincipalName: 'upn',
  country: 'country',
  callType: 'call_type',
  trunk: 'trunk',
  sipCode: 'sip_code',
  sipPhrase: 'sip_phrase',
  successful: 'successful',
  currency: 'currency',
  hasCallRecord: 'has_record',
};

function dimension(d: TelephonyDimension, dialect: AnalyticsDialect): RawBuilder<unknown> {
  switch (d) {
    case 'day':
      return DAY;
    case 'month':
      return sql`substr(time_key, 1, 7)`;
    case 'week':
      // The Monday of the ISO week: SQLite moves to the next Sunday (or stays) and back six days.
      return dialect === 'sqlite'
        ? sql`date(${DAY}, 'weekday 0', '-6 days')`
        : sql`to_char(date_trunc('week', cast(${DAY} as date)), 'YYYY-MM-DD')`;
    case 'direction':
      return sql`(case when lower(call_type) like '%out' then 'outbound' when lower(call_type) like '%in' then 'inbound' end)`;
    default:
      return sql.ref(COLUMN[d]!);
  }
}

const count = (condition: RawBuilder<unknown>) => sql`coalesce(sum(case when ${condition} then 1 else 0 end), 0)`;

function measure(m: TelephonyMeasure): RawBuilder<unknown> {
  switch (m) {
    case 'calls':
      return sql`count(*)`;
    case 'users':
      return sql`count(distinct user_id)`;
    case 'successfulCalls':
      return count(sql`successful = 1`);
    case 'failedCalls':
      return count(sql`successful = 0`);
    case 'successRate':
      return sql`cast(100.0 * ${count(sql`successful = 1`)} / nullif(count(successful), 0) as double precision)`;
    case 'minutes':
      return sql`cast(coalesce(sum(duration), 0) / 60.0 as double precision)`;
    case 'avgMinutes':
      return sql`cast(avg(duration) / 60.0 as double precision)`;
    case 'charge':
      return sql`cast(sum(charge) as double precision)`;
  }
}

function filterUses(node: FilterNode | undefined, name: string): boolean {
  if (node === undefined) return false;
  if (node.kind === 'compare' || node.kind === 'in') return node.name === name;
  if (node.kind === 'not') return filterUses(node.item, name);
  return node.items.some((item) => filterUses(item, name));
}

const SQL_OPS: Record<string, string> = { eq: '=', gt: '>', ge: '>=', lt: '<', le: '<=' };

function condition(node: FilterNode, dialect: AnalyticsDialect): RawBuilder<unknown> {
  switch (node.kind) {
    case 'and':
    case 'or':
      return sql`(${sql.join(
        node.items.map((item) => condition(item, dialect)),
        sql.raw(` ${node.kind} `),
      )})`;
    case 'not':
      return sql`not (${condition(node.item, dialect)})`;
    case 'in':
      return sql`(${sql.join(
        node.values.map((v) => comparison(node.name as TelephonyDimension, 'eq', v, dialect)),
        sql` or `,
      )})`;
    case 'compare':
      return comparison(node.name as TelephonyDimension, node.op, node.value, dialect);
  }
}

function comparison(d: TelephonyDimension, op: string, value: FilterValue, dialect: AnalyticsDialect) {
  if (d === 'day' && typeof value === 'string') return dayRange(op, value);
  const column = dimension(d, dialect);
  if (value === null) return op === 'ne' ? sql`${column} is not null` : sql`${column} is null`;
  const bound = TELEPHONY_DIMENSIONS[d].type === 'boolean' ? (value === true ? 1 : 0) : value;
  // `ne` keeps the rows whose value is unknown, as the call-quality analytics' filters do.
  if (op === 'ne') return sql`(${column} <> ${bound} or ${column} is null)`;
  // Never unknown (a null value compares false), so `not (…)` keeps the rows whose value is unknown, as `ne` does.
  return sql`(${column} ${sql.raw(SQL_OPS[op]!)} ${bound} and ${column} is not null)`;
}

/**
 * A comparison of the day with a date as a range of `time_key` (sortable UTC text, so `yyyy-mm-dd…` orders by day):
 * both stores push it into each branch of the union, where the logs' `(time_key, row_key)` index serves it.
 */
function dayRange(op: string, day: string): RawBuilder<unknown> {
  const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  switch (op) {
    case 'eq':
      return sql`(time_key >= ${day} and time_key < ${next})`;
    case 'ne':
      return sql`(time_key < ${day} or time_key >= ${next})`;
    case 'gt':
      return sql`time_key >= ${next}`;
    case 'ge':
      return sql`time_key >= ${day}`;
    case 'lt':
      return sql`time_key < ${day}`;
    default:
      return sql`time_key < ${next}`;
  }
}
