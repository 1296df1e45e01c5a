import { MAX_PARTICIPANTS_PAGE, MAX_SESSIONS_PAGE } from '../domain/paging.js';
import { AppError } from '../errors.js';
import type { QueryOptions, RecordFilter } from '../odata/query-options.js';
import type { RecordStore } from '../storage/roles.js';
import type { Collection, RecordHead, StoredItem, StoredJson } from '../storage/store.js';
import { tightenFilter } from './filter-bounds.js';
import { contextProjection, expandText } from './graph-links.js';
import { itemParts, sessionParts } from './item-parts.js';
import { arrayParts, objectParts, stringValue, type JsonMember, type JsonPart } from './json-parts.js';
import { keyLiteral, pageSize, recordContextBase, type ReadContext, type ReadResult } from './read-context.js';
import { recordNotFound, requireRecord, type RecordReader } from './record-reader.js';
import { finishJson } from './response-finish.js';
import type { SkipTokenCodec } from './skip-token.js';

type JsonObject = Record<string, unknown>;

/**
 * Reads of what a record contains (https://learn.microsoft.com/graph/api/callrecords-callrecord-list-sessions, https://learn.microsoft.com/graph/api/callrecords-callrecord-list-participants_v2): sessions (paged at 60), one session, its segments, one
 * segment, participants_v2 (paged at 130), one participant, and organizer_v2.
 */
export class ContainedReader {
  constructor(
    private readonly store: RecordStore,
    private readonly tokens: SkipTokenCodec,
    private readonly records: RecordReader,
  ) {}

  /** GET …/callRecords/{id}/sessions */
  async sessions(ctx: ReadContext, id: string, q: QueryOptions): Promise<ReadResult> {
    const limit = pageSize(MAX_SESSIONS_PAGE, ctx.prefer);
    const queryKey = `${q.select?.join(',') ?? ''}|${expandText(q.expand) ?? ''}`;
    const { head, items, next } = await this.page(id, 'sessions', limit, q.skipToken, queryKey);
    const withSegments = q.expand?.some((e) => e.name === 'segments') ?? false;
    const members: JsonMember[] = [
      ['@odata.context', stringValue(`${recordContextBase(ctx.serviceRoot, id)}/sessions`)],
      ['value', arrayParts(items.map((s) => sessionParts(s, q.select, withSegments)))],
    ];
    if (next !== undefined) {
      members.push(['@odata.nextLink', stringValue(this.records.sessionsLink(ctx, head, id, next, q))]);
    }
    return finishJson(objectParts(undefined, members), head.hasEvolvable, ctx, limit);
  }

  /** GET …/callRecords/{id}/participants_v2 */
  async participants(ctx: ReadContext, id: string, q: QueryOptions): Promise<ReadResult> {
    const limit = pageSize(MAX_PARTICIPANTS_PAGE, ctx.prefer);
    const { head, items, next } = await this.page(id, 'participants', limit, q.skipToken, q.select?.join(',') ?? '');
    // The documented context of this collection has no version segment (https://learn.microsoft.com/graph/api/callrecords-callrecord-list-participants_v2 example).
    const members: JsonMember[] = [
      ['@odata.context', stringValue(`${recordContextBase(ctx.hostRoot, id)}/participants_v2`)],
      ['value', arrayParts(items.map((p) => itemParts(p.json, q.select)))],
    ];
    if (next !== undefined) {
      members.push(['@odata.nextLink', stringValue(this.records.participantsLink(ctx, head, id, next, q.select))]);
    }
    return finishJson(objectParts(undefined, members), head.hasEvolvable, ctx, limit);
  }

  /** GET …/callRecords/{id}/sessions/{sessionId} */
  async session(ctx: ReadContext, id: string, sessionId: string, q: QueryOptions): Promise<ReadResult> {
    const { head, item } = await this.item(id, 'sessions', sessionId);
    const withSegments = q.expand?.some((e) => e.name === 'segments') ?? false;
    const context = `${recordContextBase(ctx.serviceRoot, id)}/sessions${contextProjection(q.select, q.expand)}/$entity`;
    return finishJson(withContext(sessionParts(item, q.select, withSegments), context), head.hasEvolvable, ctx);
  }

  /** GET …/sessions/{sessionId}/segments */
  async segments(ctx: ReadContext, id: string, sessionId: string): Promise<ReadResult> {
    const { head, item } = await this.item(id, 'sessions', sessionId);
    const context = `${recordContextBase(ctx.serviceRoot, id)}/sessions(${keyLiteral(sessionId)})/segments`;
    const members: JsonMember[] = [
      ['@odata.context', stringValue(context)],
      ['value', [item.segmentsJson ?? '[]']],
    ];
    return finishJson(objectParts(undefined, members), head.hasEvolvable, ctx);
  }

