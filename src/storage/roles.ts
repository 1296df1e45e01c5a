import type { AnalyticsQuery, AnalyticsTable } from '../analytics/query/model.js';
import type { TelephonyQuery, TelephonyTable } from '../analytics/telephony/telephony-query.js';
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
  CallLogTable,
  LogCursor,
  LogRowWrite,
  LogWindow,
  LogWriteStatus,
  StoredLogRow,
} from './call-log-types.js';
import type { LogRowReplacement, PurgeableLogRow } from './log-privacy-types.js';
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
import type { CallSearchQuery, CallSummary, NamedStream } from './call-search-types.js';
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

/** One API key as stored: never the key itself, only its SHA-256 (docs/security.md, "API keys"). */
export interface StoredKey {
  /** The public part of the key (`cr_<id>_<secret>`), its name in `keys list` and the audit trail (`key:<id>`). */
  id: string;
  /** The SHA-256 of the whole key, lower-case hex. */
  hash: string;
  name: string;
  role: string;
  /** ISO 8601 UTC instants; `expiresAt` and `revokedAt` are null when the key has none. */
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

/** The API keys callers present as bearer tokens: created, found by id, listed, revoked. */
export interface KeyStore {
  /** Stores a new key; its id must be new. */
  createKey(key: StoredKey): Promise<void>;
  /** The key with this id, revoked or not, or undefined. */
  getKey(id: string): Promise<StoredKey | undefined>;
  /** Every key, oldest first. */
  listKeys(): Promise<StoredKey[]>;
  /** Marks a key revoked at `at` (an ISO instant); false when there is no such key or it was revoked already. */
  revokeKey(id: string, at: string): Promise<boolean>;
}

/** One authenticated request in the audit trail: who, what, when, and the answer's status. */
export interface AuditEntry {
  at: string;
  identityId: string;
  identityKind: string;
  identityName: string;
  method: string;
  /** The route pattern that served the request (`/v1.0/*`, `/api/callRecords/:id/versions`) or the path when none. */
  route: string;
  /** The call record the request named, if any. */
  recordId: string | null;
  status: number;
}

/** An audit entry as stored, with its sequence number (increasing with each append: the paging key). */
export interface StoredAuditEntry extends AuditEntry {
  seq: number;
}

/** The audit trail: appended in batches, read newest first in pages, expired by age. */
export interface AuditStore {
  /** Appends entries in one transaction, in order. */
  appendAudit(entries: readonly AuditEntry[]): Promise<void>;
  /** Up to `limit` entries, newest first, with `seq` below `before` when given. */
  listAudit(query: { before?: number | undefined; limit: number }): Promise<StoredAuditEntry[]>;
  /** Removes the entries recorded before `cutoff` (an ISO instant); resolves to how many went. */
  expireAudit(cutoff: string): Promise<number>;
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
 * The telephony logs (PSTN, Direct Routing, SMS, blocked users, dial-out reports), one table per kind: writes that
 * store a row received twice once, windows of rows in time order with keyset pages, the joins to call records, and
 * retention. Rows are JSON texts; the store never parses them.
 */
export interface CallLogStore {
  /** Writes rows in one transaction, each keyed on `rowKey`; resolves to each row's outcome, in order. */
  write(table: CallLogTable, rows: readonly LogRowWrite[], receivedAt: string): Promise<LogWriteStatus[]>;
  /** Up to `limit` rows whose time key is in the window, ordered by (time key, row key), after the cursor. */
  listRows(
    table: CallLogTable,
    window: LogWindow,
    after: LogCursor | undefined,
    limit: number,
  ): Promise<StoredLogRow[]>;
  /** The rows (dial-out reports) whose period starts at or after `fromKey` and ends at or before `toKey`. */
  listPeriodRows(table: CallLogTable, fromKey: string, toKey: string): Promise<StoredLogRow[]>;
  /** The rows whose link key (a Direct Routing row's correlationId) is `linkKey`, in time order. */
  rowsByLink(table: CallLogTable, linkKey: string): Promise<StoredLogRow[]>;
  /** One user's rows whose time key is in [fromKey, toKey], in time order. */
  rowsByUser(table: CallLogTable, userId: string, fromKey: string, toKey: string): Promise<StoredLogRow[]>;
  /**
   * Removes the rows of every log whose time key is before `cutoffKey`, in batches of at most `batchSize`, each its
   * own transaction; resolves to the number removed.
   */
  expire(cutoffKey: string, batchSize?: number): Promise<number>;
}

/**
 * The privacy purge of the telephony logs (src/privacy/log-purge.ts, docs/privacy.md): finding the rows to scrub —
 * older than a cutoff and not marked, or of one user — and replacing them with their scrubbed form, marked.
 */
export interface LogPrivacyStore {
  /** Up to `limit` rows of `table` whose time key is before `cutoffKey` and that are not marked purged, in time order. */
  unpurgedLogRows(table: CallLogTable, cutoffKey: string, limit: number): Promise<PurgeableLogRow[]>;
  /** Up to `limit` rows of `table` whose user id is `userId`, in time order. */
  logRowsOfUser(table: CallLogTable, userId: string, limit: number): Promise<PurgeableLogRow[]>;
  /**
   * Replaces each row (deleted, the new one written under its key and marked purged at `purgedAt`, keeping its
   * receive time) in one transaction; a row whose stored body is no longer `oldJson` is skipped, and a new key that is
   * already stored (two rows that became equal) keeps one row. Resolves to the number of rows replaced.
   */
  replaceLogRows(table: CallLogTable, replacements: readonly LogRowReplacement[], purgedAt: string): Promise<number>;
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
 * The reads of the dashboard's call list and call detail (issue 13; docs/analytics.md, "Call search" and "One call's
 * streams"): calls found through their stream rows, newest first in keyset pages, and one call's rows.
 */
export interface CallSearchStore {
  /**
   * Up to `query.limit` calls that have a stream row matching the query, ordered by (start key, id) descending after
   * the cursor, each summed up from all its stream rows; one snapshot.
   */
  searchCalls(query: CallSearchQuery): Promise<CallSummary[]>;
  /**
   * Every stream row of a call record, by stream ordinal, under the documented names; undefined when the record is not
   * archived (an archived record without streams gives []). One snapshot.
   */
  callStreams(id: string): Promise<NamedStream[] | undefined>;
}

/**
 * The telephony analytics reads (issue 14, point 5; docs/analytics.md "Telephony"): aggregates over the PSTN and
 * Direct Routing logs, joined to the call records by a Direct Routing row's correlationId.
 */
export interface TelephonyAnalyticsStore {
  /** Measures grouped by dimensions over the log rows the filter keeps, rows ordered by dimensions. */
  aggregateTelephony(query: TelephonyQuery): Promise<TelephonyTable>;
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
  /** API keys (issue 11). */
  readonly keys: KeyStore;
  /** The audit trail of authenticated requests (issue 11). */
  readonly audit: AuditStore;
  readonly privacy: PrivacyStore;
  readonly callLogs: CallLogStore;
  /** The privacy purge of the telephony logs. */
  readonly logPrivacy: LogPrivacyStore;
  readonly analytics: AnalyticsStore;
  /** Analytics over the telephony logs (issue 14). */
  readonly telephonyAnalytics: TelephonyAnalyticsStore;
  /** The dashboard's call search and one call's streams (issue 13). */
  readonly callSearch: CallSearchStore;
  readonly streams: StreamStore;
  /** The Graph collector's queue, cursors, leases and events. */
  readonly sync: SyncStateStore;
  readonly subscriptions: SubscriptionStore;
  /** Closes the connection every role shares; idempotent. */
  close(): Promise<void>;
}
