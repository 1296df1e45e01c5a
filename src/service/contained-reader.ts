import { MAX_PARTICIPANTS_PAGE, MAX_SESSIONS_PAGE } from '../domain/paging.js';
import { AppError } from '../errors.js';
import type { QueryOptions, RecordFilter } from '../odata/query-options.js';
import type { CallRecordStore, RecordHead, StoredSession } from '../storage/store.js';
import { tightenFilter } from './filter-bounds.js';
import { contextProjection, expandText } from './graph-links.js';
import { appendMembers, arrayOf, prependMembers, projectObject } from './json-text.js';
import { keyLiteral, pageSize, recordContextBase, type ReadContext, type ReadResult } from './read-context.js';
import { requireHead, requireRecord, type RecordReader } from './record-reader.js';
import { finishJson } from './response-finish.js';
import { sessionText } from './session-text.js';
import type { SkipTokenCodec } from './skip-token.js';

type JsonObject = Record<string, unknown>;

/**
 * Reads of what a record contains (spec §6, §7.3, §7.4): sessions (paged at 60), one session, its segments, one
 * segment, participants_v2 (paged at 130), one participant, and organizer_v2.
 */
export class ContainedReader {
  constructor(
    private readonly store: CallRecordStore,
    private readonly tokens: SkipTokenCodec,
    private readonly records: RecordReader,
  ) {}

  /** GET …/callRecords/{id}/sessions */
  async sessions(ctx: ReadContext, id: string, q: QueryOptions): Promise<ReadResult> {
    const record = await requireHead(this.store, id);
    const limit = pageSize(MAX_SESSIONS_PAGE, ctx.prefer);
    const queryKey = `${q.select?.join(',') ?? ''}|${expandText(q.expand) ?? ''}`;
    const from = q.skipToken === undefined ? 0 : this.tokenFor(q.skipToken, 'sessions', id, record, queryKey);
    const rows = await this.store.sessionsPage(id, from, limit + 1);
    const withSegments = q.expand?.some((e) => e.name === 'segments') ?? false;
    const members: [string, string][] = [
      ['@odata.context', JSON.stringify(`${recordContextBase(ctx.serviceRoot, id)}/sessions`)],
      ['value', arrayOf(rows.slice(0, limit).map((s) => sessionText(s, q.select, withSegments)))],
    ];
    const next = rows[limit];
    if (next !== undefined) {
      members.push(['@odata.nextLink', JSON.stringify(this.records.sessionsLink(ctx, record, id, next.ordinal, q))]);
    }
    return finishJson(appendMembers('{}', members), record.hasEvolvable, ctx, limit);
  }

  /** GET …/callRecords/{id}/sessions/{sessionId} */
  async session(ctx: ReadContext, id: string, sessionId: string, q: QueryOptions): Promise<ReadResult> {
    const { record, session } = await this.requireSession(id, sessionId);
    const withSegments = q.expand?.some((e) => e.name === 'segments') ?? false;
    const context = `${recordContextBase(ctx.serviceRoot, id)}/sessions${contextProjection(q.select, q.expand)}/$entity`;
    const body = withContext(sessionText(session, q.select, withSegments), context);
    return finishJson(body, record.hasEvolvable, ctx);
  }

  /** GET …/sessions/{sessionId}/segments */
  async segments(ctx: ReadContext, id: string, sessionId: string): Promise<ReadResult> {
    const { record, session } = await this.requireSession(id, sessionId);
    const context = `${recordContextBase(ctx.serviceRoot, id)}/sessions(${keyLiteral(sessionId)})/segments`;
    const body = appendMembers('{}', [
      ['@odata.context', JSON.stringify(context)],
      ['value', session.segmentsJson],
    ]);
    return finishJson(body, record.hasEvolvable, ctx);
  }

  /** GET …/sessions/{sessionId}/segments/{segmentId} */
  async segment(ctx: ReadContext, id: string, sessionId: string, segmentId: string): Promise<ReadResult> {
    const { record, session } = await this.requireSession(id, sessionId);
    const segment = (JSON.parse(session.segmentsJson) as JsonObject[]).find((s) => s.id === segmentId);
    if (segment === undefined) {
      throw new AppError(
        'NotFound',
        `Segment '${segmentId}' was not found in session '${sessionId}' of call record '${id}'.`,
      );
    }
    const context = `${recordContextBase(ctx.serviceRoot, id)}/sessions(${keyLiteral(sessionId)})/segments/$entity`;
    return finishJson(withContext(JSON.stringify(segment), context), record.hasEvolvable, ctx);
  }

