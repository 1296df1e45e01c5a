import type { AnalyticsQuery, AnalyticsTable } from '../analytics/query/model.js';
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
import type {
  Building,
  BuildingsReplaced,
  MissingSubnet,
  RuleSet,
  StoredStream,
  StreamCursor,
  StreamRebuild,
  StreamTableStatus,
} from './stream-types.js';

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

/**
 * The analytics query API's reads of the per-stream table: aggregates (from the rollups maintained at ingest when a
 * query fits one, docs/analytics.md "How queries are answered"), and the rollups' repair.
 */
export interface AnalyticsStore {
  /** Measures grouped by dimensions over the streams the filter keeps, from one snapshot, rows ordered by dimensions. */
  aggregate(query: AnalyticsQuery): Promise<AnalyticsTable>;
  /** Makes every rollup equal to the aggregate of the per-stream table again (after a bulk load or a repair). */
  rebuildRollups(): Promise<void>;
}

/**
 * The per-stream analytics table (issue 12; docs/analytics.md): its rows are written with the records (record-tables.ts),
 * classified by the stored rule set and mapped to the stored building file; this role changes those two, rebuilds the
 * table and reads it.
 */
export interface StreamStore {
  /** The rule set the rows were classified with, the networks stored, and whether rows are missing. */
  status(): Promise<StreamTableStatus>;
  /**
   * Recreates every stream row from the stored current versions, classified by `rules`, which becomes the stored rule
   * set (so later writes use it too). Writes meanwhile are safe: each page is rebuilt under the records' locks.
   */
  rebuild(rules: RuleSet, onProgress?: (records: number) => void): Promise<StreamRebuild>;
  /** Replaces the building file whole and re-maps every stored stream row, in one transaction. */
  replaceBuildings(buildings: readonly Building[]): Promise<BuildingsReplaced>;
  /** The stored building file, in file order. */
  buildings(): Promise<Building[]>;
  /** Subnets with at least `minAudioStreams` audio stream endpoints in no building, most streams first. */
  missingSubnets(minAudioStreams: number): Promise<MissingSubnet[]>;
  /**
   * Up to `limit` stream rows whose record starts in `range`, in (start_key, record_id, ordinal) order after the
   * cursor.
   */
  readStreams(range: ExportRange, after: StreamCursor | undefined, limit: number): Promise<StoredStream[]>;
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
  readonly analytics: AnalyticsStore;
  readonly streams: StreamStore;
  /** Closes the connection every role shares; idempotent. */
  close(): Promise<void>;
}
