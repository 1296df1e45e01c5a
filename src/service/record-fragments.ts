import { createHash } from 'node:crypto';
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
 */
export function toRecordWrite(record: JsonObject, hasEvolvable: boolean): RecordWrite {
  const { sessions, participants_v2: participants, ...top } = record;
  const recordJson = JSON.stringify(top);
  const sessionWrites = asObjects(sessions).map(toSessionWrite);
  const participantWrites = asObjects(participants).map(toParticipantWrite);
  const collections: [string, string][] = [];
  if ('participants_v2' in record) {
    collections.push([
      'participants_v2',
      participants === null ? 'null' : arrayOf(participantWrites.map((p) => p.json)),
    ]);
  }
  if ('sessions' in record) {
    collections.push(['sessions', sessions === null ? 'null' : arrayOf(sessionWrites.map((s) => s.wholeJson))]);
  }
  const rawJson = appendMembers(recordJson, collections);
  return {
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
  };
}

function toSessionWrite(session: JsonObject): SessionWrite & { wholeJson: string } {
  const { segments, ...rest } = session;
  const json = JSON.stringify(rest);
  const segmentsJson = segments === undefined || segments === null ? '[]' : JSON.stringify(segments);
  // The whole session as received: segments only if it had them.
  const wholeJson =
    'segments' in session ? appendMembers(json, [['segments', segments === null ? 'null' : segmentsJson]]) : json;
  return { id: String(session.id), json, segmentsJson, wholeJson };
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
