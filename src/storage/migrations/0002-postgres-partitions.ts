import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * PostgreSQL only (a no-op on SQLite): the record tables become partitioned by month of the record's startDateTime,
 * so that retention drops whole months (src/storage/postgres/partitions.ts creates and drops the monthly partitions).
 *
 * A partitioned table's primary key must include the partition key, so every key gains `start_key`; `sessions` and
 * `record_versions` gain a `start_key` column (the record's current start) to be partitioned by. Every primary key
 * still leads with the record id — what Citus needs to distribute the tables by record id (docs/scaling.md). Key and
 * time columns use the "C" collation so that PostgreSQL orders ids and times byte-wise, exactly as SQLite does.
 *
 * JSON columns are compressed with lz4 where the server has it (several times faster than the default pglz, on the
 * server's CPU, for every record written); the history is brotli already, so PostgreSQL does not try again.
 *
 * No PostgreSQL database can hold rows in 0001's tables (0001 and 0002 landed together for PostgreSQL and run in one
 * transaction), so they are replaced rather than converted; a non-empty table stops the migration instead.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  for (const table of ['call_records', 'sessions', 'participants', 'record_versions']) {
    const rows = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(db);
    if (rows.rows[0]!.n > 0) throw new Error(`table ${table} is not empty; cannot partition it in place`);
    await sql`drop table ${sql.table(table)}`.execute(db);
  }
  const settings = await sql<{ lz4: boolean }>`
    select 'lz4' = any(enumvals) as lz4 from pg_settings where name = 'default_toast_compression'`.execute(db);
  const json = settings.rows[0]?.lz4 === true ? sql`text compression lz4` : sql`text`;
  await sql`
    create table call_records (
      id text collate "C" not null,
      version bigint not null,
      start_key text collate "C" not null,
      end_key text collate "C" not null,
      last_modified_key text collate "C" not null,
      record_json ${json} not null,
      session_count integer not null,
      participant_count integer not null,
      content_hash text collate "C" not null,
      has_evolvable integer not null,
      received_at text collate "C" not null,
      constraint call_records_pk primary key (id, start_key)
    ) partition by range (start_key)`.execute(db);
  await sql`create index call_records_by_start on call_records (start_key, id)`.execute(db);
  await sql`
    create table sessions (
      record_id text collate "C" not null,
      start_key text collate "C" not null,
      ordinal integer not null,
      session_id text collate "C" not null,
      session_json ${json} not null,
      segments_json ${json} not null,
      constraint sessions_pk primary key (record_id, ordinal, start_key)
    ) partition by range (start_key)`.execute(db);
  await sql`create index sessions_by_id on sessions (record_id, session_id)`.execute(db);
  await sql`
    create table participants (
      record_id text collate "C" not null,
      start_key text collate "C" not null,
      ordinal integer not null,
      participant_id text collate "C" not null,
      participant_json ${json} not null,
      constraint participants_pk primary key (record_id, ordinal, start_key)
    ) partition by range (start_key)`.execute(db);
  await sql`create index participants_by_participant on participants (participant_id, start_key, record_id)`.execute(
    db,
  );
  await sql`
    create table record_versions (
      record_id text collate "C" not null,
      start_key text collate "C" not null,
      content_hash text collate "C" not null,
      version bigint not null,
      last_modified text not null,
      received_at text collate "C" not null,
      raw_brotli bytea not null,
      constraint record_versions_pk primary key (record_id, content_hash, start_key)
    ) partition by range (start_key)`.execute(db);
  await sql`alter table record_versions alter column raw_brotli set storage external`.execute(db);
  await sql`create index record_versions_by_version on record_versions (record_id, version)`.execute(db);
}

/** Nothing to undo that 0001's down does not drop. */
export async function down(): Promise<void> {}
