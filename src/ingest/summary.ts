import type { ItemOutcome } from './ingest-service.js';

/** Counts of outcomes by status, as reported by the ingest API and `callrecords import`. */
export interface IngestSummary {
  received: number;
  inserted: number;
  updated: number;
  unchanged: number;
  stale: number;
  rejected: number;
  /** Records whose current version is partial after their write (ItemOutcome.partial). */
  partial: number;
}

/** An empty summary to add outcomes to. */
export function emptySummary(): IngestSummary {
  return { received: 0, inserted: 0, updated: 0, unchanged: 0, stale: 0, rejected: 0, partial: 0 };
}

/** Adds outcomes to a summary (in place) and returns it. */
export function summarise(outcomes: readonly ItemOutcome[], into: IngestSummary = emptySummary()): IngestSummary {
  for (const outcome of outcomes) {
    into.received += 1;
    into[outcome.status] += 1;
    if (outcome.partial !== undefined) into.partial += 1;
  }
  return into;
}
