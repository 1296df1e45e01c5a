import { MAX_PARTICIPANTS_PAGE, MAX_RECORDS_PAGE, MAX_SESSIONS_PAGE } from '../domain/paging.js';
import { AppError } from '../errors.js';
import type { ExpandItem, QueryOptions } from '../odata/query-options.js';
import type { RecordStore } from '../storage/roles.js';
import type { RecordHead, RecordRead, StoredJson } from '../storage/store.js';
import { tightenFilter } from './filter-bounds.js';
import { contextProjection, expandText, filterText, linkWithQuery } from './graph-links.js';
import { itemParts, sessionParts } from './item-parts.js';
import { arrayParts, hasMember, objectParts, projectObject, stringValue, type JsonMember } from './json-parts.js';
import { keyPath, pageSize, recordContextBase, type ReadContext, type ReadResult } from './read-context.js';
import { finishJson } from './response-finish.js';
import type { SkipTokenCodec } from './skip-token.js';

/**
 * Reads of the callRecords collection and of single records (https://learn.microsoft.com/graph/api/callrecords-cloudcommunications-list-callrecords, https://learn.microsoft.com/graph/api/callrecords-callrecord-get): list with $filter, $select and
 * keyset paging; get with $select and one $expand (sessions, sessions($expand=segments) or participants_v2), whose
 * collections page inside the record with `sessions@odata.nextLink` / `participants_v2@odata.nextLink`.
 */
export class RecordReader {
  constructor(
    private readonly store: RecordStore,
    private readonly tokens: SkipTokenCodec,
  ) {}

