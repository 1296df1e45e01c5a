import { sql, type Kysely } from 'kysely';

/**
 * Completeness of bodies (src/domain/completeness.ts, docs/api.md "Version rules"). `call_records` gains the current
 * body's rank (`completeness`: 0 no sessions, 1 cut short, 2 whole — it orders equal versions, so the stores read it
 * with the head), what it lacks (`partial`, null when whole) and the source's next links (`next_links`, a JSON
 * object text, for a collector to follow; kept out of the JSON served to Graph clients). `record_versions` gains
 * `partial` and `next_links`, so the history says which versions were partial and a backup keeps their links.
 * Existing rows count as whole, except a current version without sessions, which can only be a list-page copy.
 *
 * The partial index holds only partial records, so listing and counting them (`GET /api/callRecords?partial=true`,
 * `/api/health`) costs nothing on an archive of whole records. On PostgreSQL these statements on the partitioned
 * parents reach every partition (and each partition created later inherits them).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table call_records add column completeness integer not null default 2`.execute(db);
  await sql`alter table call_records add column partial text`.execute(db);
  await sql`alter table call_records add column next_links text`.execute(db);
  await sql`alter table record_versions add column partial text`.execute(db);
  await sql`alter table record_versions add column next_links text`.execute(db);
  // Records stored before completeness was known: one without sessions can only be a list-page copy (a record Graph
  // returns whole has at least one session), so it must not tie with the whole body of its version when that arrives.
  await sql`update call_records set completeness = 0, partial = 'no sessions (a list-page copy)' where session_count = 0`.execute(
    db,
  );
  await sql`create index call_records_partial on call_records (id) where completeness < 2`.execute(db);
}

/** Drops what `up` added. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index call_records_partial`.execute(db);
  for (const column of ['completeness', 'partial', 'next_links']) {
    await sql`alter table call_records drop column ${sql.ref(column)}`.execute(db);
  }
  await sql`alter table record_versions drop column partial`.execute(db);
  await sql`alter table record_versions drop column next_links`.execute(db);
}
