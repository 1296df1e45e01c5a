import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import type { DialectSql } from './dialect-sql.js';
import type { Database } from './schema.js';
import type { RecordFilterQuery, RecordQuery, StartBound, StoredJson } from '../store.js';
import { compileTemplate, param, type SqlTemplate } from './template.js';

type ListValues = Record<string, string | number>;

/** A list or count statement with its parameters bound, typed by its result row. */
export interface ListStatement<O> {
  sql: string;
  parameters: unknown[];
  /** The row type, for the type checker only. */
  row?: O;
}

/** A row of the record list. */
export interface ListRow {
  id: string;
  start_key: string;
  record_json: StoredJson;
  has_evolvable: number;
}

/** The row of a count: `n` is a number on both stores (PostgreSQL's int8 through the pool's parser, connection.ts). */
export interface CountRow {
  n: number;
}

const OPS = { lt: '<', le: '<=', gt: '>', ge: '>=' } as const;
type BoundOp = StartBound['op'];

/**
 * Builds the record-list and record-count statements for a query's shape (which bounds, participant or not, cursor
 * or not), once per shape. A page is one range scan of an index: (start_key, id) on call_records, or
 * (participant_id, start_key, record_id) on participants when filtered by participant — never a scan and sort of
 * all matches. The service hands at most one lower and one upper bound, so there are few shapes.
 */
export class ListQueryBuilder {
  private readonly lists = new Map<string, SqlTemplate<ListValues, ListRow>>();
  private readonly counts = new Map<string, SqlTemplate<ListValues, CountRow>>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: DialectSql,
  ) {}

  /** The statement for one page of records. */
  list(query: RecordQuery): ListStatement<ListRow> {
    return this.statement(this.lists, query, () => this.compileList(query));
  }

  /** The statement that counts every record matching the filter (column `n`). */
  count(filter: RecordFilterQuery): ListStatement<CountRow> {
    return this.statement(this.counts, filter, () => this.compileCount(filter));
  }

  private statement<O>(
    cache: Map<string, SqlTemplate<ListValues, O>>,
    query: RecordQuery | RecordFilterQuery,
    compile: () => SqlTemplate<ListValues, O>,
  ): ListStatement<O> {
    const after = 'after' in query && query.after !== undefined;
    const shape = [
      query.start.map((b) => b.op).join(','),
      query.participantId === undefined ? '' : 'p',
      after ? 'a' : '',
    ].join('|');
    let template = cache.get(shape);
    if (template === undefined) {
      template = compile();
      cache.set(shape, template);
    }
    const values: ListValues = {};
    query.start.forEach((bound, i) => (values[`start${i}`] = bound.value));
    if (query.participantId !== undefined) values.participantId = query.participantId;
    if ('limit' in query) values.limit = query.limit;
    if ('after' in query && query.after !== undefined) {
      values.afterStart = query.after.startKey;
      values.afterId = query.after.id;
    }
    return { sql: template.sql, parameters: template.bind(values) };
  }

  private compileList(query: RecordQuery): SqlTemplate<ListValues, ListRow> {
    const after = query.after !== undefined;
    const ops = query.start.map((b) => b.op);
    if (query.participantId === undefined) {
      const q = this.db
        .selectFrom('call_records')
        .where(boundsCondition(ops, 'id', after))
        .select(['id', 'start_key', this.dialect.storedJson('record_json').as('record_json'), 'has_evolvable'])
        .orderBy('start_key')
        .orderBy('id')
        .limit(param<number>('limit'));
      return compileTemplate<ListValues>()(q);
    }
    // A participant listed twice in one record must not take two places on a page: distinct (start_key, record_id).
    const matches = this.byParticipant()
      .where(boundsCondition(ops, 'record_id', after))
      .select(['start_key', 'record_id'])
      .distinct()
      .orderBy('start_key')
      .orderBy('record_id')
      .limit(param<number>('limit'))
      .as('p');
    const q = this.db
      .selectFrom(matches)
      // Joining on the start key too lets PostgreSQL look into one monthly partition per match (run-time pruning).
      .innerJoin('call_records as c', (join) =>
        join.onRef('c.id', '=', 'p.record_id').onRef('c.start_key', '=', 'p.start_key'),
      )
      .select(['c.id', 'c.start_key', this.dialect.storedJson('c.record_json').as('record_json'), 'c.has_evolvable'])
      .orderBy('p.start_key')
      .orderBy('p.record_id');
    return compileTemplate<ListValues>()(q);
  }

  private compileCount(filter: RecordFilterQuery): SqlTemplate<ListValues, CountRow> {
    const ops = filter.start.map((b) => b.op);
    if (filter.participantId === undefined) {
      const q = this.db
        .selectFrom('call_records')
        .where(boundsCondition(ops, 'id', false))
        .select((eb) => eb.fn.countAll<number>().as('n'));
      return compileTemplate<ListValues>()(q);
    }
    const q = this.byParticipant()
      .where(boundsCondition(ops, 'record_id', false))
      .select((eb) => eb.fn.count<number>('record_id').distinct().as('n'));
    return compileTemplate<ListValues>()(q);
  }

  private byParticipant() {
    return this.db.selectFrom('participants').where('participant_id', '=', param('participantId'));
  }
}

/**
 * The startDateTime bounds (`start0`, `start1`, … in order) and, for a next page, the keyset cursor
 * (`afterStart`, `afterId`), as one condition on whichever table carries start_key.
 */
function boundsCondition(ops: readonly BoundOp[], idColumn: 'id' | 'record_id', after: boolean) {
  return (eb: ExpressionBuilder<Database, 'call_records' | 'participants'>) => {
    const startKey = sql.ref<string>('start_key');
    const conditions: Expression<SqlBool>[] = ops.map((op, i) => eb(startKey, OPS[op], param(`start${i}`)));
    if (after) {
      conditions.push(
        eb(eb.tuple(startKey, sql.ref<string>(idColumn)), '>', eb.tuple(param('afterStart'), param('afterId'))),
      );
    }
    return eb.and(conditions);
  };
}
