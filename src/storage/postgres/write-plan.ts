import { compareVersions } from '../../domain/version-order.js';
import type { RecordWrite, WriteResult } from '../store.js';

/** What the database holds as a record's current version, as far as the version rules need it. */
export interface CurrentHead {
  version: number;
  lastModifiedKey: string;
  contentHash: string;
  startKey: string;
}

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
 * Applies the version rules (docs/api.md, "Version rules"; src/domain/version-order.ts) to a batch in order, as if
 * each record were written on its own: a body already in the history is unchanged, a lower version is kept in the
 * history only (stale), a higher one becomes current. Later records of the batch see the earlier ones.
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
    if (seen.has(body)) {
      plan.results.push({ status: 'unchanged', currentVersion: head?.version ?? record.version });
      continue;
    }
    seen.add(body);
    plan.newVersions.push(record);
    if (head !== undefined) {
      const order = compareVersions(record, head);
      if (order <= 0) {
        plan.results.push({ status: order < 0 ? 'stale' : 'unchanged', currentVersion: head.version });
        continue;
      }
    }
    current.set(record.id, {
      version: record.version,
      lastModifiedKey: record.lastModifiedKey,
      contentHash: record.contentHash,
      startKey: record.startKey,
    });
    plan.newCurrent.set(record.id, record);
    plan.results.push({ status: head ? 'updated' : 'inserted', currentVersion: record.version });
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
