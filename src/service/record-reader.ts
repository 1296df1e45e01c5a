import { MAX_PARTICIPANTS_PAGE, MAX_RECORDS_PAGE, MAX_SESSIONS_PAGE } from '../domain/paging.js';
import { AppError } from '../errors.js';
import type { ExpandItem, QueryOptions } from '../odata/query-options.js';
import type { CallRecordStore, RecordHead, StoredRecord } from '../storage/store.js';
import { tightenFilter } from './filter-bounds.js';
import { contextProjection, expandText, filterText, linkWithQuery } from './graph-links.js';
import { appendMembers, arrayOf, hasMember, prependMembers, projectObject } from './json-text.js';
import { keyPath, pageSize, recordContextBase, type ReadContext, type ReadResult } from './read-context.js';
import { finishJson } from './response-finish.js';
import { sessionText } from './session-text.js';
import type { SkipTokenCodec } from './skip-token.js';

/**
 * Reads of the callRecords collection and of single records (spec §7.1, §7.2): list with $filter, $select and
 * keyset paging; get with $select and one $expand (sessions, sessions($expand=segments) or participants_v2), whose
 * collections page inside the record with `sessions@odata.nextLink` / `participants_v2@odata.nextLink`.
 */
export class RecordReader {
  constructor(
    private readonly store: CallRecordStore,
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
    const members: [string, string][] = [
      [
        '@odata.context',
        JSON.stringify(
          `${ctx.serviceRoot}/$metadata#communications/callRecords${contextProjection(q.select, undefined)}`,
        ),
      ],
      ['value', arrayOf(page.map((row) => recordObject(ctx, row.id, row.json, q.select)))],
    ];
    const last = page.at(-1);
    if (rows.length > limit && last !== undefined) {
      const token = this.tokens.encode({ kind: 'records', startKey: last.startKey, id: last.id, query: queryKey });
      const link = linkWithQuery(`${ctx.serviceRoot}/communications/callRecords`, [
        ['$filter', filter],
        ['$select', select],
        ['$skiptoken', token],
      ]);
      members.push(['@odata.nextLink', JSON.stringify(link)]);
    }
    return finishJson(
      appendMembers('{}', members),
      page.some((r) => r.hasEvolvable),
      ctx,
      limit,
    );
  }

  /** GET /communications/callRecords/{id} */
  async get(ctx: ReadContext, id: string, q: QueryOptions): Promise<ReadResult> {
    const record = await requireRecord(this.store, id);
    const context = `${ctx.serviceRoot}/$metadata#communications/callRecords${contextProjection(q.select, q.expand)}/$entity`;
    let body = prependMembers(recordObject(ctx, id, record.json, q.select), [
      ['@odata.context', JSON.stringify(context)],
    ]);
    // The documented responses carry this annotation even when participants_v2 is not expanded (fixtures README).
    if (q.select === undefined) {
      body = appendMembers(body, [
        [
          'participants_v2@odata.context',
          JSON.stringify(`${recordContextBase(ctx.serviceRoot, id)}/participants_v2/$entity`),
        ],
      ]);
    }
    const expand = q.expand?.[0];
    let size: number | undefined;
    if (expand?.name === 'sessions') {
      size = pageSize(MAX_SESSIONS_PAGE, ctx.prefer);
      body = appendMembers(body, await this.expandSessions(ctx, record, id, expand, size));
    } else if (expand?.name === 'participants_v2') {
      size = pageSize(MAX_PARTICIPANTS_PAGE, ctx.prefer);
      body = appendMembers(body, await this.expandParticipants(ctx, record, id, size));
    }
    return finishJson(body, record.hasEvolvable, ctx, size);
  }

  private async expandSessions(
    ctx: ReadContext,
    head: RecordHead,
    id: string,
    expand: ExpandItem,
    limit: number,
  ): Promise<[string, string][]> {
    const rows = await this.store.sessionsPage(id, 0, limit + 1);
    const withSegments = expand.expand?.some((e) => e.name === 'segments') ?? false;
    const members: [string, string][] = [
      ['sessions', arrayOf(rows.slice(0, limit).map((s) => sessionText(s, expand.select, withSegments)))],
    ];
    const next = rows[limit];
    if (next !== undefined) {
      const inner = { select: expand.select, expand: withSegments ? [{ name: 'segments' }] : undefined };
      members.push(['sessions@odata.nextLink', JSON.stringify(this.sessionsLink(ctx, head, id, next.ordinal, inner))]);
    }
    return members;
  }

  private async expandParticipants(
    ctx: ReadContext,
    head: RecordHead,
    id: string,
    limit: number,
  ): Promise<[string, string][]> {
    const rows = await this.store.participantsPage(id, 0, limit + 1);
    const members: [string, string][] = [['participants_v2', arrayOf(rows.slice(0, limit).map((p) => p.json))]];
    const next = rows[limit];
    if (next !== undefined) {
      members.push([
        'participants_v2@odata.nextLink',
        JSON.stringify(this.participantsLink(ctx, head, id, next.ordinal, undefined)),
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
    const token = this.tokens.encode({ kind: 'sessions', recordId: id, version: head.contentHash, ordinal, query });
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
    const token = this.tokens.encode({ kind: 'participants', recordId: id, version: head.contentHash, ordinal, query });
    return linkWithQuery(`${ctx.serviceRoot}/communications/callRecords${keyPath(id)}/participants_v2`, [
      ['$select', select?.join(',')],
      ['$skiptoken', token],
    ]);
  }
}

/** The stored record, or the 404 Graph answers for an unknown id (spec §7.2). */
export async function requireRecord(store: CallRecordStore, id: string): Promise<StoredRecord> {
  return (await store.getRecord(id)) ?? notFound(id);
}

/** What is known of a stored record without its JSON, or the same 404. */
export async function requireHead(store: CallRecordStore, id: string): Promise<RecordHead> {
  return (await store.recordHead(id)) ?? notFound(id);
}

function notFound(id: string): never {
  throw new AppError('NotFound', `Could not find the requested call record '${id}'.`);
}

// organizer_v2 is auto-expanded (CSDL Core.AutoExpand, spec §5.1) and annotated with its own context.
function recordObject(ctx: ReadContext, id: string, json: string, select: readonly string[] | undefined): string {
  const projected = select === undefined ? json : projectObject(json, select);
  if (!hasMember(projected, 'organizer_v2')) return projected;
  const organizerContext = `${recordContextBase(ctx.serviceRoot, id)}/organizer_v2/$entity`;
  return prependMembers(projected, [['organizer_v2@odata.context', JSON.stringify(organizerContext)]]);
}
