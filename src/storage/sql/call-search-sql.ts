import { sql, type RawBuilder } from 'kysely';
import { STREAM_COLUMN_NAMES } from '../../analytics/stream-columns.js';
import type { CallSearchQuery } from '../call-search-types.js';
import { compile, type AnalyticsDialect, type CompiledSql } from './analytics-sql.js';

/**
 * The SQL of the call search and of one call's streams (docs/analytics.md, "Call search"), for both dialects through
 * Kysely's compilers. Both read the per-stream table: a call without media streams is not found.
 */

/**
 * The start keys of the next page's calls: the newest `limit` distinct start keys of the rows the query keeps, after
 * its cursor. Each start key has at least one call, so the calls of these keys fill the page. This is the statement
 * that walks the `streams_by_start` index backwards and stops early: its order and `distinct` are the index's own
 * (SQLite needs no temporary b-tree, PostgreSQL reads each month's index backwards), whereas ordering by start key and
 * id at once would make both stores gather every call of the range before the limit applies.
 */
export function pageStartsSql(query: CallSearchQuery, dialect: AnalyticsDialect): CompiledSql {
  return compile(
    sql`select distinct start_key from streams${where(conditions(query, dialect))} order by start_key desc limit ${query.limit}`,
    dialect,
  );
}

/**
 * One page of calls (`start_key`, `record_id`), newest first, after the query's cursor, among the start keys from
 * `pageStartsSql` (`newest` down to `oldest`): a call matches when any of its rows does, and `distinct` makes it one.
 */
export function callPageSql(
  query: CallSearchQuery,
  keys: { newest: string; oldest: string },
  dialect: AnalyticsDialect,
): CompiledSql {
  const range = [sql`start_key >= ${keys.oldest}`, sql`start_key <= ${keys.newest}`];
  return compile(
    sql`select distinct start_key, record_id from streams${where([...range, ...conditions(query, dialect)])} order by start_key desc, record_id desc limit ${query.limit}`,
    dialect,
  );
}

/** The conditions on one stream row: date range, cursor, poorOnly, user. */
function conditions(query: CallSearchQuery, dialect: AnalyticsDialect): RawBuilder<unknown>[] {
  const list: RawBuilder<unknown>[] = [];
  if (query.fromKey !== undefined) list.push(sql`start_key >= ${query.fromKey}`);
  if (query.toKey !== undefined) list.push(sql`start_key < ${query.toKey}`);
  if (query.after !== undefined) {
    const { startKey, id } = query.after;
    list.push(sql`(start_key < ${startKey} or (start_key = ${startKey} and record_id < ${id}))`);
  }
  if (query.poorOnly) list.push(sql`call_poor = 1`);
  if (query.user !== undefined) list.push(userCondition(query.user, dialect));
  return list;
}

function where(list: readonly RawBuilder<unknown>[]): RawBuilder<unknown> {
  return list.length === 0 ? sql`` : sql` where ${sql.join(list, sql` and `)}`;
}

/**
 * Either endpoint of the row is the user: its id equal to the text, or its display name containing it. `lower` folds
 * ASCII letters only on both stores (SQLite's built-in, PostgreSQL's under the columns' "C" collation), and the text
 * comes folded the same way, so both stores match the same rows. `instr`/`strpos` instead of `like`: no wildcards
 * to escape in a name.
 */
function userCondition(user: string, dialect: AnalyticsDialect): RawBuilder<unknown> {
  const contains = (column: string) =>
    dialect === 'sqlite'
      ? sql`instr(lower(${sql.ref(column)}), ${user}) > 0`
      : sql`strpos(lower(${sql.ref(column)}), ${user}) > 0`;
  return sql`(lower(sender_user_id) = ${user} or lower(receiver_user_id) = ${user} or ${contains('sender_user_name')} or ${contains('receiver_user_name')})`;
}

/** The stream columns a call's summary is made from (call-search-result.ts). */
export const SUMMARY_COLUMNS = [
  'record_id',
  'start_key',
  'ordinal',
  'call_type',
  'classification',
  'call_poor',
  'session_id',
  'segment_id',
  'session_failure_stage',
  'segment_failure_stage',
  'sender_user_id',
  'sender_user_name',
  'receiver_user_id',
  'receiver_user_name',
] as const;

/**
 * The summary columns of every stream of the page's calls, by call and stream order. The range of the page's start
 * keys lets PostgreSQL prune to the months it spans; each call is then found by the key that leads with its id.
 */
export function pageStreamsSql(
  calls: readonly { startKey: string; id: string }[],
  dialect: AnalyticsDialect,
): CompiledSql {
  const keys = calls.map((c) => c.startKey).sort();
  const ids = sql.join(calls.map((c) => sql`${c.id}`));
  const columns = sql.join(SUMMARY_COLUMNS.map((c) => sql.ref(c)));
  return compile(
    sql`select ${columns} from streams where start_key >= ${keys[0]} and start_key <= ${keys.at(-1)} and record_id in (${ids}) order by record_id, ordinal`,
    dialect,
  );
}

/** A call record's start key, or no row when it is not archived. */
export function recordStartSql(id: string, dialect: AnalyticsDialect): CompiledSql {
  return compile(sql`select start_key from call_records where id = ${id}`, dialect);
}

/** Every column of one call's streams, in stream order (the start key prunes PostgreSQL's month partitions). */
export function callStreamsSql(id: string, startKey: string, dialect: AnalyticsDialect): CompiledSql {
  const columns = sql.join(STREAM_COLUMN_NAMES.map((c) => sql.ref(c)));
  return compile(
    sql`select ${columns} from streams where record_id = ${id} and start_key = ${startKey} order by ordinal`,
    dialect,
  );
}
