/**
 * The call search's answers computed from posted Graph records in JavaScript, from the definitions in
 * docs/analytics.md ("Call search", and the stream table's sender/receiver rules), not from the store's SQL.
 */
import { toSortableUtc } from '../../src/domain/datetime.js';
import type { Json } from './json.js';

/** What the search says of one call, as far as the posted JSON alone decides it. */
export interface ReferenceCall {
  id: string;
  startKey: string;
  callType: string | null;
  streams: number;
  failures: number;
  /** Every user of the call's streams in order of first appearance, with the last display name given (not capped). */
  users: { id: string; displayName: string | null }[];
  /** Every display name of every endpoint of its streams, as given. */
  names: string[];
}

/** The calls of these records that have at least one media stream, newest first (start desc, id desc). */
export function referenceCalls(records: readonly Json[]): ReferenceCall[] {
  return records
    .map(referenceCall)
    .filter((c) => c.streams > 0)
    .sort((a, b) => (a.startKey === b.startKey ? cmp(b.id, a.id) : cmp(b.startKey, a.startKey)));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function referenceCall(record: Json): ReferenceCall {
  let streams = 0;
  const failed = new Set<string>();
  const users = new Map<string, string | null>();
  const names: string[] = [];
  for (const session of record.sessions ?? []) {
    for (const segment of session.segments ?? []) {
      const caller = segment.caller ?? session.caller;
      const callee = segment.callee ?? session.callee;
      for (const media of segment.media ?? []) {
        for (const stream of media.streams ?? []) {
          streams++;
          const failure = segment.failureInfo?.stage ?? session.failureInfo?.stage ?? null;
          if (failure !== null) failed.add(`${session.id}/${segment.id}`);
          const ends = stream.streamDirection === 'calleeToCaller' ? [callee, caller] : [caller, callee];
          for (const end of ends) {
            // The stream table's user: associatedIdentity, else identity.user (docs/analytics.md).
            const user = end?.associatedIdentity ?? end?.identity?.user ?? null;
            if (typeof user?.id !== 'string') continue;
            const name = typeof user.displayName === 'string' ? user.displayName : null;
            if (name !== null) names.push(name);
            if (name !== null || !users.has(user.id)) users.set(user.id, name);
          }
        }
      }
    }
  }
  return {
    id: record.id,
    startKey: toSortableUtc(record.startDateTime)!,
    callType: record.type ?? null,
    streams,
    failures: failed.size,
    users: [...users].map(([id, displayName]) => ({ id, displayName })),
    names,
  };
}

/** Whether any endpoint of the call's streams is the user `text` (id, any case) or has a name containing it. */
export function callMatchesUser(record: Json, text: string): boolean {
  const fold = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
  const call = referenceCall(record);
  return call.users.some((u) => fold(u.id) === fold(text)) || call.names.some((n) => fold(n).includes(fold(text)));
}
