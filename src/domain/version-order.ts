/**
 * Which version of a record is current, and what a write of one body does — the one decision both stores apply
 * (docs/api.md, "Version rules"). Graph re-issues a record with a higher `version` as telemetry arrives
 * (https://learn.microsoft.com/graph/api/resources/callrecords-callrecord, `version`), so the higher version wins,
 * even when it is partial (it is then reported as partial). Equal versions are ordered by completeness
 * (src/domain/completeness.ts: whole > cut short by a next link > no sessions), then by lastModifiedDateTime, then
 * by content hash. The order is total, so the outcome is the same whatever order the bodies arrive in and however
 * many writers share the database: a list-page copy never displaces the full record of the same version.
 */
import type { CompletenessRank } from './completeness.js';

/** What orders two bodies of one record. */
export interface VersionKey {
  version: number;
  completeness: CompletenessRank;
  lastModifiedKey: string;
  contentHash: string;
}

/** Compares two versions of the same record: negative when `a` is older, 0 when identical, positive when newer. */
function compareVersions(a: VersionKey, b: VersionKey): number {
  if (a.version !== b.version) return a.version < b.version ? -1 : 1;
  if (a.completeness !== b.completeness) return a.completeness < b.completeness ? -1 : 1;
  if (a.lastModifiedKey !== b.lastModifiedKey) return a.lastModifiedKey < b.lastModifiedKey ? -1 : 1;
  if (a.contentHash !== b.contentHash) return a.contentHash < b.contentHash ? -1 : 1;
  return 0;
}

/** What a write of one body did: see docs/api.md, "Version rules". */
export type VersionStatus = 'inserted' | 'updated' | 'unchanged' | 'stale';

/** The decision for one received body: its status, and whether it enters the history and becomes current. */
export interface VersionDecision {
  status: VersionStatus;
  /** The body is new to the record's history and is added to it (each distinct body is kept once). */
  addToHistory: boolean;
  /** The body becomes the record's current version. */
  becomesCurrent: boolean;
}

/**
 * Decides what writing `incoming` does, given the record's current version (undefined for a new record) and
 * whether this very body (same content hash) is already in the history. A body seen before changes nothing; a new
 * body is always kept in the history, and becomes current only if it orders after the current version.
 */
export function decideVersion(
  incoming: VersionKey,
  current: VersionKey | undefined,
  bodyKnown: boolean,
): VersionDecision {
  if (bodyKnown) return { status: 'unchanged', addToHistory: false, becomesCurrent: false };
  if (current === undefined) return { status: 'inserted', addToHistory: true, becomesCurrent: true };
  const order = compareVersions(incoming, current);
  if (order > 0) return { status: 'updated', addToHistory: true, becomesCurrent: true };
  // Equal keys mean the same content hash, which the history already holds; kept for safety, not reached.
  return { status: order < 0 ? 'stale' : 'unchanged', addToHistory: true, becomesCurrent: false };
}
