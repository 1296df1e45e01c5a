import { sql, type Kysely, type SqlBool } from 'kysely';
import type { DialectSql } from './dialect-sql.js';
import type { StoredJson } from '../store.js';
import type { Database } from './schema.js';
import { compileTemplate, param, type SqlTemplate } from './template.js';

/**
 * Every fixed statement of the store, written once with Kysely and compiled for the store's dialect. The stores
 * execute them as prepared statements, so the query builder costs nothing per request or per row.
 */
export function buildStatements(db: Kysely<Database>, dialect: DialectSql) {
  const recordId = param('id');
  const bytes = dialect.storedJson;
  /** The record's own row of a record-and-page read; the head columns are null on the page's rows. */
  const recordPart = () =>
    db
      .selectFrom('call_records')
      .select([
        sql<number>`0`.as('part'),
        bytes('record_json').as('record_json'),
        sql<StoredJson | null>`null`.as('segments_json'),
        sql<number>`-1`.as('ordinal'),
        'version',
        'content_hash',
        'session_count',
        'participant_count',
        'has_evolvable',
      ])
      .where('id', '=', recordId);
  /** One page of a record's sessions or participants, by ordinal. */
  const pageOf = (table: 'sessions' | 'participants') =>
    db
      .selectFrom(table)
      .select('ordinal')
      .where('record_id', '=', param('id'))
      .where('ordinal', '>=', param<number>('from'))
      .orderBy('ordinal')
      .limit(param<number>('limit'));
  return {
    currentHead: compileTemplate<{ id: string }>()(
      db
        .selectFrom('call_records')
        .select(['version', 'completeness', 'last_modified_key', 'content_hash', 'start_key', 'partial'])
        .where('id', '=', recordId),
    ),
    versionExists: compileTemplate<{ id: string; hash: string }>()(
      db
        .selectFrom('record_versions')
        .select('version')
        .where('record_id', '=', recordId)
        .where('content_hash', '=', param('hash')),
    ),
    getRecord: compileTemplate<{ id: string }>()(
      db
        .selectFrom('call_records')
        .select([
          bytes('record_json').as('record_json'),
          'version',
          'content_hash',
          'session_count',
          'participant_count',
        ])
        .select('has_evolvable')
        .where('id', '=', recordId),
    ),
    // The record and one page of its sessions (or participants) in one statement, hence one snapshot: the record's
    // row (part 0) and the page's rows (part 1, by ordinal). For servers a round trip away (PostgreSQL), where a read
    // transaction of two statements would cost four round trips.
    recordWithSessionsPage: compileTemplate<{ id: string; from: number; limit: number }>()(
      recordPart()
        .unionAll(
          db
            .selectFrom(pageOf('sessions').select(['session_json as json', 'segments_json']).as('p'))
            .select([
              sql<number>`1`.as('part'),
              bytes('p.json').as('record_json'),
              bytes('p.segments_json').as('segments_json'),
              ...NO_HEAD,
            ]),
        )
        .orderBy('part')
        .orderBy('ordinal'),
    ),
    recordWithParticipantsPage: compileTemplate<{ id: string; from: number; limit: number }>()(
      recordPart()
        .unionAll(
          db
            .selectFrom(pageOf('participants').select('participant_json as json').as('p'))
            .select([
              sql<number>`1`.as('part'),
              bytes('p.json').as('record_json'),
              sql<StoredJson | null>`null`.as('segments_json'),
              ...NO_HEAD,
            ]),
        )
        .orderBy('part')
        .orderBy('ordinal'),
    ),
    recordHead: compileTemplate<{ id: string }>()(
      db
        .selectFrom('call_records')
        .select(['version', 'content_hash', 'session_count', 'participant_count', 'has_evolvable'])
        .where('id', '=', recordId),
    ),
    sessionsPage: compileTemplate<{ id: string; from: number; limit: number }>()(
      db
        .selectFrom('sessions')
        .select(['ordinal', bytes('session_json').as('session_json'), bytes('segments_json').as('segments_json')])
        .where('record_id', '=', recordId)
        .where('ordinal', '>=', param<number>('from'))
        .orderBy('ordinal')
        .limit(param<number>('limit')),
    ),
    sessionById: compileTemplate<{ id: string; sessionId: string }>()(
      db
        .selectFrom('sessions')
        .select(['ordinal', bytes('session_json').as('session_json'), bytes('segments_json').as('segments_json')])
        .where('record_id', '=', recordId)
        .where('session_id', '=', param('sessionId'))
        .orderBy('ordinal')
        .limit(1),
    ),
    participantsPage: compileTemplate<{ id: string; from: number; limit: number }>()(
      db
        .selectFrom('participants')
        .select(['ordinal', bytes('participant_json').as('participant_json')])
        .where('record_id', '=', recordId)
        .where('ordinal', '>=', param<number>('from'))
        .orderBy('ordinal')
        .limit(param<number>('limit')),
    ),
    participantById: compileTemplate<{ id: string; participantId: string }>()(
      db
        .selectFrom('participants')
        .select(['ordinal', bytes('participant_json').as('participant_json')])
        .where('record_id', '=', recordId)
        .where('participant_id', '=', param('participantId'))
        .orderBy('ordinal')
        .limit(1),
    ),
    listVersions: compileTemplate<{ id: string }>()(
      db
        .selectFrom('record_versions')
        .select(['version', 'last_modified', 'received_at', 'content_hash', 'partial'])
        .where('record_id', '=', recordId)
        .orderBy('version')
        .orderBy('received_at')
        .orderBy('content_hash'),
    ),
    // One version number can have several bodies (a list-page copy and the whole record): the current body first,
    // then a whole one, then the latest received, so `/versions/{n}` shows what `/versions` marks current.
    getVersion: compileTemplate<{ id: string; version: number }>()(
      db
        .selectFrom('record_versions as v')
        .leftJoin('call_records as c', (join) =>
          join.onRef('c.id', '=', 'v.record_id').onRef('c.content_hash', '=', 'v.content_hash'),
        )
        .select('v.raw_brotli')
        .where('v.record_id', '=', recordId)
        .where('v.version', '=', param<number>('version'))
        .orderBy(sql`c.id is null`)
        .orderBy(sql`v.partial is not null`)
        .orderBy('v.received_at', 'desc')
        .orderBy('v.content_hash')
        .limit(1),
    ),
    exportPage: compileTemplate<{ from: string; to: string; afterStart: string; afterId: string; limit: number }>()(
      db
        .selectFrom('call_records as c')
        .innerJoin('record_versions as v', (join) =>
          join.onRef('v.record_id', '=', 'c.id').onRef('v.content_hash', '=', 'c.content_hash'),
        )
        .select(['c.id', 'c.start_key', 'v.raw_brotli', 'c.next_links'])
        .where('c.start_key', '>=', param('from'))
        .where('c.start_key', '<', param('to'))
        .where((eb) => eb(eb.refTuple('c.start_key', 'c.id'), '>', eb.tuple(param('afterStart'), param('afterId'))))
        .orderBy('c.start_key')
        .orderBy('c.id')
        .limit(param<number>('limit')),
    ),
    exportVersionsPage: compileTemplate<ExportVersionsValues>()(
      db
        // The page's records first, from call_records_by_start: a page of `limit` versions spans at most `limit + 1`
        // records (the cursor's record may have none left), so every page costs the same however large the archive.
        .selectFrom((eb) =>
          eb
            .selectFrom('call_records')
            .select(['id', 'start_key'])
            .where('start_key', '>=', param('from'))
            .where('start_key', '<', param('to'))
            .where((page) =>
              page(page.refTuple('start_key', 'id'), '>=', page.tuple(param('afterStart'), param('afterId'))),
            )
            .orderBy('start_key')
            .orderBy('id')
            .limit(param<number>('recordLimit'))
            .as('c'),
        )
        .innerJoin('record_versions as v', 'v.record_id', 'c.id')
        .select(['c.id', 'c.start_key', 'v.received_at', 'v.version', 'v.content_hash', 'v.raw_brotli', 'v.next_links'])
        .where((eb) =>
          eb(
            eb.refTuple('c.start_key', 'c.id', 'v.received_at', 'v.version', 'v.content_hash'),
            '>',
            eb.tuple(
              param('afterStart'),
              param('afterId'),
              param('afterReceived'),
              param<number>('afterVersion'),
              param('afterHash'),
            ),
          ),
        )
        .orderBy('c.start_key')
        .orderBy('c.id')
        .orderBy('v.received_at')
        .orderBy('v.version')
        .orderBy('v.content_hash')
        .limit(param<number>('limit')),
    ),
    oldestRecord: compileTemplate<Record<string, never>>()(
      db.selectFrom('call_records').select(['id', 'start_key']).orderBy('start_key').orderBy('id').limit(1),
    ),
    newestRecord: compileTemplate<Record<string, never>>()(
      db
        .selectFrom('call_records')
        .select(['id', 'start_key'])
        .orderBy('start_key', 'desc')
        .orderBy('id', 'desc')
        .limit(1),
    ),
    // A call ends after it starts, so every expired record is in the start-key range below the cutoff: a bounded
    // walk of call_records_by_start.
    expiredBatch: compileTemplate<{ cutoff: string; limit: number }>()(
      db
        .selectFrom('call_records')
        .select('id')
        .where('start_key', '<', param('cutoff'))
        .where('end_key', '<', param('cutoff'))
        .orderBy('start_key')
        .orderBy('id')
        .limit(param<number>('limit')),
    ),
    deleteExpiredRecord: compileTemplate<{ id: string; cutoff: string }>()(
      db.deleteFrom('call_records').where('id', '=', recordId).where('end_key', '<', param('cutoff')),
    ),
    // Both read the partial index (migration 0003), whose condition they repeat literally so the planner can use it.
    partialPage: compileTemplate<{ after: string; limit: number }>()(
      db
        .selectFrom('call_records')
        .select(['id', 'version', 'partial', 'next_links'])
        .where(PARTIAL)
        .where('id', '>', param('after'))
        .orderBy('id')
        .limit(param<number>('limit')),
    ),
    partialCount: compileTemplate<Record<string, never>>()(
      db
        .selectFrom('call_records')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where(PARTIAL),
    ),
    getMeta: compileTemplate<{ key: string }>()(
      db.selectFrom('store_meta').select('value').where('key', '=', param('key')),
    ),
    putMetaIfAbsent: compileTemplate<{ key: string; value: string }>()(
      db
        .insertInto('store_meta')
        .values({ key: param('key'), value: param('value') })
        .onConflict((oc) => oc.column('key').doNothing()),
    ),
  } satisfies Record<string, SqlTemplate<never>>;
}

/** A current version that is partial: the condition of the index call_records_partial. */
const PARTIAL = sql<SqlBool>`completeness < 2`;

/** The values of `exportVersionsPage`: a startDateTime window, the cursor (sql/rows.ts builds them) and a limit. */
export interface ExportVersionsValues {
  from: string;
  to: string;
  afterStart: string;
  afterId: string;
  afterReceived: string;
  afterVersion: number;
  afterHash: string;
  limit: number;
  /** `limit + 1`: how many records a page can span. */
  recordLimit: number;
}

/** The head columns of a record-and-page read, null on the page's rows. */
const NO_HEAD = [
  sql<number>`p.ordinal`.as('ordinal'),
  sql<number>`null`.as('version'),
  sql<string>`null`.as('content_hash'),
  sql<number>`null`.as('session_count'),
  sql<number>`null`.as('participant_count'),
  sql<number>`null`.as('has_evolvable'),
] as const;

/** The statements a store executes, typed by their parameters. */
export type Statements = ReturnType<typeof buildStatements>;
