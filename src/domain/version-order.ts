/**
 * Which of two versions of one record is current. Graph re-issues a record with a higher `version` as telemetry
 * arrives (https://learn.microsoft.com/graph/api/resources/callrecords-callrecord, `version`), so the higher version wins. Equal versions with different content are ordered by
 * lastModifiedDateTime, then by content hash: the outcome is the same whatever order the versions arrive in, which
 * keeps several writers on one database consistent.
 */
export interface VersionKey {
  version: number;
  lastModifiedKey: string;
  contentHash: string;
}

/** Compares two versions of the same record: negative when `a` is older, 0 when identical, positive when newer. */
export function compareVersions(a: VersionKey, b: VersionKey): number {
  if (a.version !== b.version) return a.version < b.version ? -1 : 1;
  if (a.lastModifiedKey !== b.lastModifiedKey) return a.lastModifiedKey < b.lastModifiedKey ? -1 : 1;
  if (a.contentHash !== b.contentHash) return a.contentHash < b.contentHash ? -1 : 1;
  return 0;
}
