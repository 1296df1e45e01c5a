import { createHash } from 'node:crypto';
import { completenessOf, type Completeness } from '../domain/completeness.js';
import { toSortableUtc } from '../domain/datetime.js';
import type { ParticipantWrite, RecordWrite, SessionWrite } from '../storage/store.js';
import { appendMembers, arrayOf } from './json-text.js';

type JsonObject = Record<string, unknown>;

/**
 * Cuts a validated, normalised callRecord into what the store keeps: the record without its contained collections,
 * each session (segments apart), each participant, and the whole record for history and export. Reads are then
 * served by joining these stored texts, not by rebuilding objects field by field.
 *
 * Each part is serialised once; the whole record is joined from the parts (its contained collections after the
 * other members, a session's segments last), so a record costs one JSON.stringify pass, and export → import gives
 * back the same text and hash.
 *
 * `completeness` is the body's as received (src/domain/completeness.ts), which the caller reads before validation
 * drops the next links; by default it is read from the normalised record, where only a missing `sessions` shows.
 */
export function toRecordWrite(
  record: JsonObject,
  hasEvolvable: boolean,
  completeness: Completeness = completenessOf(record),
): RecordWrite {
  const { sessions, participants_v2: participants, ...top } = record;
  const recordJson = JSON.stringify(top);
  const sessionObjects = asObjects(sessions);
  const sessionWrites = sessionObjects.map(toSessionWrite);
  const participantWrites = asObjects(participants).map(toParticipantWrite);
  const collections: [string, string][] = [];
  if ('participants_v2' in record) {
    collections.push([
      'participants_v2',
      participants === null ? 'null' : arrayOf(participantWrites.map((p) => p.json)),
    ]);
  }
  if ('sessions' in record) {
    collections.push([
      'sessions',
      sessions === null ? 'null' : arrayOf(sessionObjects.map((s, i) => wholeSession(s, sessionWrites[i]!))),
    ]);
  }
  const rawJson = appendMembers(recordJson, collections);
  const write: RecordWrite = {
    id: record.id as string,
    version: record.version as number,
    startKey: sortableKey(record.startDateTime),
    endKey: sortableKey(record.endDateTime),
    lastModifiedKey: sortableKey(record.lastModifiedDateTime),
    lastModified: record.lastModifiedDateTime as string,
    recordJson,
    sessions: sessionWrites,
    participants: participantWrites,
    rawJson,
    contentHash: createHash('sha256').update(rawJson).digest('base64url'),
    hasEvolvable,
    completeness: completeness.rank,
    partial: completeness.missing,
    nextLinks: completeness.nextLinks && JSON.stringify(completeness.nextLinks),
  };
  // Kept for the stream table's row builder (record-tables.ts), out of sight of comparisons and copies.
  Object.defineProperty(write, 'parsed', { value: { type: record.type, sessions }, enumerable: false });
  return write;
}

function toSessionWrite(session: JsonObject): SessionWrite {
  const { segments, ...rest } = session;
  const segmentsJson = segments === undefined || segments === null ? '[]' : JSON.stringify(segments);
  return { id: String(session.id), json: JSON.stringify(rest), segmentsJson };
}

// The whole session as received, from its parts: segments last, and only if it had them.
function wholeSession(session: JsonObject, write: SessionWrite): string {
  if (!('segments' in session)) return write.json;
  return appendMembers(write.json, [['segments', session.segments === null ? 'null' : write.segmentsJson]]);
}

function toParticipantWrite(participant: JsonObject): ParticipantWrite {
  return { id: String(participant.id), json: JSON.stringify(participant) };
}

function asObjects(value: unknown): JsonObject[] {
  return Array.isArray(value) ? (value as JsonObject[]) : [];
}

// The validator guarantees these are valid Edm.DateTimeOffset values.
function sortableKey(value: unknown): string {
  const key = toSortableUtc(String(value));
  if (key === undefined) throw new Error(`not a validated date-time: ${String(value)}`);
  return key;
}
