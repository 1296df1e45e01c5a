import type { ClaimedItem, EnqueueItem, FailedItem, FetchReason } from '../sync-state.js';

/** A `sync_queue` row as both stores read it (integers as numbers). */
export interface QueueRow {
  id: string;
  state: string;
  reason: string;
  known_version: number | null;
  due_at: number;
  enqueued_at: number;
  attempts: number;
  lease_until: number | null;
  last_error: string | null;
  updated_at: number;
}

/** How long recorded events are kept (the status reads the last hour). */
export const EVENT_RETENTION_MS = 24 * 60 * 60 * 1000;

/** A claimed row as the item the worker gets. */
export function toClaimedItem(row: QueueRow): ClaimedItem {
  return {
    id: row.id,
    reason: row.reason as FetchReason,
    knownVersion: row.known_version ?? undefined,
    attempts: Number(row.attempts),
    enqueuedAt: Number(row.enqueued_at),
    leaseUntil: Number(row.lease_until),
    lastError: row.last_error ?? undefined,
  };
}

/** A failed row as the status shows it. */
export function toFailedItem(row: QueueRow): FailedItem {
  return {
    id: row.id,
    reason: row.reason as FetchReason,
    attempts: Number(row.attempts),
    enqueuedAt: Number(row.enqueued_at),
    failedAt: Number(row.updated_at),
    error: row.last_error ?? '',
  };
}

/**
 * The items of one enqueue call merged per id (earliest due time, highest known version, first reason), so that
 * one statement never touches a row twice; due times default to `now`.
 */
export function mergeEnqueueItems(
  items: readonly EnqueueItem[],
  now: number,
): { id: string; reason: string; knownVersion: number | null; dueAt: number }[] {
  const byId = new Map<string, { id: string; reason: string; knownVersion: number | null; dueAt: number }>();
  for (const item of items) {
    const dueAt = item.notBefore ?? now;
    const knownVersion = item.knownVersion ?? null;
    const seen = byId.get(item.id);
    if (seen === undefined) {
      byId.set(item.id, { id: item.id, reason: item.reason, knownVersion, dueAt });
      continue;
    }
    seen.dueAt = Math.min(seen.dueAt, dueAt);
    if (knownVersion !== null) seen.knownVersion = Math.max(seen.knownVersion ?? knownVersion, knownVersion);
  }
  return [...byId.values()];
}
