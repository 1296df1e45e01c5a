import { PostgresAdapter, type Kysely } from 'kysely';

/** Creates the record tables and the indexes behind $filter (startDateTime, participant id) and paging. */
export async function up(db: Kysely<unknown>): Promise<void> {
  // PostgreSQL has no 'blob' (this migration first ran on SQLite only; its SQLite DDL is unchanged).
  const bytes = db.getExecutor().adapter instanceof PostgresAdapter ? 'bytea' : 'blob';
  await db.schema
    .createTable('call_records')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('version', 'bigint', (c) => c.notNull())
    .addColumn('start_key', 'text', (c) => c.notNull())
    .addColumn('end_key', 'text', (c) => c.notNull())
    .addColumn('last_modified_key', 'text', (c) => c.notNull())
    .addColumn('record_json', 'text', (c) => c.notNull())
    .addColumn('session_count', 'integer', (c) => c.notNull())
    .addColumn('participant_count', 'integer', (c) => c.notNull())
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('has_evolvable', 'integer', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .execute();
  // List order and the startDateTime range filter (https://learn.microsoft.com/graph/api/callrecords-cloudcommunications-list-callrecords) both walk this index.
  await db.schema.createIndex('call_records_by_start').on('call_records').columns(['start_key', 'id']).execute();

  await db.schema
    .createTable('sessions')
    .addColumn('record_id', 'text', (c) => c.notNull())
    .addColumn('ordinal', 'integer', (c) => c.notNull())
    .addColumn('session_id', 'text', (c) => c.notNull())
    .addColumn('session_json', 'text', (c) => c.notNull())
    .addColumn('segments_json', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('sessions_pk', ['record_id', 'ordinal'])
    .execute();
  await db.schema.createIndex('sessions_by_id').on('sessions').columns(['record_id', 'session_id']).execute();

  await db.schema
    .createTable('participants')
    .addColumn('record_id', 'text', (c) => c.notNull())
    .addColumn('ordinal', 'integer', (c) => c.notNull())
    .addColumn('participant_id', 'text', (c) => c.notNull())
    .addColumn('start_key', 'text', (c) => c.notNull())
    .addColumn('participant_json', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('participants_pk', ['record_id', 'ordinal'])
    .execute();
  // participants_v2/any(p:p/id eq '…') (https://learn.microsoft.com/graph/api/callrecords-cloudcommunications-list-callrecords), with a startDateTime window and the keyset cursor, is one range
  // scan of this index.
  await db.schema
    .createIndex('participants_by_participant')
    .on('participants')
    .columns(['participant_id', 'start_key', 'record_id'])
    .execute();

  await db.schema
    .createTable('record_versions')
    .addColumn('record_id', 'text', (c) => c.notNull())
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('version', 'bigint', (c) => c.notNull())
    .addColumn('last_modified', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('raw_brotli', bytes, (c) => c.notNull())
    .addPrimaryKeyConstraint('record_versions_pk', ['record_id', 'content_hash'])
    .execute();
  await db.schema
    .createIndex('record_versions_by_version')
    .on('record_versions')
    .columns(['record_id', 'version'])
    .execute();

  await db.schema
    .createTable('store_meta')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
}

/** Drops everything the migration created. */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['store_meta', 'record_versions', 'participants', 'sessions', 'call_records']) {
    await db.schema.dropTable(table).execute();
  }
}
