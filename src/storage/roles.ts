import type {
  Collection,
  ExportRange,
  ExportedRecord,
  ExportedVersion,
  ListedRecord,
  PageRequest,
  PartialRecord,
  PartialRecordQuery,
  RecordFilterQuery,
  RecordHead,
  RecordQuery,
  RecordRead,
  RecordWrite,
  StoreHealth,
  StoredItem,
  VersionCursor,
  VersionInfo,
  WriteResult,
} from './store.js';

/**
 * The current versions of the records: writes under the version rules, reads, lists, counts and export. Every
 * backend implements it; the ingest service and the Graph readers depend on it alone.
 */
export interface RecordStore {
  /** Writes each record atomically under the version rules; all results are durable when the promise resolves. */
  write(records: readonly RecordWrite[], receivedAt: string): Promise<WriteResult[]>;
  /**
   * Reads a record's current version and, if asked, a page of its sessions or participants, from one snapshot:
   * a write that lands in between cannot pair one version's record with another's items.
   */
  readRecord(id: string, page?: PageRequest): Promise<RecordRead | undefined>;
  /** A page of a record's sessions or participants with the head of the version they belong to (one snapshot). */
  readPage(id: string, page: PageRequest): Promise<{ head: RecordHead; items: StoredItem[] } | undefined>;
  /** The first item with this id in a record's sessions or participants, with the record's head (one snapshot). */
  readItem(
    id: string,
    collection: Collection,
    itemId: string,
  ): Promise<{ head: RecordHead; item: StoredItem | undefined } | undefined>;
  /** A page of the record list, ordered by (startDateTime, id), after the query's keyset cursor. */
  listRecords(query: RecordQuery): Promise<ListedRecord[]>;
  /** How many records the filter matches. */
  countRecords(filter: RecordFilterQuery): Promise<number>;
  /** A page of the records whose current version is partial (docs/api.md, "Version rules"), ordered by id. */
  listPartialRecords(query: PartialRecordQuery): Promise<PartialRecord[]>;
  /** Up to `limit` current versions whose startDateTime is in `range`, as whole JSON texts, after the cursor. */
  exportRecords(
    range: ExportRange,
    after: { startKey: string; id: string } | undefined,
    limit: number,
  ): Promise<ExportedRecord[]>;
}

/** Every distinct version a record was received in: its list, one body, and all of them for a backup. */
export interface HistoryStore {
  /** A record's versions, oldest first, the current one marked; empty for an unknown record. */
  listVersions(id: string): Promise<VersionInfo[]>;
  /** The JSON text of one version of a record (the last received with that number), or undefined. */
  getVersion(id: string, version: number): Promise<string | undefined>;
  /**
   * Up to `limit` stored versions of the records whose current startDateTime is in `range`, every version of each
   * record with its receive time, after `after` in the order of `VersionCursor` (oldest receive first within a record).
   */
  exportVersions(range: ExportRange, after: VersionCursor | undefined, limit: number): Promise<ExportedVersion[]>;
}

/** Facts about the database as a whole: its health, and values shared by every instance on it. */
export interface MetaStore {
  /** How many records the database holds, how many are partial, and which start first and last. */
  health(): Promise<StoreHealth>;
  /** A value shared by every instance on this database, created on first use (e.g. the skip-token key). */
  sharedSecret(key: string, create: () => string): Promise<string>;
  /** Resolves once the database answered a trivial statement; rejects with the driver's error when it cannot. */
  ping(): Promise<void>;
  /** The space the database takes, in bytes: SQLite's pages, or the PostgreSQL schema's tables with their indexes. */
  sizeBytes(): Promise<number>;
}

/** Housekeeping: retention and the upkeep after a bulk import. */
export interface UpkeepStore {
  /**
   * Removes every record whose current endDateTime is before `cutoffKey` (a sortable UTC key), with everything it
   * owns (record-tables.ts), in batches of at most `batchSize` records, each its own short transaction, so reads go
   * on meanwhile. Resolves to the number of records removed.
   */
  expire(cutoffKey: string, batchSize?: number): Promise<number>;
  /** Housekeeping after a bulk import (e.g. folding SQLite's write-ahead log back into the database). */
  optimize(): Promise<void>;
}

/** How a privacy purge rewrites one stored body: its JSON text in, the scrubbed record cut into fragments out. */
export type BodyRewrite = (rawJson: string) => RecordWrite;

/**
 * Privacy (EUII) purges: finding the records to scrub and rewriting them — the current version and every stored
 * version — through the same row builders a write uses (record-tables.ts), so derived tables follow. src/privacy/.
 */
export interface PrivacyStore {
  /** Up to `limit` ids of records whose current endDateTime is before `cutoffKey` and that are not marked purged. */
  unpurged(cutoffKey: string, limit: number): Promise<string[]>;
  /** The ids of the records whose current version holds the JSON string `value` (e.g. a user's id), by id. */
  recordsMentioning(value: string): Promise<string[]>;
  /**
   * Rewrites each record's current version and every stored version with `rewrite`, rebuilding all its rows, and
   * marks it purged; one short transaction per call. Versions that become equal are kept once. Resolves to the
   * number of records rewritten (an id no longer stored is skipped).
   */
  rewrite(ids: readonly string[], rewrite: BodyRewrite, purgedAt: string): Promise<number>;
  /** Forgets the purge marks of records that are no longer stored (after retention); resolves to how many. */
  forgetRemoved(): Promise<number>;
  /** Keeps the pseudonym of an erased person (never their id), so later writes can erase them too; idempotent. */
  noteErasure(pseudonym: string, at: string): Promise<void>;
  /** The pseudonyms of every erased person. */
  erasures(): Promise<string[]>;
}

/**
 * An open database: one object per role, all on one connection (pool or file), closed together. `openDatabase`
 * (open-database.ts) returns it; callers hand each part only the role it needs (the ingest service gets `records`,
 * retention `upkeep`).
 *
 * A new capability adds a role here rather than members to an existing one: the collector's sync state becomes
 * `sync: SyncStateStore`, the per-stream analytics table `streams: StreamStore`, PSTN/Direct Routing logs
 * `callLogs: CallLogStore` — each an interface of its own in this file, implemented by every backend, with its own
 * contract suite (test/store-<role>.test.ts).
 */
export interface CallRecordDatabase {
  /** A short name of the backend: `sqlite` or `postgres`. */
  readonly kind: string;
  readonly records: RecordStore;
  readonly history: HistoryStore;
  readonly meta: MetaStore;
  readonly upkeep: UpkeepStore;
  readonly privacy: PrivacyStore;
  /** Closes the connection every role shares; idempotent. */
  close(): Promise<void>;
}
