/**
 * What the call search and one call's streams (docs/analytics.md, "Call search" and "One call's streams") ask of a
 * store and get back. Keys are sortable UTC texts (src/domain/datetime.ts); the store knows nothing of URLs.
 */

/** Where a page of the call search starts: after this call in (start key desc, id desc) order. */
export interface CallSearchCursor {
  startKey: string;
  id: string;
}

/** A checked call search: every value already validated, the user text already lower-cased (ASCII letters). */
export interface CallSearchQuery {
  /** Calls that start at or after this key (inclusive); undefined: no lower bound. */
  fromKey?: string | undefined;
  /** Calls that start before this key (exclusive); undefined: no upper bound. */
  toKey?: string | undefined;
  /** A user id (matched whole) or a part of a display name, ASCII letters lower-cased. */
  user?: string | undefined;
  /** Only calls with a Poor audio stream (the stream table's `call_poor`). */
  poorOnly: boolean;
  /** Calls after this one; undefined: from the newest. */
  after?: CallSearchCursor | undefined;
  /** How many calls at most. */
  limit: number;
}

/** A person seen on a call's streams. */
export interface CallParticipant {
  id: string;
  /** The last display name the call's streams give this user, or null when none does. */
  displayName: string | null;
}

/** One call found by the search, summed up from its stream rows. */
export interface CallSummary {
  id: string;
  /** The call's start, sortable UTC (7 fractional digits). */
  startKey: string;
  callType: string | null;
  /** Distinct users of the call's streams, in order of first appearance, at most MAX_CALL_PARTICIPANTS. */
  participants: CallParticipant[];
  streams: number;
  /** Streams classified Poor (any media type). */
  poorStreams: number;
  /** Whether the call has a Poor audio stream. */
  poor: boolean;
  /** Distinct segments with failureInfo (the segment's, else its session's), as the `failures` measure counts. */
  failures: number;
}

/** A stream row keyed by its documented name (stream-columns.ts), every column present, nulls included. */
export type NamedStream = Record<string, string | number | null>;

/** The most participants a call summary lists. */
export const MAX_CALL_PARTICIPANTS = 20;
