import { ConfigError } from '../errors.js';
import type {
  AnalyticsStore,
  TelephonyAnalyticsStore,
  CallSearchStore,
  AuditStore,
  CallLogStore,
  CallRecordDatabase,
  HistoryStore,
  KeyStore,
  MetaStore,
  PrivacyStore,
  LogPrivacyStore,
  RecordStore,
  StreamStore,
  SubscriptionStore,
  SyncStateStore,
  UpkeepStore,
} from './roles.js';

/** The database used when none is configured: an embedded SQLite file under ./data. */
export const DEFAULT_DATABASE_URL = 'sqlite:./data/callrecords.db';

/** How a database is opened, beside its URL. */
export interface OpenDatabaseOptions {
  /**
   * SQLite: how long, in all, an operation waits for another process that holds the file (a server beside an import)
   * before it fails with `serviceNotAvailable`; default 30 s. PostgreSQL waits for its own locks.
   */
  lockTimeoutMs?: number | undefined;
}

/**
 * Opens (and migrates) the database a URL names — `sqlite:<path>`, `sqlite::memory:`, or
 * `postgres://user@host:port/db[?schema=name]` — and returns its roles. Each backend's code is loaded only when it is
 * used. A URL that names no database is a `ConfigError`.
 */
export async function openDatabase(url: string, options: OpenDatabaseOptions = {}): Promise<CallRecordDatabase> {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    if (path === '') throw new ConfigError(`database URL '${url}' names no file; use sqlite:<path>`);
    const { openSqliteDatabase } = await import('./sqlite/sqlite-database.js');
    return openSqliteDatabase(path, options);
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const { PostgresStore } = await import('./postgres/postgres-store.js');
    return databaseOf(await PostgresStore.open(url));
  }
  throw new ConfigError(
    `unknown database URL '${url}': expected sqlite:<path>, sqlite::memory: or postgres://user@host:port/db`,
  );
}

/** A backend store that implements every role on one connection. */
export type EveryRole = RecordStore &
  HistoryStore &
  MetaStore &
  UpkeepStore & { readonly kind: string; close(): Promise<void> } & {
    /** The keys and audit roles, implemented beside the store on its connection (issue 11). */
    readonly keyStore: KeyStore & AuditStore;
    /** The privacy role, a class of its own on the same connection. */
    readonly privacy: PrivacyStore;
    /** The telephony logs role, a class of its own on the same connection. */
    readonly callLogs: CallLogStore;
    /** The privacy purge of the telephony logs, a class of its own on the same connection. */
    readonly logPrivacy: LogPrivacyStore;
    /** The per-stream analytics role, a class of its own on the same connection. */
    readonly streams: StreamStore;
    /** The analytics queries over the stream table and its rollups. */
    readonly analytics: AnalyticsStore;
    /** The analytics queries over the telephony logs. */
    readonly telephonyAnalytics: TelephonyAnalyticsStore;
    /** The dashboard's call search and one call's streams. */
    readonly callSearch: CallSearchStore;
    /** The Graph collector's queue, cursors and leases. */
    readonly sync: SyncStateStore;
    /** Subscriptions to the archive's change notifications, and their outbox. */
    readonly subscriptions: SubscriptionStore;
  };

/**
 * The roles of a backend store that implements them all, each typed as its role alone (so a caller handed
 * `records` cannot reach `expire`).
 */
export function databaseOf(store: EveryRole): CallRecordDatabase {
  return {
    kind: store.kind,
    records: store,
    history: store,
    meta: store,
    upkeep: store,
    keys: store.keyStore,
    audit: store.keyStore,
    privacy: store.privacy,
    callLogs: store.callLogs,
    logPrivacy: store.logPrivacy,
    streams: store.streams,
    sync: store.sync,
    subscriptions: store.subscriptions,
    analytics: store.analytics,
    telephonyAnalytics: store.telephonyAnalytics,
    callSearch: store.callSearch,
    close: () => store.close(),
  };
}
