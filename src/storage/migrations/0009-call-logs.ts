import { PostgresAdapter, sql, type Kysely } from 'kysely';
import { CALL_LOG_TABLES } from '../call-log-types.js';

/**
 * The telephony logs (issue 14): one table per kind — PSTN calls, Direct Routing calls, SMS, PSTN blocked users,
 * audio-conferencing dial-out reports — each keyed on `row_key` (the row's GUID `id`, or a hash of its content for
 * the kinds without one), so the same row received twice is stored once. `time_key` is the time the kind's Graph
 * function filters on (startDateTime, sentDateTime, blockDateTime; a report's period start), in the sortable UTC form;
 * `(time_key, row_key)` serves the windows and the keyset pages, `link_key` the join of Direct Routing rows to call
 * records (correlationId), `(user_id, time_key)` the join by user and the privacy purge. On PostgreSQL key columns
 * use the "C" collation, so both stores order them byte-wise alike.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const key = postgres ? sql.raw('text collate "C"') : sql.raw('text');
  for (const table of CALL_LOG_TABLES) {
    const t = sql.table(table);
    await sql`create table ${t} (
      row_key ${key} primary key,
      time_key ${key} not null,
      period_end_key ${key},
      link_key ${key},
      user_id ${key},
      row_json text not null,
      received_at text not null
    )`.execute(db);
    await sql`create index ${sql.raw(`${table}_by_time`)} on ${t} (time_key, row_key)`.execute(db);
    await sql`create index ${sql.raw(`${table}_by_user`)} on ${t} (user_id, time_key)`.execute(db);
    if (table === 'direct_routing_logs') {
      await sql`create index direct_routing_logs_by_link on direct_routing_logs (link_key)`.execute(db);
    }
  }
}

/** Drops the tables `up` created. */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of CALL_LOG_TABLES) await sql`drop table ${sql.table(table)}`.execute(db);
}
