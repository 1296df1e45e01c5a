/**
 * The data the sync role (`SyncStateStore`, roles.ts) takes and returns. Times are milliseconds since the epoch
 * (the collector's `Clock`), stored as integers so that due times and lease expiries compare as numbers.
 */

/** Why a record id is in the fetch queue. */
export type FetchReason = 'created' | 'updated' | 'sweep' | 'backfill' | 'repair';

/** One id to fetch: why, the version the sender knew of (if any), and not before when (default: now). */
export interface EnqueueItem {
  id: string;
  reason: FetchReason;
  knownVersion?: number | undefined;
  notBefore?: number | undefined;
}

/** An item leased to one owner by `claim`, until `leaseUntil`. */
export interface ClaimedItem {
  id: string;
  reason: FetchReason;
  knownVersion: number | undefined;
  /** How many times the item has been claimed since it was (re)queued, this claim included. */
  attempts: number;
  /** When the id was first queued (kept while it waits for retries; reset when a failed item is queued again). */
  enqueuedAt: number;
  leaseUntil: number;
  /** What the last attempt ran into (`retryLater`'s reason), if any. */
  lastError: string | undefined;
}

/** An item that `fail` gave up on: it stays in the queue, with its reason, until it is queued again. */
export interface FailedItem {
  id: string;
  reason: FetchReason;
  attempts: number;
  enqueuedAt: number;
  failedAt: number;
  error: string;
}

/** The queue at a glance: items by state, and the oldest one still waiting (queued or leased). */
export interface QueueStats {
  queued: number;
  leased: number;
  failed: number;
  /** Of the queued items, how many are due now (the rest wait for a retry time). */
  due: number;
  oldest: { id: string; reason: FetchReason; enqueuedAt: number } | undefined;
}

/** An event worth counting over a recent window (a 429 answer, a lag sample in milliseconds). */
export interface SyncEvent {
  kind: string;
  at: number;
  /** A measurement (e.g. lag in ms); 0 for events that are only counted. */
  value?: number | undefined;
}