  /** GET …/callRecords/{id}/participants_v2 */
  async participants(ctx: ReadContext, id: string, q: QueryOptions): Promise<ReadResult> {
    const record = await requireHead(this.store, id);
    const limit = pageSize(MAX_PARTICIPANTS_PAGE, ctx.prefer);
    const from =
      q.skipToken === undefined ? 0 : this.tokenFor(q.skipToken, 'participants', id, record, q.select?.join(',') ?? '');
    const rows = await this.store.participantsPage(id, from, limit + 1);
    // The documented context of this collection has no version segment (spec §2).
    const members: [string, string][] = [
      ['@odata.context', JSON.stringify(`${recordContextBase(ctx.hostRoot, id)}/participants_v2`)],
      ['value', arrayOf(rows.slice(0, limit).map((p) => project(p.json, q.select)))],
    ];
    const next = rows[limit];
    if (next !== undefined) {
      members.push([
        '@odata.nextLink',
        JSON.stringify(this.records.participantsLink(ctx, record, id, next.ordinal, q.select)),
      ]);
    }
    return finishJson(appendMembers('{}', members), record.hasEvolvable, ctx, limit);
  }

  /** GET …/callRecords/{id}/participants_v2/{participantId} */
  async participant(ctx: ReadContext, id: string, participantId: string, q: QueryOptions): Promise<ReadResult> {
    const record = await requireHead(this.store, id);
    const participant = await this.store.participantById(id, participantId);
    if (participant === undefined) {
      throw new AppError('NotFound', `Participant '${participantId}' was not found in call record '${id}'.`);
    }
    const context = `${recordContextBase(ctx.serviceRoot, id)}/participants_v2${contextProjection(q.select, undefined)}/$entity`;
    return finishJson(withContext(project(participant.json, q.select), context), record.hasEvolvable, ctx);
  }

  /** GET …/callRecords/{id}/organizer_v2 */
  async organizer(ctx: ReadContext, id: string, q: QueryOptions): Promise<ReadResult> {
    const record = await requireRecord(this.store, id);
    const organizer = (JSON.parse(record.json) as JsonObject).organizer_v2;
    if (organizer === undefined || organizer === null) {
      throw new AppError('NotFound', `Call record '${id}' has no organizer_v2.`);
    }
    const context = `${recordContextBase(ctx.serviceRoot, id)}/organizer_v2${contextProjection(q.select, undefined)}/$entity`;
    return finishJson(withContext(project(JSON.stringify(organizer), q.select), context), record.hasEvolvable, ctx);
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
      const { session } = await this.requireSession(target.id, target.sessionId);
      n = (JSON.parse(session.segmentsJson) as unknown[]).length;
    } else {
      const head = await requireHead(this.store, target.id);
      n = target.kind === 'sessions' ? head.sessionCount : head.participantCount;
    }
    return { body: String(n), contentType: 'text', applied: [] };
  }

  private async requireSession(id: string, sessionId: string): Promise<{ record: RecordHead; session: StoredSession }> {
    const record = await requireHead(this.store, id);
    const session = await this.store.sessionById(id, sessionId);
    if (session === undefined)
      throw new AppError('NotFound', `Session '${sessionId}' was not found in call record '${id}'.`);
    return { record, session };
  }

  private tokenFor(
    token: string,
    kind: 'sessions' | 'participants',
    id: string,
    head: RecordHead,
    queryKey: string,
  ): number {
    const state = this.tokens.decode(token, kind, queryKey);
    if (state.recordId !== id) throw new AppError('invalidSkipToken', 'The $skiptoken belongs to another call record.');
    if (state.version !== head.contentHash) {
      throw new AppError(
        'invalidSkipToken',
        `Call record '${id}' changed since this paging began; request the first page again.`,
      );
    }
    return state.ordinal;
  }
}

function withContext(objectJson: string, context: string): string {
  return prependMembers(objectJson, [['@odata.context', JSON.stringify(context)]]);
}

function project(json: string, select: readonly string[] | undefined): string {
  return select === undefined ? json : projectObject(json, select);
}
