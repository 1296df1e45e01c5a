import type { CallRecordDatabase } from '../roles.js';
import { SqliteCallLogs } from './sqlite-call-logs.js';
import { SqliteCallSearch } from './sqlite-call-search.js';
import { SqliteAnalytics } from './sqlite-analytics.js';
import { SqliteTelephonyAnalytics } from './sqlite-telephony-analytics.js';
import { SqliteConnection, type SqliteOpenOptions } from './sqlite-connection.js';
import { SqliteHistory } from './sqlite-history.js';
import { SqliteKeys } from './sqlite-keys.js';
import { SqliteMeta } from './sqlite-meta.js';
import { SqlitePrivacy } from './sqlite-privacy.js';
import { SqliteLogPrivacy } from './sqlite-log-privacy.js';
import { SqliteRecords } from './sqlite-records.js';
import { SqliteStreams } from './sqlite-streams.js';
import { SqliteSync } from './sqlite-sync.js';
import { SqliteSubscriptions } from './sqlite-subscriptions.js';
import { SqliteUpkeep } from './sqlite-upkeep.js';

/** The SQLite database: every role, one class each, on one connection. */
export interface SqliteDatabase extends CallRecordDatabase {
  readonly records: SqliteRecords;
}

/**
 * Opens (creating if needed) the SQLite database at `path` (`:memory:` gives a private one) and migrates it; another
 * process opening or writing the same file at the same moment is waited for, up to the lock timeout.
 */
export async function openSqliteDatabase(path: string, options: SqliteOpenOptions = {}): Promise<SqliteDatabase> {
  const connection = await SqliteConnection.open(path, options);
  const keys = new SqliteKeys(connection);
  const streams = new SqliteStreams(connection);
  return {
    kind: 'sqlite',
    records: new SqliteRecords(connection, streams),
    history: new SqliteHistory(connection),
    meta: new SqliteMeta(connection),
    upkeep: new SqliteUpkeep(connection),
    keys,
    audit: keys,
    privacy: new SqlitePrivacy(connection, streams),
    callLogs: new SqliteCallLogs(connection),
    logPrivacy: new SqliteLogPrivacy(connection),
    streams,
    sync: new SqliteSync(connection),
    subscriptions: new SqliteSubscriptions(connection),
    analytics: new SqliteAnalytics(connection),
    telephonyAnalytics: new SqliteTelephonyAnalytics(connection),
    callSearch: new SqliteCallSearch(connection),
    close: () => connection.close(),
  };
}
