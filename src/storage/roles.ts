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
import type { ClaimedItem, EnqueueItem, FailedItem, QueueStats, SyncEvent } from './sync-state.js';
import type { ClaimedNotification, OutboxEntry, StoredSubscription, SubscriptionPatch } from './subscription-data.js';

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
 * The Graph collector's durable state, shared by every instance on one database: the fetch queue (leased so that
 * two instances never hold one id at once), named values with compare-and-set (sweep cursor, subscription state),
 * named leases (one subscription manager, one sweep at a time) and recent events (429s, lag samples).
 * Times are epoch milliseconds from the caller's clock.
 */
export interface SyncStateStore {
  /**
   * Queues ids to fetch, idempotently per id: a queued id stays one row with the earliest due time; a leased id is
   * marked to be queued again when its holder completes it (for `created`, `updated` and `repair`; a sweep or backfill
   * that lists an id being fetched changes nothing); a failed id is queued afresh. `now` stamps new rows
   * and is the due time of items without `notBefore`.
   */
  enqueue(items: readonly EnqueueItem[], now: number): Promise<void>;
  /**
   * Leases up to `limit` items due at `now` (queued, or leased to someone whose lease expired) to `owner` until
   * `now + leaseMs`, earliest due first. No two owners hold one id at the same time.
   */
  claim(owner: string, limit: number, now: number, leaseMs: number): Promise<ClaimedItem[]>;
  /** Extends `owner`'s lease on an item to `leaseUntil`; false if the owner no longer holds it. */
  extendClaim(id: string, owner: string, leaseUntil: number): Promise<boolean>;
  /**
   * Removes a fetched item; if it was queued again meanwhile (an `updated` notification during the fetch), it goes
   * back to the queue instead. False (and nothing changes) if `owner` no longer holds it.
   */
  complete(id: string, owner: string, now: number): Promise<boolean>;
  /** Puts a held item back in the queue, due at `notBefore`, noting why; attempts are kept. False if not held. */
  retryLater(id: string, owner: string, notBefore: number, error: string): Promise<boolean>;
  /** Gives up on a held item: it stays, failed, with `error`, until it is queued again. False if not held. */
  fail(id: string, owner: string, now: number, error: string): Promise<boolean>;
  /** Items by state, due items and the oldest waiting one, at `now`. */
  queueStats(now: number): Promise<QueueStats>;
  /** Up to `limit` failed items, the most recent failure first. */
  listFailed(limit: number): Promise<FailedItem[]>;
  /** A named value (the sweep cursor, the last sweep's findings, subscription state), or undefined. */
  getState(key: string): Promise<string | undefined>;
  /**
   * Sets a named value. With `expectedOld` given (null = "absent"), only if the stored value is still that one
   * (compare-and-set); resolves to whether it was set.
   */
  setState(key: string, value: string, expectedOld?: string | null): Promise<boolean>;
  /**
   * Takes (or, for its holder, renews) the lease `name` for `owner` until `now + ttlMs`, unless another owner holds
   * it unexpired. Resolves to whether `owner` holds it now.
   */
  acquireLease(name: string, owner: string, now: number, ttlMs: number): Promise<boolean>;
  /** Gives the lease up if `owner` holds it. */
  releaseLease(name: string, owner: string): Promise<void>;
  /** Records events (429s, lag samples) and forgets those older than a day. */
  recordEvents(events: readonly SyncEvent[]): Promise<void>;
  /** The values of the events of `kind` at or after `since`, in ascending order (their count is the length). */
  eventValues(kind: string, since: number): Promise<number[]>;
}

/**
 * Subscriptions to the archive's own change notifications and the durable outbox of notifications to deliver
 * (src/notify/). Every write of `records` that stores a record or a new current version enqueues its notifications
 * in the same transaction; deliverers claim entries under a lease, so several instances never send one at once.
 */
export interface SubscriptionStore {
  /** Stores a new subscription (its id is new). */
  create(subscription: StoredSubscription): Promise<void>;
  get(id: string): Promise<StoredSubscription | undefined>;
  /** Every subscription, expired ones too, oldest first. */
  list(): Promise<StoredSubscription[]>;
  /** Changes a subscription and returns it as stored; undefined when there is none with this id. */
  update(id: string, patch: SubscriptionPatch): Promise<StoredSubscription | undefined>;
  /** Removes a subscription and everything it still had to deliver; false when there was none. */
  remove(id: string): Promise<boolean>;
  /** Adds notifications to the outbox (lifecycle events; record changes are enqueued by `records.write`). */
  enqueue(entries: readonly OutboxEntry[]): Promise<void>;
  /**
   * Leases up to `limit` entries due at `now` (ISO) to `owner` until `leaseUntil`, oldest due first, and returns
   * them with their subscriptions. An entry leased to another owner is skipped until its lease ends.
   */
  claim(owner: string, now: string, leaseUntil: string, limit: number): Promise<ClaimedNotification[]>;
  /** Removes entries this owner holds: delivered, or given up. */
  settle(owner: string, ids: readonly string[]): Promise<void>;
  /** Releases entries this owner holds for another attempt at `nextAttempt`, counting this one and its error. */
  reschedule(owner: string, ids: readonly string[], nextAttempt: string, error: string): Promise<void>;
  /** How many notifications wait in the outbox. */
  outboxDepth(): Promise<number>;
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
  /** The Graph collector's queue, cursors, leases and events. */
  readonly sync: SyncStateStore;
  readonly subscriptions: SubscriptionStore;
  /** Closes the connection every role shares; idempotent. */
  close(): Promise<void>;
}
