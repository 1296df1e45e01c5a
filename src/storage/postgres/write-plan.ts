import type { RecordWrite, WriteResult } from '../store.js';
import { decideWrite, headOf, type CurrentHead } from '../write-decision.js';

/** The rows one batch must change, decided before any of them is written. */
export interface WritePlan {
  results: WriteResult[];
  /** Bodies not seen before, each to be added to the history. */
  newVersions: RecordWrite[];
  /** The version each touched record ends the batch with, by id (only records whose current version changes). */
  newCurrent: Map<string, RecordWrite>;
  /** Ids whose current rows in the database must go (they get a new current version). */
  replaced: string[];
  /** Records whose start moved to another key: their older history rows follow them (id → new start key). */
  moved: Map<string, string>;
  /** The start key each record of the batch ends with (its history rows carry it). */
  finalStart: Map<string, string>;
}

/**
 * Applies the version rules to a batch in order, as if each record were written on its own: each record is decided
 * by the same function as SQLite's writes (src/storage/write-decision.ts) against the head the earlier records of
 * the batch left, so later records of the batch see the earlier ones.
 */
export function planWrites(
  records: readonly RecordWrite[],
  heads: ReadonlyMap<string, CurrentHead>,
  knownBodies: ReadonlySet<string>,
): WritePlan {
  const current = new Map(heads);
  const seen = new Set(knownBodies);
  const plan: WritePlan = {
    results: [],
    newVersions: [],
    newCurrent: new Map(),
    replaced: [],
    moved: new Map(),
    finalStart: new Map(),
  };
  for (const record of records) {
    const head = current.get(record.id);
    const body = bodyKey(record.id, record.contentHash);
    const decision = decideWrite(record, head, seen.has(body));
    plan.results.push(decision.result);
    if (decision.addToHistory) {
      seen.add(body);
      plan.newVersions.push(record);
    }
    if (decision.becomesCurrent) {
      current.set(record.id, headOf(record));
      plan.newCurrent.set(record.id, record);
    }
  }
  for (const [id, head] of current) plan.finalStart.set(id, head.startKey);
  for (const [id, record] of plan.newCurrent) {
    const before = heads.get(id);
    if (before === undefined) continue;
    plan.replaced.push(id);
    if (before.startKey !== record.startKey) plan.moved.set(id, record.startKey);
  }
  return plan;
}

/** The key of one body in the history: record id and content hash. */
export function bodyKey(id: string, contentHash: string): string {
  return `${id}\u0000${contentHash}`;
}
