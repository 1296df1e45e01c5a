import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { databaseOf } from '../../src/storage/open-database.js';
import { PostgresStore } from '../../src/storage/postgres/postgres-store.js';
import type { CallRecordDatabase } from '../../src/storage/roles.js';
import { openSqliteDatabase } from '../../src/storage/sqlite/sqlite-database.js';
import { POSTGRES_ENABLED, testSchema } from './postgres.js';

/** A database a `callrecords` process can be pointed at with `--db`, and how to remove it afterwards. */
export interface TestDatabase {
  /** The `--db` URL: `sqlite:<file>` or `postgres://…?schema=…`. */
  url: string;
  /** Removes the database with everything in it (the SQLite file's folder, or the PostgreSQL schema). */
  drop(): Promise<void>;
}

/**
 * A backend every store case runs on. It opens fresh databases in this process (for contract and HTTP tests) and
 * names fresh ones for `callrecords` processes (for CLI and server tests).
 */
export interface Backend {
  name: 'sqlite' | 'postgres';
  /** A fresh, empty database opened here (SQLite in memory; PostgreSQL in a schema dropped on close). */
  open(): Promise<CallRecordDatabase>;
  /** A fresh, empty database for a process; `label` (lower-case letters, digits, _) appears in its name. */
  create(label: string): TestDatabase;
}

const SQLITE: Backend = {
  name: 'sqlite',
  open: () => openSqliteDatabase(':memory:'),
  create(label) {
    const dir = mkdtempSync(join(tmpdir(), `callrecords-${label}-`));
    return {
      url: `sqlite:${join(dir, `${label}.db`)}`,
      drop: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
    };
  },
};

const POSTGRES: Backend = {
  name: 'postgres',
  async open() {
    const schema = testSchema();
    const db = databaseOf(await PostgresStore.open(schema.url));
    return {
      ...db,
      async close() {
        await db.close();
        await schema.drop();
      },
    };
  },
  create(label) {
    const schema = testSchema(label);
    return { url: schema.url, drop: () => schema.drop() };
  },
};

/** Every backend the tests run on: SQLite, and PostgreSQL when reachable (see helpers/postgres.ts). */
export const BACKENDS: Backend[] = [SQLITE, ...(POSTGRES_ENABLED ? [POSTGRES] : [])];

/** The backend a test app opens unless told otherwise: SQLite in memory. */
export const SQLITE_BACKEND: Backend = SQLITE;

/** Creates databases and drops every one of them at once (for an `after` hook). */
export class DatabaseList {
  private readonly created: TestDatabase[] = [];

  constructor(private readonly backend: Backend) {}

  /** A fresh database, remembered for `dropAll`. */
  create(label: string): TestDatabase {
    const db = this.backend.create(label);
    this.created.push(db);
    return db;
  }

  /** Drops every database created so far. */
  async dropAll(): Promise<void> {
    const all = this.created.splice(0);
    await Promise.all(all.map((db) => db.drop()));
  }
}
