/**
 * Migration 0008 on an archive written before the stream table existed: its records have no stream rows yet, the
 * store says so (`stale`), and `rebuild` derives them from the stored JSON and clears it.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { CURRENT_RULES } from '../src/analytics/rule-sets.js';
import { validateCallRecord } from '../src/domain/validate.js';
import { toRecordWrite } from '../src/service/record-fragments.js';
import { migrationProvider } from '../src/storage/migrations/index.js';
import { openDatabase } from '../src/storage/open-database.js';
import { makeRecord } from './helpers/records.js';

const dir = mkdtempSync(join(tmpdir(), 'callrecords-m0008-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('records stored before 0008 have no stream rows until a rebuild, and the status says so', async () => {
  const path = join(dir, 'old.db');
  const raw = new BetterSqlite3(path);
  const kysely = new Kysely<unknown>({ dialect: new SqliteDialect({ database: raw }) });
  const { error } = await new Migrator({ db: kysely, provider: migrationProvider }).migrateTo('0003-completeness');
  assert.equal(error, undefined);
  const checked = validateCallRecord(makeRecord({ id: 'before-0008', sessions: 3 }));
  assert.ok(checked.ok);
  const w = toRecordWrite(checked.record, checked.hasEvolvableMembers);
  raw
    .prepare(
      `insert into call_records (id, version, start_key, end_key, last_modified_key, record_json, session_count,
         participant_count, content_hash, has_evolvable, received_at) values (?, 1, ?, ?, ?, ?, 3, 2, 'h', 0, 'r')`,
    )
    .run(w.id, w.startKey, w.endKey, w.lastModifiedKey, w.recordJson);
  w.sessions.forEach((s, i) =>
    raw
      .prepare(
        `insert into sessions (record_id, ordinal, session_id, session_json, segments_json) values (?, ?, ?, ?, ?)`,
      )
      .run(w.id, i, s.id, s.json, s.segmentsJson),
  );
  await kysely.destroy();

  const db = await openDatabase(`sqlite:${path}`);
  try {
    assert.equal((await db.streams.status()).stale, 'records stored before migration 0008');
    assert.deepEqual(await db.streams.readStreams({}, undefined, 10), []);
    assert.deepEqual(await db.streams.rebuild(CURRENT_RULES), { records: 1, streams: 3 });
    const status = await db.streams.status();
    assert.equal(status.stale, undefined);
    const rows = await db.streams.readStreams({}, undefined, 10);
    assert.deepEqual(
      rows.map((r) => [r.record_id, r.session_id, r.media_type, r.first_role, r.sender_platform, r.classification]),
      [0, 1, 2].map((i) => ['before-0008', `before-0008-s${i}`, 'audio', 'callee', 'windows', 'Good']),
    );
  } finally {
    await db.close();
  }
});
