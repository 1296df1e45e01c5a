import type { IngestItem } from './ingest-service.js';

/**
 * The instance annotation `callrecords export --all-versions` puts first in each version it writes: when the archive
 * first received that version. OData clients ignore instance annotations, and the ingest API drops it like any
 * other annotation (docs/operations.md, "The all-versions format"); only `callrecords import` restores it.
 */
export const RECEIVED_ANNOTATION = '@callrecords.receivedDateTime';

/** The stored JSON text of a version with its receive time as the first member (a stored record is never `{}`). */
export function annotateReceived(rawJson: string, receivedAt: string): string {
  return `{${JSON.stringify(RECEIVED_ANNOTATION)}:${JSON.stringify(receivedAt)},${rawJson.slice(1)}`;
}

/**
 * Moves a record's receive-time annotation onto its item (validation would drop it unseen), so the store files the
 * version under that time. A value that is not a receive time as the store keeps them (`Date.toISOString()`, so
 * that they sort as text) rejects the item.
 */
export function takeReceivedAt(item: IngestItem): IngestItem {
  const record = item.value;
  if (record === null || typeof record !== 'object' || !Object.hasOwn(record, RECEIVED_ANNOTATION)) return item;
  const members = record as Record<string, unknown>;
  const received = members[RECEIVED_ANNOTATION];
  delete members[RECEIVED_ANNOTATION];
  if (!isReceiveTime(received)) {
    return {
      ...item,
      error: `${RECEIVED_ANNOTATION}: not a UTC date-time as export writes it (2024-01-31T09:00:00.000Z)`,
    };
  }
  return { ...item, receivedAt: received };
}

function isReceiveTime(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const time = new Date(value);
  return !Number.isNaN(time.getTime()) && time.toISOString() === value;
}
