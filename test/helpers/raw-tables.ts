import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { decompressJson } from '../../src/storage/compression.js';
import { databaseOf } from '../../src/storage/open-database.js';
import { PostgresStore } from '../../src/storage/postgres/postgres-store.js';
import type { CallRecordDatabase } from '../../src/storage/roles.js';
import { openSqliteDatabase } from '../../src/storage/sqlite/sqlite-database.js';
import { POSTGRES_ENABLED, POSTGRES_URL, testSchema } from './postgres.js';

/** A database opened here beside a raw reader of its tables, to check what is really stored. */
export interface RawDatabase {
  db: CallRecordDatabase;
  /** Every column of the rows of `table` (those whose `column` is `value`, if given), as one text; bytes decompressed. */
  rawText(table: string, column?: string, value?: string): Promise<string>;
  /** How many rows `table` holds. */
  count(table: string): Promise<number>;
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
  const dir = mkdtempSync(join(tmpdir(), 'callrecords-raw-'));
  const path = join(dir, 'raw.db');
  const db = await openSqliteDatabase(path);
  const raw = new BetterSqlite3(path, { readonly: true });
  return {
    db,
    rawText: (table, column, value) => {
      const rows =
        column === undefined
          ? raw.prepare(`select * from ${table}`).all()
          : raw.prepare(`select * from ${table} where ${column} = ?`).all(value);
      return Promise.resolve(rows.map((r) => rowText(r as Record<string, unknown>)).join('\n'));
    },
    count: (table) => Promise.resolve((raw.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n),
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
  const schema = testSchema('raw');
  const db = databaseOf(await PostgresStore.open(schema.url));
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  await client.query(`set search_path to ${schema.name}`);
  return {
    db,
    async rawText(table, column, value) {
      const { rows } =
        column === undefined
          ? await client.query(`select * from ${table}`)
          : await client.query(`select * from ${table} where ${column} = $1`, [value]);
      return rows.map((r: Record<string, unknown>) => rowText(r)).join('\n');
    },
    async count(table) {
      const { rows } = await client.query<{ n: string }>(`select count(*) as n from ${table}`);
      return Number(rows[0]!.n);
    },
    async close() {
      await client.end();
      await db.close();
      await schema.drop();
    },
  };
}

/** The backends a raw test runs on: SQLite on a file, and PostgreSQL in its own schema when reachable. */
export const RAW_BACKENDS: { name: string; open(): Promise<RawDatabase> }[] = [
  { name: 'sqlite', open: openSqlite },
  ...(POSTGRES_ENABLED ? [{ name: 'postgres', open: openPostgres }] : []),
];
