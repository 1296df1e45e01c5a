import { AppError } from '../errors.js';
import { SqliteStore } from './sqlite/sqlite-store.js';
import type { CallRecordStore } from './store.js';

/** The database used when none is configured: an embedded SQLite file under ./data. */
export const DEFAULT_DATABASE_URL = 'sqlite:./data/callrecords.db';

/**
 * Opens the store a database URL names: `sqlite:<path>`, `sqlite::memory:`. PostgreSQL URLs are recognised and
 * refused with a clear message until the PostgreSQL store lands.
 */
export async function openStore(url: string): Promise<CallRecordStore> {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    if (path === '') throw new AppError('BadRequest', `database URL '${url}' names no file; use sqlite:<path>`);
    return SqliteStore.open(path);
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    throw new AppError('notSupported', 'the PostgreSQL store is not available yet; use a sqlite: database URL');
  }
  throw new AppError('BadRequest', `unknown database URL '${url}': expected sqlite:<path> or sqlite::memory:`);
}
