import { decompressJson } from '../compression.js';
import type {
  ExportRange,
  ExportedRecord,
  ExportedVersion,
  ListedRecord,
  PartialRecord,
  RecordEnd,
  RecordHead,
  StoredItem,
  StoredJson,
  VersionCursor,
  VersionInfo,
} from '../store.js';
import type { ExportVersionsValues } from './statements.js';
import { EXPORT_MAX_KEY, EXPORT_MIN_KEY } from './bounds.js';

/** A result row as a driver returns it (both drivers name columns as the statements alias them). */
export type Row = Record<string, unknown>;

/** The head of a record from a row of `getRecord`, `recordHead` or `currentHead`. */
export function toHead(r: Row): RecordHead {
  return {
    version: r.version as number,
    contentHash: r.content_hash as string,
    sessionCount: r.session_count as number,
    participantCount: r.participant_count as number,
    hasEvolvable: r.has_evolvable === 1,
  };
}

/** A session or participant from a row of the page and by-id statements (JSON as `DialectSql.storedJson` gives it). */
export function toItem(r: Row): StoredItem {
  const json = (r.session_json ?? r.participant_json) as StoredJson;
  return { ordinal: r.ordinal as number, json, segmentsJson: r.segments_json as StoredJson | undefined };
}

/** The first or last record of the archive from a row of `oldestRecord`/`newestRecord` (none when it is empty). */
export function toRecordEnd(r: Row | undefined): RecordEnd | undefined {
  return r && { id: r.id as string, startKey: r.start_key as string };
}

/** A row of the record list. */
export function toListedRecord(r: Row): ListedRecord {
  return {
    id: r.id as string,
    startKey: r.start_key as string,
    json: r.record_json as StoredJson,
    hasEvolvable: r.has_evolvable === 1,
  };
}

/** A row of `listVersions`; `currentHash` is the content hash of the current version. */
export function toVersionInfo(r: Row, currentHash: unknown): VersionInfo {
  const info: VersionInfo = {
    version: r.version as number,
    lastModifiedDateTime: r.last_modified as string,
    receivedDateTime: r.received_at as string,
    current: currentHash === r.content_hash,
  };
  if (typeof r.partial === 'string') info.partial = r.partial;
  return info;
}

/** A row of `partialPage`. */
export function toPartialRecord(r: Row): PartialRecord {
  const record: PartialRecord = { id: r.id as string, version: Number(r.version), partial: r.partial as string };
  if (typeof r.next_links === 'string') record.nextLinks = JSON.parse(r.next_links) as Record<string, string>;
  return record;
}

/** The values of `exportPage` for a range, a cursor and a page size. */
export function exportValues(
  range: ExportRange,
  after: { startKey: string; id: string } | undefined,
  limit: number,
): { from: string; to: string; afterStart: string; afterId: string; limit: number } {
  return {
    from: range.fromKey ?? EXPORT_MIN_KEY,
    to: range.toKey ?? EXPORT_MAX_KEY,
    afterStart: after?.startKey ?? '',
    afterId: after?.id ?? '',
    limit,
  };
}

/** A row of `exportPage`: the record's whole JSON, from its history. */
export function toExportedRecord(r: Row): ExportedRecord {
  const record: ExportedRecord = {
    id: r.id as string,
    startKey: r.start_key as string,
    rawJson: decompressJson(r.raw_brotli as Buffer),
  };
  if (typeof r.next_links === 'string') record.nextLinks = r.next_links;
  return record;
}

/** The values of `exportVersionsPage` for a range, a cursor and a page size. */
export function exportVersionValues(
  range: ExportRange,
  after: VersionCursor | undefined,
  limit: number,
): ExportVersionsValues {
  const { from, to, afterStart, afterId } = exportValues(range, after, limit);
  return {
    from,
    to,
    afterStart,
    afterId,
    afterReceived: after?.receivedAt ?? '',
    afterVersion: after?.version ?? 0,
    afterHash: after?.contentHash ?? '',
    limit,
    recordLimit: limit + 1,
  };
}

/** A row of `exportVersionsPage`: one stored body, decompressed, with its place in the export order. */
export function toExportedVersion(r: Row): ExportedVersion {
  const version: ExportedVersion = {
    id: r.id as string,
    startKey: r.start_key as string,
    receivedAt: r.received_at as string,
    version: Number(r.version),
    contentHash: r.content_hash as string,
    rawJson: decompressJson(r.raw_brotli as Buffer),
  };
  if (typeof r.next_links === 'string') version.nextLinks = r.next_links;
  return version;
}
