/**
 * Resource paths under `/v1.0` and `/beta` (https://learn.microsoft.com/graph/api/resources/callrecords-api-overview), parsed into a discriminated union.
 *
 *   /communications/callRecords[/$count]
 *   /communications/callRecords/{function}(…)          ; [microsoft.graph.callRecords.]getPstnCalls etc.
 *   /communications/callRecords/{id}                   ; also callRecords('{id}') and callRecords(id='{id}')
 *     …/sessions[/$count] | …/sessions/{sessionId}[/segments[/$count] | /segments/{segmentId}]
 *     …/participants_v2[/$count] | …/participants_v2/{participantId}
 *     …/organizer_v2
 *
 * Segment names match case-insensitively, as on Graph. A key is `/{key}` (percent-decoded) or `('{key}')` with
 * `''` for a quote. One trailing slash is tolerated.
 */
import { AppError } from '../errors.js';

/** What a request path addresses; `count` marks a `/$count` request on a collection. */
export type ResourcePath =
  | { kind: 'callRecords'; count: boolean }
  | { kind: 'callRecord'; id: string }
  | { kind: 'sessions'; id: string; count: boolean }
  | { kind: 'session'; id: string; sessionId: string }
  | { kind: 'segments'; id: string; sessionId: string; count: boolean }
  | { kind: 'segment'; id: string; sessionId: string; segmentId: string }
  | { kind: 'participants'; id: string; count: boolean }
  | { kind: 'participant'; id: string; participantId: string }
  | { kind: 'organizer'; id: string }
  | { kind: 'function'; name: string; args: string };

// The functions bound to the callRecord collection (https://learn.microsoft.com/graph/api/callrecords-callrecord-getpstncalls and siblings); the last three exist on beta only.
const FUNCTIONS = [
  'getDirectRoutingCalls',
  'getPstnCalls',
  'getPstnBlockedUsersLog',
  'getPstnOnlineMeetingDialoutReport',
  'getSmsLog',
];
// Kiota-generated SDKs call the namespace-qualified name (microsoft.graph.callRecords.getPstnCalls); some of Kiota's
// Go builders write the namespace as callRecords.getPstnCalls.
const FUNCTION_NAMESPACES = ['microsoft.graph.callrecords.', 'callrecords.'];
const COUNT = Symbol('$count');

/** One path segment: the decoded text, the name before `(`, and the text inside `(…)` if there is one. */
interface Segment {
  text: string;
  name: string;
  args?: string;
}

/**
 * Parses the path after the version segment, still percent-encoded, into a ResourcePath. Throws
 * `AppError('BadRequest', "Resource not found for the segment '…'.")` naming the first segment it cannot place.
 * Function parameters are not parsed here: `args` is the decoded text between the parentheses.
 */
export function parseResourcePath(path: string): ResourcePath {
  const segments = new SegmentCursor(splitPath(path));
  segments.expect('communications');
  const records = segments.expect('callRecords', true);
  if (records.args !== undefined) return recordPath(segments, keyOf(records));
  const next = segments.next();
  if (next === undefined) return { kind: 'callRecords', count: false };
  if (isCount(next)) return segments.end({ kind: 'callRecords', count: true });
  const name = functionName(next);
  if (name === undefined) return recordPath(segments, idOf(next));
  if (next.args === undefined) throw notFound(next);
  return segments.end({ kind: 'function', name, args: next.args });
}

function recordPath(segments: SegmentCursor, id: string): ResourcePath {
  const nav = segments.next();
  if (nav === undefined) return { kind: 'callRecord', id };
  if (sameName(nav.name, 'organizer_v2') && nav.args === undefined) return segments.end({ kind: 'organizer', id });
  if (sameName(nav.name, 'participants_v2')) {
    const participantId = collectionKey(segments, nav);
    if (participantId === undefined) return segments.end({ kind: 'participants', id, count: false });
    if (participantId === COUNT) return segments.end({ kind: 'participants', id, count: true });
    return segments.end({ kind: 'participant', id, participantId });
  }
  if (!sameName(nav.name, 'sessions')) throw notFound(nav);
  const sessionId = collectionKey(segments, nav);
  if (sessionId === undefined) return segments.end({ kind: 'sessions', id, count: false });
  if (sessionId === COUNT) return segments.end({ kind: 'sessions', id, count: true });
  const segmentsNav = segments.next();
  if (segmentsNav === undefined) return { kind: 'session', id, sessionId };
  if (!sameName(segmentsNav.name, 'segments')) throw notFound(segmentsNav);
  const segmentId = collectionKey(segments, segmentsNav);
  if (segmentId === undefined) return segments.end({ kind: 'segments', id, sessionId, count: false });
  if (segmentId === COUNT) return segments.end({ kind: 'segments', id, sessionId, count: true });
  return segments.end({ kind: 'segment', id, sessionId, segmentId });
}

