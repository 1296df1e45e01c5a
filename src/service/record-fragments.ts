import { createHash } from 'node:crypto';
import { toSortableUtc } from '../domain/datetime.js';
import type { ParticipantWrite, RecordWrite, SessionWrite } from '../storage/store.js';

type JsonObject = Record<string, unknown>;

/**
 * Cuts a validated, normalised callRecord into what the store keeps: the record without its contained collections,
 * each session (segments apart), each participant, and the whole record for history and export. Reads are then
 * served by joining these stored texts, not by rebuilding objects field by field.
 */
export function toRecordWrite(record: JsonObject, hasEvolvable: boolean): RecordWrite {
  const rawJson = JSON.stringify(record);
  const { sessions, participants_v2: participants, ...top } = record;
  return {
    id: record.id as string,
    version: record.version as number,
    startKey: sortableKey(record.startDateTime),
    endKey: sortableKey(record.endDateTime),
    lastModifiedKey: sortableKey(record.lastModifiedDateTime),
    lastModified: record.lastModifiedDateTime as string,
    recordJson: JSON.stringify(top),
    sessions: asObjects(sessions).map(toSessionWrite),
    participants: asObjects(participants).map(toParticipantWrite),
    rawJson,
    contentHash: createHash('sha256').update(rawJson).digest('base64url'),
    hasEvolvable,
  };
}

function toSessionWrite(session: JsonObject): SessionWrite {
  const { segments, ...rest } = session;
  return { id: String(session.id), json: JSON.stringify(rest), segmentsJson: JSON.stringify(segments ?? []) };
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
