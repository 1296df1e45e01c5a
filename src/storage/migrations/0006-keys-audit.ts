import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * API keys and the audit trail (issue 11, docs/security.md). `api_keys` holds one row per key: its id (the public part
 * of `cr_<id>_<secret>`), the SHA-256 of the whole key (never the key), a name, a role, when it was created, when it
 * expires (null: never) and when it was revoked (null: not). `audit_log` holds one row per authenticated request: a
 * sequence number (the paging key), when, who (identity id, kind, name), what (method, route pattern, record id) and
 * the answer's status; `audit_log_at` serves audit retention. Times are ISO 8601 UTC texts, which sort as instants.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const text = postgres ? sql`text collate "C"` : sql`text`;
  await sql`
    create table api_keys (
      id ${text} primary key,
      hash ${text} not null,
      name text not null,
      role text not null,
      created_at ${text} not null,
      expires_at ${text},
      revoked_at ${text}
    )`.execute(db);
  const seq = postgres ? sql`bigint generated always as identity primary key` : sql`integer primary key autoincrement`;
  await sql`
    create table audit_log (
      seq ${seq},
      at ${text} not null,
      identity_id text not null,
      identity_kind text not null,
      identity_name text not null,
      method text not null,
      route text not null,
      record_id text,
      status integer not null
    )`.execute(db);
  await sql`create index audit_log_at on audit_log (at)`.execute(db);
}

/** Drops what `up` created. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table audit_log`.execute(db);
  await sql`drop table api_keys`.execute(db);
}