/** After a collection navigation: its key (`nav('k')` or `nav/k`), COUNT for `/$count`, or undefined. */
function collectionKey(segments: SegmentCursor, nav: Segment): string | typeof COUNT | undefined {
  if (nav.args !== undefined) return keyOf(nav);
  const next = segments.next();
  if (next === undefined) return undefined;
  return isCount(next) ? COUNT : idOf(next);
}

class SegmentCursor {
  private index = 0;
  private last: Segment = { text: '', name: '' };

  constructor(private readonly segments: readonly string[]) {}

  next(): Segment | undefined {
    const raw = this.segments[this.index];
    if (raw === undefined) return undefined;
    this.index++;
    this.last = parseSegment(raw);
    return this.last;
  }

  /** Consumes a segment called `name` (a key in parentheses only if `keyed`), else throws naming what was found. */
  expect(name: string, keyed = false): Segment {
    const segment = this.next();
    if (segment === undefined) throw notFound(this.last);
    if (!sameName(segment.name, name) || (!keyed && segment.args !== undefined)) throw notFound(segment);
    return segment;
  }

  /** Returns `result` if no segment is left, else throws naming the first extra one. */
  end(result: ResourcePath): ResourcePath {
    const extra = this.next();
    if (extra !== undefined) throw notFound(extra);
    return result;
  }
}

// Split on '/' outside parentheses, and inside them outside quotes, so that ('a/b') stays one segment.
function splitPath(path: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i <= path.length; i++) {
    const ch = path[i];
    if (ch === undefined || (ch === '/' && depth === 0)) {
      parts.push(path.slice(start, i));
      start = i + 1;
    } else if (depth > 0 && ch === "'") quoted = !quoted;
    else if (!quoted && ch === '(') depth++;
    else if (!quoted && ch === ')' && depth > 0) depth--;
  }
  if (parts[0] === '' && path.startsWith('/')) parts.shift();
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

function parseSegment(raw: string): Segment {
  let text: string;
  try {
    text = decodeURIComponent(raw);
  } catch {
    throw notFound({ text: raw, name: raw });
  }
  const m = /^([^()]*)\((.*)\)$/s.exec(text);
  return m === null ? { text, name: text } : { text, name: m[1] ?? '', args: m[2] ?? '' };
}

/** The key inside `name('…')` or `name(id='…')`, quote-doubling undone. */
function keyOf(segment: Segment): string {
  const m = /^(?:id=)?'((?:[^']|'')*)'$/i.exec(segment.args ?? '');
  const key = m?.[1]?.replaceAll("''", "'");
  if (key === undefined || key === '') throw notFound(segment);
  return key;
}

/** The key written as a whole `/{key}` segment. */
function idOf(segment: Segment): string {
  if (segment.text === '') throw notFound(segment);
  return segment.text;
}

function functionName(segment: Segment): string | undefined {
  const lower = segment.name.toLowerCase();
  const namespace = FUNCTION_NAMESPACES.find((ns) => lower.startsWith(ns));
  const bare = namespace === undefined ? lower : lower.slice(namespace.length);
  return FUNCTIONS.find((name) => name.toLowerCase() === bare);
}

function isCount(segment: Segment): boolean {
  return segment.args === undefined && segment.text.toLowerCase() === '$count';
}

function sameName(actual: string, expected: string): boolean {
  return actual.toLowerCase() === expected.toLowerCase();
}

function notFound(segment: Segment): AppError {
  return new AppError('BadRequest', `Resource not found for the segment '${segment.text}'.`);
}
