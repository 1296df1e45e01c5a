/**
 * Migration 0003 on an archive written before completeness was known: a current version without sessions can only be
 * a list-page copy, so it is marked partial and the whole body of its version wins when it arrives.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { migrationProvider } from '../src/storage/migrations/index.js';
import { openDatabase } from '../src/storage/open-database.js';
import { toRecordWrite } from '../src/service/record-fragments.js';
import { completenessOf } from '../src/domain/completeness.js';
import { validateCallRecord } from '../src/domain/validate.js';
import { makeRecord } from './helpers/records.js';

const dir = mkdtempSync(join(tmpdir(), 'callrecords-m0003-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A row as the store before 0003 wrote it: the head of a record, with its session count. */
function insertOldHead(db: BetterSqlite3.Database, id: string, sessionCount: number): void {
  db.prepare(
    `insert into call_records (id, version, start_key, end_key, last_modified_key, record_json, session_count,
       participant_count, content_hash, has_evolvable, received_at)
     values (?, 1, '2024-01-01', '2024-01-01', '2024-01-01', '{}', ?, 0, ?, 0, '2024-01-01T00:00:00.000Z')`,
  ).run(id, sessionCount, `hash-${id}`);
}

test('a sessionless current version stored before 0003 is partial afterwards, and the whole body replaces it', async () => {
  const path = join(dir, 'old.db');
  const raw = new BetterSqlite3(path);
  const kysely = new Kysely<unknown>({ dialect: new SqliteDialect({ database: raw }) });
  const migrator = new Migrator({ db: kysely, provider: migrationProvider });
  const { error } = await migrator.migrateTo('0002-postgres-partitions');
  assert.equal(error, undefined);
  insertOldHead(raw, 'old-list-copy', 0);
  insertOldHead(raw, 'old-whole', 3);
  await kysely.destroy();

  const db = await openDatabase(`sqlite:${path}`);
  try {
    assert.deepEqual(
      (await db.records.listPartialRecords({ limit: 10 })).map((p) => [p.id, p.partial]),
      [['old-list-copy', 'no sessions (a list-page copy)']],
    );
    assert.equal((await db.meta.health()).partial, 1);

    // The whole body of the same version (and lastModifiedDateTime) arrives: it must win, whatever its hash.
    const whole = makeRecord({ id: 'old-list-copy', version: 1, sessions: 2 });
    const checked = validateCallRecord(structuredClone(whole));
    assert.ok(checked.ok);
    const write = toRecordWrite(checked.record, checked.hasEvolvableMembers, completenessOf(whole));
    const [result] = await db.records.write([{ ...write, lastModifiedKey: '2024-01-01' }], '2024-02-01T00:00:00.000Z');
    assert.equal(result!.status, 'updated');
    assert.equal((await db.records.readRecord('old-list-copy'))?.sessionCount, 2);
    assert.equal((await db.meta.health()).partial, 0);
  } finally {
    await db.close();
  }
});
