import { ConfigError } from '../errors.js';
import type { CallRecordStore } from './store.js';

/** The database used when none is configured: an embedded SQLite file under ./data. */
export const DEFAULT_DATABASE_URL = 'sqlite:./data/callrecords.db';

/** How a store is opened, beside its URL. */
export interface OpenStoreOptions {
  /**
   * SQLite: how long, in all, an operation waits for another process that holds the file (a server beside an import)
   * before it fails with `serviceNotAvailable`; default 30 s. PostgreSQL waits for its own locks.
   */
  lockTimeoutMs?: number | undefined;
}

/**
 * Opens (and migrates) the store a database URL names: `sqlite:<path>`, `sqlite::memory:`, or
 * `postgres://user@host:port/db[?schema=name]`. Each backend's code is loaded only when it is used. A URL that names
 * no database is a `ConfigError`.
 */
export async function openStore(url: string, options: OpenStoreOptions = {}): Promise<CallRecordStore> {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    if (path === '') throw new ConfigError(`database URL '${url}' names no file; use sqlite:<path>`);
    const { SqliteStore } = await import('./sqlite/sqlite-store.js');
    return SqliteStore.open(path, options);
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const { PostgresStore } = await import('./postgres/postgres-store.js');
    return PostgresStore.open(url);
  }
  throw new ConfigError(
    `unknown database URL '${url}': expected sqlite:<path>, sqlite::memory: or postgres://user@host:port/db`,
  );
}
