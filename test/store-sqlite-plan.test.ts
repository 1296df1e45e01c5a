/**
 * The list filters and the partial-records list are answered from indexes, not by scanning the table (asserted on
 * SQLite's query plan).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { migrateToLatest } from '../src/storage/migrate.js';
import { SQLITE_SQL } from '../src/storage/sql/dialect-sql.js';
import type { Database } from '../src/storage/sql/schema.js';
import { buildStatements } from '../src/storage/sql/statements.js';
import { openSqliteDatabase, type SqliteDatabase } from '../src/storage/sqlite/sqlite-database.js';

let store: SqliteDatabase;
before(async () => (store = await openSqliteDatabase(':memory:')));
after(() => store.close());

const WINDOW = [
  { op: 'ge' as const, value: '2024-01-01T00:00:00.0000000Z' },
  { op: 'lt' as const, value: '2024-02-01T00:00:00.0000000Z' },
];

test('a startDateTime window is a range search on the start index', () => {
  const plan = store.records.explainList({ start: WINDOW, limit: 61 }).join('\n');
  assert.match(plan, /SEARCH call_records USING INDEX call_records_by_start \(start_key>\? AND start_key<\?\)/);
  assert.doesNotMatch(plan, /SCAN call_records|TEMP B-TREE/);
});

test('the next page seeks past the cursor on the same index', () => {
  const plan = store.records
    .explainList({ start: WINDOW, after: { startKey: '2024-01-05T00:00:00.0000000Z', id: 'x' }, limit: 61 })
    .join('\n');
  assert.match(plan, /USING INDEX call_records_by_start/);
  assert.doesNotMatch(plan, /SCAN call_records|TEMP B-TREE/);
});

test('a participant filter pages along the participant index, without sorting', () => {
  const plan = store.records
    .explainList({
      start: WINDOW,
      participantId: 'user-1',
      after: { startKey: '2024-01-05T00:00:00.0000000Z', id: 'x' },
      limit: 61,
    })
    .join('\n');
  assert.match(
    plan,
    /SEARCH participants USING COVERING INDEX participants_by_participant \(participant_id=\? AND start_key>\? AND start_key<\?\)/,
  );
  // Each match is one lookup of its record (by id, or by start key and id: both unique).
  assert.match(
    plan,
    /SEARCH c USING INDEX (sqlite_autoindex_call_records_1 \(id=\?\)|call_records_by_start \(start_key=\? AND id=\?\))/,
  );
  assert.doesNotMatch(plan, /TEMP B-TREE|SCAN call_records|SCAN participants/);
});

test('the partial records are listed and counted from the partial index alone', async () => {
  const db = new BetterSqlite3(':memory:');
  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: db }) });
  try {
    await migrateToLatest(kysely as Kysely<unknown>);
    const sql = buildStatements(kysely, SQLITE_SQL);
    const plan = (text: string, ...values: unknown[]) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${text}`).all(...values) as { detail: string }[]).map((r) => r.detail).join('\n');
    const page = plan(sql.partialPage.sql, 'x', 100);
    assert.match(page, /SEARCH call_records USING INDEX call_records_partial \(id>\?\)/);
    assert.doesNotMatch(page, /TEMP B-TREE/);
    assert.match(plan(sql.partialCount.sql), /USING (COVERING )?INDEX call_records_partial/);
  } finally {
    await kysely.destroy();
  }
});
