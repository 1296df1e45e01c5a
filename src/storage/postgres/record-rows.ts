import { compressJson } from '../compression.js';
import type { RecordWrite } from '../store.js';
import type { CopyValue } from './copy-rows.js';

/** The columns each record table is sent with COPY, in the order of the rows below. */
export const COPY_COLUMNS = {
  call_records: [
    'id',
    'version',
    'start_key',
    'end_key',
    'last_modified_key',
    'record_json',
    'session_count',
    'participant_count',
    'content_hash',
    'has_evolvable',
    'received_at',
    'completeness',
    'partial',
    'next_links',
  ],
  sessions: ['record_id', 'start_key', 'ordinal', 'session_id', 'session_json', 'segments_json'],
  participants: ['record_id', 'start_key', 'ordinal', 'participant_id', 'participant_json'],
  record_versions: [
    'record_id',
    'start_key',
    'content_hash',
    'version',
    'last_modified',
    'received_at',
    'raw_brotli',
    'partial',
    'next_links',
  ],
} as const;

/** The call_records row of a record's current version. */
export function recordRow(r: RecordWrite, receivedAt: string): CopyValue[] {
  return [
    r.id,
    r.version,
    r.startKey,
    r.endKey,
    r.lastModifiedKey,
    r.recordJson,
    r.sessions.length,
    r.participants.length,
    r.contentHash,
    r.hasEvolvable ? 1 : 0,
    receivedAt,
    r.completeness,
    r.partial ?? null,
    r.nextLinks ?? null,
  ];
}

/** The sessions rows of a record's current version, by ordinal. */
export function sessionRows(r: RecordWrite): CopyValue[][] {
  return r.sessions.map((s, i) => [r.id, r.startKey, i, s.id, s.json, s.segmentsJson]);
}

/** The participants rows of a record's current version, by ordinal. */
export function participantRows(r: RecordWrite): CopyValue[][] {
  return r.participants.map((p, i) => [r.id, r.startKey, i, p.id, p.json]);
}

/** The history row of one received body, filed under the start key its record has after the write. */
export function versionRow(r: RecordWrite, startKey: string, receivedAt: string): CopyValue[] {
  return [
    r.id,
    startKey,
    r.contentHash,
    r.version,
    r.lastModified,
    receivedAt,
    compressJson(r.rawJson),
    r.partial ?? null,
    r.nextLinks ?? null,
  ];
}
