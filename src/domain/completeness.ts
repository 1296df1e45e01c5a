/**
 * How complete a received callRecord body is, read from the body as the source sent it — before validation drops
 * its response annotations. Graph pages expanded collections (sessions at 60, participants_v2 at 130) and marks a
 * cut with `sessions@odata.nextLink` / `participants_v2@odata.nextLink`
 * (https://learn.microsoft.com/graph/api/callrecords-callrecord-get); its List returns records without `sessions`
 * and `participants_v2` (https://learn.microsoft.com/graph/api/callrecords-cloudcommunications-list-callrecords).
 * Neither can be told from the stored body afterwards, so it is decided here, once, and kept beside the body
 * (docs/api.md, "Version rules").
 *
 * `participants_v2` absent is not partial: Graph expands one relationship per request, so a record fetched with its
 * sessions never carries participants_v2.
 */

/** Ranks of completeness, higher is more complete; they order equal versions (src/domain/version-order.ts). */
export const NO_SESSIONS = 0;
export const CUT_SHORT = 1;
export const COMPLETE = 2;

/** A completeness rank: NO_SESSIONS, CUT_SHORT or COMPLETE. */
export type CompletenessRank = typeof NO_SESSIONS | typeof CUT_SHORT | typeof COMPLETE;

/** How complete one body is: its rank, what it lacks in words, and the next links its source gave. */
export interface Completeness {
  rank: CompletenessRank;
  /** What is missing, for people (`60 of ≥ 61 sessions; follow sessions@odata.nextLink`); undefined when complete. */
  missing?: string | undefined;
  /** The source's next links by annotation name, for a collector to follow; undefined when there are none. */
  nextLinks?: Record<string, string> | undefined;
}

/** The completeness of a whole body (nothing missing). */
const COMPLETE_BODY: Completeness = { rank: COMPLETE };

/** What a list-page copy lacks. */
const NO_SESSIONS_TEXT = 'no sessions (a list-page copy)';

/**
 * The longest next link kept. Graph's are a URL with a skip token (a few hundred characters); anything longer is not
 * one, so the body still counts as cut short but the value is not stored.
 */
export const MAX_NEXT_LINK_LENGTH = 8192;

/** The contained collections Graph pages inside a record, with the name users know them by. */
const PAGED_COLLECTIONS = ['sessions', 'participants_v2'] as const;

/**
 * Returns how complete `body` is, as received (any JSON value: a non-object or a malformed collection is judged
 * as far as it can be; validation rejects it anyway). Call it before validateCallRecord, which drops the links.
 */
export function completenessOf(body: unknown): Completeness {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return COMPLETE_BODY;
  const record = body as Record<string, unknown>;
  let rank: CompletenessRank = COMPLETE;
  const missing: string[] = [];
  const nextLinks: Record<string, string> = {};
  if (!('sessions' in record)) {
    rank = NO_SESSIONS;
    missing.push(NO_SESSIONS_TEXT);
  }
  for (const name of PAGED_COLLECTIONS) {
    const annotation = `${name}@odata.nextLink`;
    if (!(annotation in record) || !(name in record)) continue;
    const link = record[annotation];
    // A link that is not a string or too long to keep is kept as '', so an export still says the body was cut short.
    nextLinks[annotation] = typeof link === 'string' && link.length <= MAX_NEXT_LINK_LENGTH ? link : '';
    const items = record[name];
    const count = Array.isArray(items) ? items.length : 0;
    missing.push(`${count} of ≥ ${count + 1} ${name}; follow ${annotation}`);
    if (rank > CUT_SHORT) rank = CUT_SHORT;
  }
  if (rank === COMPLETE) return COMPLETE_BODY;
  const result: Completeness = { rank, missing: missing.join('; ') };
  if (Object.keys(nextLinks).length > 0) result.nextLinks = nextLinks;
  return result;
}
