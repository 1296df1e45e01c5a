import { sql, type Kysely } from 'kysely';
import { CALL_LOG_TABLES } from '../call-log-types.js';

/**
 * The privacy purge of the telephony logs (src/privacy/log-purge.ts, docs/privacy.md): `euii_purged_at` marks a row
 * whose end-user identifiable information was removed, with when, so the hourly pass does not scan it again; a write
 * that replaces the row's body clears it. The partial index holds only the rows not yet purged, so a pass finds the
 * old ones among them without walking every row already done.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const table of CALL_LOG_TABLES) {
    await sql`alter table ${sql.table(table)} add column euii_purged_at text`.execute(db);
    await sql`create index ${sql.raw(`${table}_unpurged`)} on ${sql.table(table)} (time_key, row_key)
      where euii_purged_at is null`.execute(db);
  }
}

/** Drops what `up` added. */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of CALL_LOG_TABLES) {
    await sql`drop index ${sql.raw(`${table}_unpurged`)}`.execute(db);
    await sql`alter table ${sql.table(table)} drop column euii_purged_at`.execute(db);
  }
}
