import type { CompletenessRank } from '../domain/completeness.js';
import { decideVersion, type VersionDecision, type VersionKey } from '../domain/version-order.js';
import type { RecordWrite, WriteResult } from './store.js';

/** What the database holds as a record's current version, as far as the version rules need it. */
export interface CurrentHead extends VersionKey {
  startKey: string;
  /** What the current version lacks; undefined when it is whole. */
  partial?: string | undefined;
}

/** A record's write decided: what to do with the body, and the result to report for it. */
export interface WriteDecision extends VersionDecision {
  result: WriteResult;
}

/**
 * Decides one record's write — the single place both stores take it from (SQLite record by record, PostgreSQL for
 * each record of a batch in memory): the version rules of src/domain/version-order.ts applied to the record and
 * its current head, and the result reported for it (the version current afterwards and what that one lacks).
 */
export function decideWrite(record: RecordWrite, head: CurrentHead | undefined, bodyKnown: boolean): WriteDecision {
  const decision = decideVersion(record, head, bodyKnown);
  const current = decision.becomesCurrent || head === undefined ? headOf(record) : head;
  const result: WriteResult = { status: decision.status, currentVersion: current.version };
  if (current.partial !== undefined) result.partial = current.partial;
  return { ...decision, result };
}

/** The head a record has once it is current. */
export function headOf(record: RecordWrite): CurrentHead {
  return {
    version: record.version,
    completeness: record.completeness,
    lastModifiedKey: record.lastModifiedKey,
    contentHash: record.contentHash,
    startKey: record.startKey,
    partial: record.partial,
  };
}

/** The head from a row with the columns version, completeness, last_modified_key, content_hash, start_key, partial. */
export function toCurrentHead(row: Record<string, unknown>): CurrentHead {
  return {
    version: Number(row.version),
    completeness: Number(row.completeness) as CompletenessRank,
    lastModifiedKey: row.last_modified_key as string,
    contentHash: row.content_hash as string,
    startKey: row.start_key as string,
    partial: (row.partial ?? undefined) as string | undefined,
  };
}
