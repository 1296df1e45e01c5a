import type { RecordEnd, RecordHead, StoredItem, StoredJson } from '../store.js';

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
