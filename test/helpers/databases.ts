import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { POSTGRES_ENABLED, testSchema } from './postgres.js';

/** A database a `callrecords` process can be pointed at with `--db`, and how to remove it afterwards. */
export interface TestDatabase {
  /** The `--db` URL: `sqlite:<file>` or `postgres://…?schema=…`. */
  url: string;
  /** Removes the database with everything in it (the SQLite file's folder, or the PostgreSQL schema). */
  drop(): Promise<void>;
}

/** A backend for tests that run real processes: it names fresh databases rather than opening stores. */
export interface DatabaseBackend {
  name: string;
  /** A fresh, empty database; `label` (lower-case letters, digits, _) appears in its name. */
  create(label: string): TestDatabase;
}

const SQLITE_DATABASES: DatabaseBackend = {
  name: 'sqlite',
  create(label) {
    const dir = mkdtempSync(join(tmpdir(), `callrecords-${label}-`));
    return {
      url: `sqlite:${join(dir, `${label}.db`)}`,
      drop: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
    };
  },
};

const POSTGRES_DATABASES: DatabaseBackend = {
  name: 'postgres',
  create(label) {
    const schema = testSchema(label);
    return { url: schema.url, drop: () => schema.drop() };
  },
};

/** Every backend process tests run on, named as in STORES (PostgreSQL when reachable: see helpers/postgres.ts). */
export const DATABASES: DatabaseBackend[] = [SQLITE_DATABASES, ...(POSTGRES_ENABLED ? [POSTGRES_DATABASES] : [])];

/** Creates databases and drops every one of them at once (for an `after` hook). */
export class DatabaseList {
  private readonly created: TestDatabase[] = [];

  constructor(private readonly backend: DatabaseBackend) {}

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
