/**
 * The privacy role (src/privacy/, docs/privacy.md): once a record is older than --euii-days, none of the EUII of
 * docs/privacy.md is left in any table or any stored version — read from the raw tables, history decompressed, and
 * on SQLite from the file's bytes (secure_delete) — while a newer record keeps it and the analytics fields survive.
 * An older version ingested after the purge brings nothing back; `purge --user` removes one person's data.
 */
import type { Json } from './helpers/json.js';
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { FakeClock } from '../src/fake-clock.js';
import { IngestService } from '../src/ingest/ingest-service.js';
import { Erasures } from '../src/privacy/erasures.js';
import { EuiiPurge } from '../src/privacy/euii-purge.js';
import { privacyHooks } from '../src/privacy/ingest-hooks.js';
import { decompressJson } from '../src/storage/compression.js';
import { databaseOf } from '../src/storage/open-database.js';
import { PostgresStore } from '../src/storage/postgres/postgres-store.js';
import type { CallRecordDatabase } from '../src/storage/roles.js';
import { openSqliteDatabase } from '../src/storage/sqlite/sqlite-database.js';
import { ANALYTICS, euiiRecord, euiiValues } from './helpers/euii-records.js';
import { POSTGRES_ENABLED, POSTGRES_URL, testSchema } from './helpers/postgres.js';

const NOW = new Date('2024-04-15T00:00:00.000Z');
const EUII_DAYS = 28; // cutoff 2024-03-18
const OLD_START = '2024-03-01T10:00:00Z';
const NEW_START = '2024-04-10T10:00:00Z';
const TABLES = ['call_records', 'sessions', 'participants', 'record_versions'];

/** A database of a backend, opened here, with a raw reader of every row a record owns (history decompressed). */
interface RawDatabase {
  db: CallRecordDatabase;
  /** Every column of every row of the record in every table, as one text. */
  rawText(id: string): Promise<string>;
  /** SQLite only: the database file's bytes (and its log's), as latin1 text. */
  fileBytes?: () => string;
  close(): Promise<void>;
}

function rowText(row: Record<string, unknown>): string {
  return Object.values(row)
    .map((v) => (Buffer.isBuffer(v) ? decompressJson(v) : String(v)))
    .join('\u0001');
}