  /** GET /communications/callRecords */
  async list(ctx: ReadContext, q: QueryOptions): Promise<ReadResult> {
    const limit = pageSize(MAX_RECORDS_PAGE, ctx.prefer);
    const tight = tightenFilter(q.filter);
    const filter = filterText(tight);
    const select = q.select?.join(',');
    const queryKey = `${filter ?? ''}|${select ?? ''}`;
    const after = q.skipToken === undefined ? undefined : this.tokens.decode(q.skipToken, 'records', queryKey);
    const rows = await this.store.listRecords({
      start: tight?.start ?? [],
      participantId: tight?.participantId,
      after,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const context = `${ctx.serviceRoot}/$metadata#communications/callRecords${contextProjection(q.select, undefined)}`;
    const members: JsonMember[] = [
      ['@odata.context', stringValue(context)],
      ['value', arrayParts(page.map((row) => recordParts(ctx, row.id, row.json, q.select, [], [])))],
    ];
    const last = page.at(-1);
    if (rows.length > limit && last !== undefined) {
      const token = this.tokens.encode({ kind: 'records', startKey: last.startKey, id: last.id, query: queryKey });
      const link = linkWithQuery(`${ctx.serviceRoot}/communications/callRecords`, [
        ['$filter', filter],
        ['$select', select],
        ['$skiptoken', token],
      ]);
      members.push(['@odata.nextLink', stringValue(link)]);
    }
    return finishJson(
      objectParts(undefined, members),
      page.some((r) => r.hasEvolvable),
      ctx,
      limit,
    );
  }

  /** GET /communications/callRecords/{id} */
  async get(ctx: ReadContext, id: string, q: QueryOptions): Promise<ReadResult> {
    const expand = q.expand?.[0];
    const size =
      expand === undefined
        ? undefined
        : pageSize(expand.name === 'sessions' ? MAX_SESSIONS_PAGE : MAX_PARTICIPANTS_PAGE, ctx.prefer);
    const collection = expand?.name === 'sessions' ? 'sessions' : 'participants';
    const record = await requireRecord(
      this.store,
      id,
      size === undefined ? undefined : { collection, fromOrdinal: 0, limit: size + 1 },
    );
    const context = `${ctx.serviceRoot}/$metadata#communications/callRecords${contextProjection(q.select, q.expand)}/$entity`;
    const after: JsonMember[] = [];
    // The documented responses carry this annotation even when participants_v2 is not expanded (fixtures README).
    if (q.select === undefined) {
      after.push([
        'participants_v2@odata.context',
        stringValue(`${recordContextBase(ctx.serviceRoot, id)}/participants_v2/$entity`),
      ]);
    }
    if (expand !== undefined && size !== undefined) after.push(...this.expanded(ctx, record, id, expand, size));
    const parts = recordParts(ctx, id, record.json, q.select, [['@odata.context', stringValue(context)]], after);
    return finishJson(parts, record.hasEvolvable, ctx, size);
  }

  // The expanded collection's first page and, when there is more, its next link (https://learn.microsoft.com/graph/api/callrecords-callrecord-get).
  private expanded(ctx: ReadContext, record: RecordRead, id: string, expand: ExpandItem, limit: number): JsonMember[] {
    const items = record.items ?? [];
    const next = items[limit];
    if (expand.name === 'sessions') {
      const withSegments = expand.expand?.some((e) => e.name === 'segments') ?? false;
      const members: JsonMember[] = [
        ['sessions', arrayParts(items.slice(0, limit).map((s) => sessionParts(s, expand.select, withSegments)))],
      ];
      if (next !== undefined) {
        const inner = { select: expand.select, expand: withSegments ? [{ name: 'segments' }] : undefined };
        members.push(['sessions@odata.nextLink', stringValue(this.sessionsLink(ctx, record, id, next.ordinal, inner))]);
      }
      return members;
    }
    const members: JsonMember[] = [
      ['participants_v2', arrayParts(items.slice(0, limit).map((p) => itemParts(p.json, undefined)))],
    ];
    if (next !== undefined) {
      members.push([
        'participants_v2@odata.nextLink',
        stringValue(this.participantsLink(ctx, record, id, next.ordinal, undefined)),
      ]);
    }
    return members;
  }

  /**
   * The absolute link to the sessions page that starts at `ordinal`, keeping the inner $select/$expand. Its token
   * names the record's current version: if the record changes while a client pages, the next page is refused
   * rather than mixing two versions.
   */
  sessionsLink(
    ctx: ReadContext,
    head: RecordHead,
    id: string,
    ordinal: number,
    q: Pick<QueryOptions, 'select' | 'expand'>,
  ): string {
    const select = q.select?.join(',');
    const expand = expandText(q.expand);
    const query = `${select ?? ''}|${expand ?? ''}`;
    const token = this.tokens.encode({ kind: 'sessions', recordId: id, contentHash: head.contentHash, ordinal, query });
    return linkWithQuery(`${ctx.serviceRoot}/communications/callRecords${keyPath(id)}/sessions`, [
      ['$select', select],
      ['$expand', expand],
      ['$skiptoken', token],
    ]);
  }

  /** The absolute link to the participants page that starts at `ordinal` (bound to the version like sessions). */
  participantsLink(
    ctx: ReadContext,
    head: RecordHead,
    id: string,
    ordinal: number,
    select: readonly string[] | undefined,
  ): string {
    const query = select?.join(',') ?? '';
    const token = this.tokens.encode({
      kind: 'participants',
      recordId: id,
      contentHash: head.contentHash,
      ordinal,
      query,
    });
    return linkWithQuery(`${ctx.serviceRoot}/communications/callRecords${keyPath(id)}/participants_v2`, [
      ['$select', select?.join(',')],
      ['$skiptoken', token],
    ]);
  }
}

/** The stored record (with a page of a collection when asked), or the 404 Graph answers for an unknown id (https://learn.microsoft.com/graph/api/callrecords-callrecord-get). */
export async function requireRecord(
  store: RecordStore,
  id: string,
  page?: Parameters<RecordStore['readRecord']>[1],
): Promise<RecordRead> {
  return (await store.readRecord(id, page)) ?? recordNotFound(id);
}

/** The 404 Graph answers for an unknown call record id. */
export function recordNotFound(id: string): never {
  throw new AppError('NotFound', `Could not find the requested call record '${id}'.`);
}

// organizer_v2 is auto-expanded (Core.AutoExpand in src/odata/metadata/csdl-callrecords-{v1,beta}.xml) and annotated with its own context.
function recordParts(
  ctx: ReadContext,
  id: string,
  json: StoredJson,
  select: readonly string[] | undefined,
  before: JsonMember[],
  after: JsonMember[],
) {
  const projected = select === undefined ? json : projectObject(json, select);
  const members = [...before];
  if (hasMember(projected, 'organizer_v2')) {
    members.push([
      'organizer_v2@odata.context',
      stringValue(`${recordContextBase(ctx.serviceRoot, id)}/organizer_v2/$entity`),
    ]);
  }
  return objectParts(projected, members, after);
}
