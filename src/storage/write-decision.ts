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

/** The call_records columns the version rules read (statement `currentHead`, and batch-write.ts on PostgreSQL). */
export interface CurrentHeadRow {
  version: number;
  completeness: CompletenessRank;
  last_modified_key: string;
  content_hash: string;
  start_key: string;
  partial: string | null;
}

/** The head from a row of the call_records columns the version rules read. */
export function toCurrentHead(row: CurrentHeadRow): CurrentHead {
  return {
    version: row.version,
    completeness: row.completeness,
    lastModifiedKey: row.last_modified_key,
    contentHash: row.content_hash,
    startKey: row.start_key,
    partial: row.partial ?? undefined,
  };
}