  /** GET …/sessions/{sessionId}/segments/{segmentId} */
  async segment(ctx: ReadContext, id: string, sessionId: string, segmentId: string): Promise<ReadResult> {
    const { head, item } = await this.item(id, 'sessions', sessionId);
    const segment = parseArray(item.segmentsJson).find((s) => s.id === segmentId);
    if (segment === undefined) {
      throw new AppError(
        'NotFound',
        `Segment '${segmentId}' was not found in session '${sessionId}' of call record '${id}'.`,
      );
    }
    const context = `${recordContextBase(ctx.serviceRoot, id)}/sessions(${keyLiteral(sessionId)})/segments/$entity`;
    return finishJson(withContext([JSON.stringify(segment)], context), head.hasEvolvable, ctx);
  }

  /** GET …/callRecords/{id}/participants_v2/{participantId} */
  async participant(ctx: ReadContext, id: string, participantId: string, q: QueryOptions): Promise<ReadResult> {
    const { head, item } = await this.item(id, 'participants', participantId);
    const context = `${recordContextBase(ctx.serviceRoot, id)}/participants_v2${contextProjection(q.select, undefined)}/$entity`;
    return finishJson(withContext(itemParts(item.json, q.select), context), head.hasEvolvable, ctx);
  }

  /** GET …/callRecords/{id}/organizer_v2 */
  async organizer(ctx: ReadContext, id: string, q: QueryOptions): Promise<ReadResult> {
    const record = await requireRecord(this.store, id);
    const organizer = (JSON.parse(record.json.toString()) as JsonObject).organizer_v2;
    if (organizer === undefined || organizer === null) {
      throw new AppError('NotFound', `Call record '${id}' has no organizer_v2.`);
    }
    const context = `${recordContextBase(ctx.serviceRoot, id)}/organizer_v2${contextProjection(q.select, undefined)}/$entity`;
    return finishJson(withContext(itemParts(JSON.stringify(organizer), q.select), context), record.hasEvolvable, ctx);
  }

  /** GET …/{collection}/$count: the number of items, as plain text; for call records, those the $filter selects. */
  async count(
    target:
      | { kind: 'callRecords'; filter: RecordFilter | undefined }
      | { kind: 'sessions' | 'participants'; id: string }
      | { kind: 'segments'; id: string; sessionId: string },
  ): Promise<ReadResult> {
    let n: number;
    if (target.kind === 'callRecords') {
      n = await this.store.countRecords(tightenFilter(target.filter) ?? { start: [] });
    } else if (target.kind === 'segments') {
      n = parseArray((await this.item(target.id, 'sessions', target.sessionId)).item.segmentsJson).length;
    } else {
      const read = await this.store.readPage(target.id, { collection: target.kind, fromOrdinal: 0, limit: 0 });
      if (read === undefined) recordNotFound(target.id);
      n = target.kind === 'sessions' ? read.head.sessionCount : read.head.participantCount;
    }
    return { body: String(n), contentType: 'text', applied: [] };
  }

  // One page of a collection from one snapshot, and the ordinal the next page starts at, if any.
  private async page(
    id: string,
    collection: Collection,
    limit: number,
    skipToken: string | undefined,
    queryKey: string,
  ): Promise<{ head: RecordHead; items: StoredItem[]; next: number | undefined }> {
    const state = skipToken === undefined ? undefined : this.tokens.decode(skipToken, collection, queryKey);
    if (state !== undefined && state.recordId !== id) {
      throw new AppError('invalidSkipToken', 'The $skiptoken belongs to another call record.');
    }
    const read = await this.store.readPage(id, { collection, fromOrdinal: state?.ordinal ?? 0, limit: limit + 1 });
    if (read === undefined) recordNotFound(id);
    if (state !== undefined && state.contentHash !== read.head.contentHash) {
      throw new AppError(
        'invalidSkipToken',
        `Call record '${id}' changed since this paging began; request the first page again.`,
      );
    }
    return { head: read.head, items: read.items.slice(0, limit), next: read.items[limit]?.ordinal };
  }

  private async item(
    id: string,
    collection: Collection,
    itemId: string,
  ): Promise<{ head: RecordHead; item: StoredItem }> {
    const read = await this.store.readItem(id, collection, itemId);
    if (read === undefined) recordNotFound(id);
    if (read.item === undefined) {
      const what = collection === 'sessions' ? 'Session' : 'Participant';
      throw new AppError('NotFound', `${what} '${itemId}' was not found in call record '${id}'.`);
    }
    return { head: read.head, item: read.item };
  }
}

function withContext(object: readonly JsonPart[], context: string): JsonPart[] {
  return objectParts(joinedObject(object), [['@odata.context', stringValue(context)]]);
}

// An object given as parts, as one part (parts of a single stored object stay zero-copy).
function joinedObject(parts: readonly JsonPart[]): JsonPart {
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));
}

function parseArray(json: StoredJson | undefined): JsonObject[] {
  return json === undefined ? [] : (JSON.parse(json.toString()) as JsonObject[]);
}
