import { sql, type Kysely } from 'kysely';

/**
 * Privacy purges (src/privacy/, docs/privacy.md). `euii_purged` marks the records whose end-user identifiable
 * information was removed, with when, so the hourly pass does not scan them again; retention's removals are forgotten
 * by the next pass. `euii_erasures` keeps the pseudonyms of people erased on request (`purge --user`; never their
ids), so a record naming one of them that arrives later is stored erased. A table of its own rather than a column of `call_records`: a write that replaces the head does
 * not touch it. Not partitioned on PostgreSQL (one short row per purged record).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table euii_purged (record_id text primary key, purged_at text not null)`.execute(db);
  await sql`create table euii_erasures (pseudonym text primary key, erased_at text not null)`.execute(db);
}

/** Drops what `up` added. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table euii_erasures`.execute(db);
  await sql`drop table euii_purged`.execute(db);
}
