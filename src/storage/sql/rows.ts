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
import type { ListRow } from './list-query.js';

/**
 * The result rows the mappers below read, as Kysely infers them from the statements (sql/statements.ts,
 * sql/list-query.ts): each mapper names the columns it needs, and the type checker matches them against the
 * statement's own row type. Dialect differences are settled before a row gets here: int8 (versions, counts) is a
 * number on PostgreSQL through the pool's type parser (postgres/connection.ts), JSON comes as `StoredJson`
 * (`DialectSql.storedJson`), flags are 0/1 integers on both.
 */
export interface HeadRow {
  version: number;
  content_hash: string;
  session_count: number;
  participant_count: number;
  has_evolvable: number;
}

/** The head of a record from a row of `getRecord`, `recordHead` or a record-and-page read. */
export function toHead(r: HeadRow): RecordHead {
  return {
    version: r.version,
    contentHash: r.content_hash,
    sessionCount: r.session_count,
    participantCount: r.participant_count,
    hasEvolvable: r.has_evolvable === 1,
  };
}

/** A session from a row of `sessionsPage` or `sessionById`. */
export function toSession(r: { ordinal: number; session_json: StoredJson; segments_json: StoredJson }): StoredItem {
  return { ordinal: r.ordinal, json: r.session_json, segmentsJson: r.segments_json };
}

/** A participant from a row of `participantsPage` or `participantById`. */
export function toParticipant(r: { ordinal: number; participant_json: StoredJson }): StoredItem {
  return { ordinal: r.ordinal, json: r.participant_json, segmentsJson: undefined };
}

/** An item of a record-and-page read (`recordWithSessionsPage`, `recordWithParticipantsPage`), after the record. */
export function toPageItem(r: {
  ordinal: number;
  record_json: StoredJson;
  segments_json: StoredJson | null;
}): StoredItem {
  return { ordinal: r.ordinal, json: r.record_json, segmentsJson: r.segments_json ?? undefined };
}

/** A row mapped, or undefined when there is none. */
export function mapped<R, T>(row: R | undefined, map: (row: R) => T): T | undefined {
  return row === undefined ? undefined : map(row);
}

/** The first or last record of the archive from a row of `oldestRecord`/`newestRecord` (none when it is empty). */
export function toRecordEnd(r: { id: string; start_key: string } | undefined): RecordEnd | undefined {
  return r && { id: r.id, startKey: r.start_key };
}

/** A row of the record list. */
export function toListedRecord(r: ListRow): ListedRecord {
  return { id: r.id, startKey: r.start_key, json: r.record_json, hasEvolvable: r.has_evolvable === 1 };
}

/** A row of `listVersions`; `currentHash` is the content hash of the current version. */
export function toVersionInfo(
  r: { version: number; last_modified: string; received_at: string; content_hash: string; partial: string | null },
  currentHash: string | undefined,
): VersionInfo {
  const info: VersionInfo = {
    version: r.version,
    lastModifiedDateTime: r.last_modified,
    receivedDateTime: r.received_at,
    current: currentHash === r.content_hash,
  };
  if (r.partial !== null) info.partial = r.partial;
  return info;
}

/** A row of `partialPage`. */
export function toPartialRecord(r: {
  id: string;
  version: number;
  partial: string | null;
  next_links: string | null;
}): PartialRecord {
  // The partial index holds only rows whose `partial` is set (migration 0003).
  const record: PartialRecord = { id: r.id, version: r.version, partial: r.partial ?? '' };
  if (r.next_links !== null) record.nextLinks = JSON.parse(r.next_links) as Record<string, string>;
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
export function toExportedRecord(r: {
  id: string;
  start_key: string;
  raw_brotli: Buffer;
  next_links: string | null;
}): ExportedRecord {
  const record: ExportedRecord = { id: r.id, startKey: r.start_key, rawJson: decompressJson(r.raw_brotli) };
  if (r.next_links !== null) record.nextLinks = r.next_links;
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
export function toExportedVersion(r: {
  id: string;
  start_key: string;
  received_at: string;
  version: number;
  content_hash: string;
  raw_brotli: Buffer;
  next_links: string | null;
}): ExportedVersion {
  const version: ExportedVersion = {
    id: r.id,
    startKey: r.start_key,
    receivedAt: r.received_at,
    version: r.version,
    contentHash: r.content_hash,
    rawJson: decompressJson(r.raw_brotli),
  };
  if (r.next_links !== null) version.nextLinks = r.next_links;
  return version;
}