async function openSqlite(): Promise<RawDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'callrecords-privacy-'));
  const path = join(dir, 'p.db');
  const db = await openSqliteDatabase(path);
  const raw = new BetterSqlite3(path, { readonly: true });
  return {
    db,
    async rawText(id) {
      return TABLES.map((t) =>
        raw
          .prepare(`select * from ${t} where ${t === 'call_records' ? 'id' : 'record_id'} = ?`)
          .all(id)
          .map((r) => rowText(r as Record<string, unknown>))
          .join('\n'),
      ).join('\n');
    },
    fileBytes: () =>
      [path, `${path}-wal`].map((p) => (existsSync(p) ? readFileSync(p).toString('latin1') : '')).join(''),
    async close() {
      raw.close();
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function openPostgres(): Promise<RawDatabase> {
  const schema = testSchema('privacy');
  const db = databaseOf(await PostgresStore.open(schema.url));
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  await client.query(`set search_path to ${schema.name}`);
  return {
    db,
    async rawText(id) {
      const parts: string[] = [];
      for (const t of TABLES) {
        const { rows } = await client.query(
          `select * from ${t} where ${t === 'call_records' ? 'id' : 'record_id'} = $1`,
          [id],
        );
        parts.push(rows.map((r: Record<string, unknown>) => rowText(r)).join('\n'));
      }
      return parts.join('\n');
    },
    async close() {
      await client.end();
      await db.close();
      await schema.drop();
    },
  };
}

const OPENERS: { name: string; open(): Promise<RawDatabase> }[] = [
  { name: 'sqlite', open: openSqlite },
  ...(POSTGRES_ENABLED ? [{ name: 'postgres', open: openPostgres }] : []),
];

function assertNone(text: string, tag: string, where: string) {
  for (const [kind, value] of Object.entries(euiiValues(tag))) {
    assert.ok(!text.includes(value), `${where}: ${kind} '${value}' is still stored`);
  }
}

function assertAll(text: string, tag: string, where: string) {
  for (const [kind, value] of Object.entries(euiiValues(tag))) {
    assert.ok(text.includes(value), `${where}: ${kind} '${value}' is missing`);
  }
}

function assertAnalytics(text: string, where: string) {
  for (const [kind, value] of Object.entries(ANALYTICS)) assert.ok(text.includes(value), `${where}: ${kind} lost`);
}

for (const backend of OPENERS) {
  describe(`privacy purge (${backend.name})`, () => {
    const opened: RawDatabase[] = [];
    after(() => Promise.all(opened.map((o) => o.close())));

    async function archive(): Promise<{ raw: RawDatabase; purge: EuiiPurge; clock: FakeClock }> {
      const raw = await backend.open();
      opened.push(raw);
      const clock = new FakeClock(NOW);
      // Written when they were fresh: no scrub on write.
      const plain = new IngestService(raw.db.records, clock);
      const outcomes = await plain.ingest([
        { value: euiiRecord('old', 'old', OLD_START, 1) },
        { value: euiiRecord('old', 'old', OLD_START, 2) },
        { value: euiiRecord('new', 'new', NEW_START, 1) },
      ]);
      assert.deepEqual(
        outcomes.map((o) => o.status),
        ['inserted', 'updated', 'inserted'],
      );
      return { raw, purge: new EuiiPurge(raw.db.privacy, clock, EUII_DAYS), clock };
    }

    test('a record older than N days keeps no EUII in any table or version; a newer one keeps it; analytics survive', async () => {
      const { raw, purge } = await archive();
      assertAll(await raw.rawText('old'), 'old', 'before the purge');
      const pass = await purge.runOnce();
      assert.deepEqual(pass, { cutoff: '2024-03-18T00:00:00.000Z', purged: 1 });
      const old = await raw.rawText('old');
      assertNone(old, 'old', 'old record');
      assertAnalytics(old, 'old record');
      assertAll(await raw.rawText('new'), 'new', 'new record');
      // Both versions are still there, scrubbed, and the current one is still version 2.
      const versions = await raw.db.history.listVersions('old');
      assert.deepEqual(
        versions.map((v) => [v.version, v.current]),
        [
          [1, false],
          [2, true],
        ],
      );
      const v1 = JSON.parse((await raw.db.history.getVersion('old', 1))!) as Json;
      assert.equal(v1.sessions[0].segments[0].media[0].callerNetwork.ipAddress, null);
      assert.equal(v1.sessions[0].segments[0].media[0].callerNetwork.subnet, ANALYTICS.subnet);
      // Marked: the next pass finds nothing to do.
      assert.equal((await purge.runOnce()).purged, 0);
    });

    test('two versions that differ only in EUII become one', async () => {
      const { raw, purge, clock } = await archive();
      const twin = euiiRecord('old', 'twin', OLD_START, 2);
      const outcomes = await new IngestService(raw.db.records, clock).ingest([{ value: twin }]);
      assert.ok(['stale', 'updated'].includes(outcomes[0]!.status), 'another body of an equal version is kept');
      assert.equal((await raw.db.history.listVersions('old')).length, 3);
      await purge.runOnce();
      const versions = await raw.db.history.listVersions('old');
      assert.deepEqual(
        versions.map((v) => [v.version, v.current]),
        [
          [1, false],
          [2, true],
        ],
      );
      assertNone(await raw.rawText('old'), 'twin', 'old record');
    });

    test('an older version ingested after the purge brings nothing back', async () => {
      const { raw, purge, clock } = await archive();
      await purge.runOnce();
      const ingest = new IngestService(raw.db.records, clock, { beforeWrite: purge.scrubIfDue });
      const outcomes = await ingest.ingest([
        { value: euiiRecord('old', 'old', OLD_START, 1) },
        { value: euiiRecord('old', 'old', OLD_START, 2) },
        { value: euiiRecord('old', 'old', OLD_START, 3) },
        { value: euiiRecord('new', 'new', NEW_START, 1) },
      ]);
      assert.deepEqual(
        outcomes.map((o) => o.status),
        ['unchanged', 'unchanged', 'updated', 'unchanged'],
      );
      assertNone(await raw.rawText('old'), 'old', 'old record after a late ingest');
      assertAll(await raw.rawText('new'), 'new', 'new record');
    });

    test('purge --user removes one person from every record and version, pseudonymised', async () => {
      const { raw, clock } = await archive();
      const erasures = new Erasures(raw.db.privacy, raw.db.meta, clock);
      const { records, pseudonym } = await erasures.erase(ANALYTICS.userId);
      assert.equal(records, 2);
      for (const id of ['old', 'new']) {
        const text = await raw.rawText(id);
        assertNone(text, id, `${id} after purge --user`);
        assert.ok(!text.includes(ANALYTICS.userId), `${id}: the user id is still stored`);
        assert.ok(text.includes(pseudonym), `${id}: the pseudonym is missing`);
      }
      // The same person gets the same pseudonym again (counts of users stay right); nothing is left to rewrite.
      assert.deepEqual(await erasures.erase(ANALYTICS.userId), { records: 0, pseudonym });
      assert.equal((await erasures.erase('someone-else')).records, 0);
      // The participant filter no longer finds the person.
      const listed = await raw.db.records.listRecords({ start: [], participantId: ANALYTICS.userId, limit: 10 });
      assert.equal(listed.length, 0);
    });

    test('a record naming an erased person that arrives later is stored erased (any process, any age)', async () => {
      const { raw, clock } = await archive();
      const { pseudonym } = await new Erasures(raw.db.privacy, raw.db.meta, clock).erase(ANALYTICS.userId);
      // Another process (the server) learns of the erasure from the database.
      const ingest = new IngestService(raw.db.records, clock, privacyHooks(raw.db, clock, undefined));
      const outcomes = await ingest.ingest([
        { value: euiiRecord('new', 'new', NEW_START, 1) },
        { value: euiiRecord('later', 'later', NEW_START, 1) },
      ]);
      assert.deepEqual(
        outcomes.map((o) => o.status),
        ['unchanged', 'inserted'],
      );
      for (const id of ['new', 'later']) {
        const text = await raw.rawText(id);
        assertNone(text, id, `${id} written after the erasure`);
        assert.ok(!text.includes(ANALYTICS.userId) && text.includes(pseudonym), `${id}: erased on write`);
      }
    });
  });
}

test('SQLite: no purged value is left in the file, free pages included (secure_delete)', async () => {
  const raw = await openSqlite();
  try {
    const clock = new FakeClock(NOW);
    // Old and new records share pages, so freed cells sit beside live ones (without secure_delete they stay readable).
    const items = [];
    for (let i = 0; i < 20; i++) {
      items.push({ value: euiiRecord(`new-${i}`, `new${i}`, NEW_START) });
      items.push({ value: euiiRecord(`old-${i}`, `old${i}`, OLD_START) });
    }
    await new IngestService(raw.db.records, clock).ingest(items);
    await raw.db.upkeep.optimize();
    assertAll(raw.fileBytes!(), 'old7', 'the file before the purge');
    assert.equal((await new EuiiPurge(raw.db.privacy, clock, EUII_DAYS).runOnce()).purged, 20);
    const bytes = raw.fileBytes!();
    for (let i = 0; i < 20; i++) assertNone(bytes, `old${i}`, 'the file after the purge');
    assertAll(bytes, 'new7', 'the file after the purge');
  } finally {
    await raw.close();
  }
});
