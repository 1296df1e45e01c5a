import { sql, type Kysely } from 'kysely';

/**
 * Privacy purges (src/privacy/, docs/privacy.md). `euii_purged` marks the records whose end-user identifiable
 * information was removed, with when, so the hourly pass does not scan them again; retention's removals are forgotten
 * by the next pass. A table of its own rather than a column of `call_records`: a write that replaces the head does
 * not touch it. Not partitioned on PostgreSQL (one short row per purged record).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table euii_purged (record_id text primary key, purged_at text not null)`.execute(db);
}

/** Drops what `up` added. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table euii_purged`.execute(db);
}
