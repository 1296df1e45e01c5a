/**
 * A record's history as `GET /api/callRecords/{id}/versions` answers it (docs/api.md, "History"). Type declarations
 * only: the dashboard (dashboard/src/pages/call-versions.ts) imports this file, so it must import nothing.
 */

/** One entry of a record's history. */
export interface VersionInfo {
  version: number;
  lastModifiedDateTime: string;
  receivedDateTime: string;
  current: boolean;
  /** What this version lacked when received; absent when it was whole. */
  partial?: string | undefined;
}

/** The answer: every distinct version received, oldest first. */
export interface VersionList {
  id: string;
  value: VersionInfo[];
}
