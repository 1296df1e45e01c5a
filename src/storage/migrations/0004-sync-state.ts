import { sql, type Kysely } from 'kysely';

/**
 * The Graph collector's state (the `sync` role, roles.ts): `sync_queue` (one row per record id to fetch: `state`
 * queued / leased / failed, due time, the lease's owner and expiry, attempts, the last error, and `again_at` — a
 * due time noted when the id was queued again while leased), `sync_state` (named values: sweep cursor, last sweep,
 * subscription), `sync_leases` (named leases with owner and expiry) and `sync_events` (recent 429s and lag
 * samples). Times are epoch milliseconds.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table sync_queue (
    id text primary key,
    state text not null,
    reason text not null,
    known_version bigint,
    due_at bigint not null,
    enqueued_at bigint not null,
    attempts integer not null default 0,
    owner text,
    lease_until bigint,
    again_at bigint,
    last_error text,
    updated_at bigint not null
  )`.execute(db);
  await sql`create index sync_queue_due on sync_queue (state, due_at)`.execute(db);
  await sql`create table sync_state (key text primary key, value text not null)`.execute(db);
  await sql`create table sync_leases (name text primary key, owner text not null, expires_at bigint not null)`.execute(
    db,
  );
  await sql`create table sync_events (kind text not null, at bigint not null, value double precision not null)`.execute(
    db,
  );
  await sql`create index sync_events_by_kind on sync_events (kind, at)`.execute(db);
}

/** Drops what `up` added. */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['sync_events', 'sync_leases', 'sync_state', 'sync_queue']) {
    await sql`drop table ${sql.table(table)}`.execute(db);
  }
}
