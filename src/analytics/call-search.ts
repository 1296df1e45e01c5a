import { holdsNul } from '../domain/json-text-rules.js';
import { AppError } from '../errors.js';
import type { CallSearchCursor, CallSearchQuery, CallSummary } from '../storage/call-search-types.js';
import type { CallSearchStore } from '../storage/roles.js';
import type { CallListItem, CallStreamsAnswer } from './call-search-answers.js';

/** The page size of the call search unless `top` says otherwise, and the largest `top` accepted. */
export const DEFAULT_CALL_PAGE = 50;
export const MAX_CALL_PAGE = 200;

/** The parameters the call search takes (docs/analytics.md, "Call search"). */
const PARAMETERS = ['from', 'to', 'user', 'poorOnly', 'top', 'skiptoken'] as const;

/** One call of a search answer, as the API writes it (declared apart, in a file the dashboard imports). */
export type { CallListItem } from './call-search-answers.js';

/** A page of the call search: the calls, and when more remain, the parameters of the next page's request. */
export interface CallSearchAnswer {
  ruleSet: string;
  value: CallListItem[];
  /** The next page's parameters in a stable order (the request's, with its `skiptoken`); absent on the last page. */
  next?: [string, string][] | undefined;
}

/**
 * The dashboard's call list and call detail reads (issue 13): checks the parameters, asks the store, and names the
 * rule set the stored classification comes from. Paging is by keyset: a skip token is the (start, id) of the last call
 * of a page, so a page never repeats or skips a call whatever is written meanwhile before it.
 */
export class CallSearch {
  constructor(
    private readonly store: CallSearchStore,
    /** The rule set the stored streams were classified by. */
    private readonly ruleSet: () => Promise<string>,
  ) {}

  /** Answers `GET /api/analytics/calls`; a bad parameter is a `BadRequest` naming it. */
  async search(params: ReadonlyMap<string, string>): Promise<CallSearchAnswer> {
    const query = callSearchQuery(params);
    // One more than asked tells whether another page follows, without a count.
    const [found, ruleSet] = await Promise.all([
      this.store.searchCalls({ ...query, limit: query.limit + 1 }),
      this.ruleSet(),
    ]);
    const calls = found.slice(0, query.limit);
    const answer: CallSearchAnswer = { ruleSet, value: calls.map(listItem) };
    if (found.length > query.limit) {
      const last = calls.at(-1)!;
      const kept = PARAMETERS.filter((p) => p !== 'skiptoken' && params.has(p)).map((p): [string, string] => [
        p,
        params.get(p)!,
      ]);
      answer.next = [...kept, ['skiptoken', skipToken({ startKey: last.startKey, id: last.id })]];
    }
    return answer;
  }

  /** Answers `GET /api/analytics/calls/{id}/streams`; a record that is not archived is `NotFound`. */
  async streams(id: string): Promise<CallStreamsAnswer> {
    // No stored id holds U+0000 (ingest refuses it), and PostgreSQL could not even compare one.
    const found = holdsNul(id) ? undefined : this.store.callStreams(id);
    const [streams, ruleSet] = await Promise.all([found, this.ruleSet()]);
    if (streams === undefined) throw new AppError('NotFound', `Call record '${id}' is not in the archive.`);
    return { ruleSet, callId: id, value: streams };
  }
}

/** The store query of a request's parameters, checked (without the extra row `search` asks for). */
export function callSearchQuery(params: ReadonlyMap<string, string>): CallSearchQuery {
  const unknown = [...params.keys()].filter((name) => !(PARAMETERS as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new AppError(
      'BadRequest',
      `Unknown parameter ${unknown.map((n) => `'${n}'`).join(', ')}; the call search takes ${PARAMETERS.join(', ')}.`,
    );
  }
  const user = params.get('user') ?? '';
  // No stored name or id holds U+0000, and PostgreSQL cannot compare a text that does.
  if (holdsNul(user)) throw new AppError('BadRequest', "'user' must not hold U+0000.");
  return {
    fromKey: dateParam(params, 'from'),
    toKey: dateParam(params, 'to'),
    user: user === '' ? undefined : foldAscii(user),
    poorOnly: flagParam(params, 'poorOnly'),
    after: params.has('skiptoken') ? cursorOf(params.get('skiptoken')!) : undefined,
    limit: topParam(params),
  };
}

/**
 * Lower-cases ASCII letters only, as SQLite's `lower` and PostgreSQL's under the stream table's "C" collation do: the
 * stores compare `lower(column)` with this text, so both must fold alike.
 */
function foldAscii(text: string): string {
  return text.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

function dateParam(params: ReadonlyMap<string, string>, name: string): string | undefined {
  const value = params.get(name);
  if (value === undefined) return undefined;
  // A real day: the date survives a round trip through Date (2026-02-30 does not).
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) {
    throw new AppError('BadRequest', `'${name}' must be a date (yyyy-mm-dd), not '${value}'.`);
  }
  return value;
}

function flagParam(params: ReadonlyMap<string, string>, name: string): boolean {
  const value = params.get(name);
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  throw new AppError('BadRequest', `'${name}' must be true or false, not '${value}'.`);
}

function topParam(params: ReadonlyMap<string, string>): number {
  const value = params.get('top');
  if (value === undefined) return DEFAULT_CALL_PAGE;
  const top = /^\d{1,4}$/.test(value) ? Number(value) : NaN;
  if (!(top >= 1 && top <= MAX_CALL_PAGE)) {
    throw new AppError('BadRequest', `'top' must be a whole number from 1 to ${MAX_CALL_PAGE}, not '${value}'.`);
  }
  return top;
}

const START_KEY = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/;

/** A skip token: the last call of a page, `[startKey, id]` as base64url JSON. It names a position, not a query. */
function skipToken(cursor: CallSearchCursor): string {
  return Buffer.from(JSON.stringify([cursor.startKey, cursor.id])).toString('base64url');
}

function cursorOf(token: string): CallSearchCursor {
  let value: unknown;
  try {
    value = /^[A-Za-z0-9_-]+$/.test(token) ? JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) : undefined;
  } catch {
    value = undefined;
  }
  if (
    !Array.isArray(value) ||
    value.length !== 2 ||
    typeof value[0] !== 'string' ||
    !START_KEY.test(value[0]) ||
    typeof value[1] !== 'string' ||
    holdsNul(value[1])
  ) {
    throw new AppError('BadRequest', "'skiptoken' is not valid; follow @odata.nextLink as given.");
  }
  return { startKey: value[0], id: value[1] };
}

function listItem(call: CallSummary): CallListItem {
  return {
    id: call.id,
    startDateTime: isoOfKey(call.startKey),
    callType: call.callType,
    participants: call.participants,
    streams: call.streams,
    poorStreams: call.poorStreams,
    poor: call.poor,
    failures: call.failures,
  };
}

/** A sortable UTC key as an ISO instant without trailing zero digits: `2026-09-01T10:00:00.1200000Z` → `…00.12Z`. */
export function isoOfKey(key: string): string {
  return key.replace(/\.?0+Z$/, 'Z');
}
