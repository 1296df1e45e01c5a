import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { RecordQuery } from '../store.js';
import { compileTemplate, param, type SqlTemplate } from './template.js';

type ListValues = Record<string, string | number>;

/**
 * Builds the record-list statement for a query's shape (which bounds, participant or not, cursor or not), once per
 * shape: a page is an index range scan on (start_key, id), or on (participant_id, record_id) when filtered by
 * participant, never a table scan.
 */
export class ListQueryBuilder {
  private readonly cache = new Map<string, SqlTemplate<ListValues>>();

  constructor(private readonly db: Kysely<Database>) {}

  /** Returns the SQL and its parameters for one page request. */
  build(query: RecordQuery): { sql: string; parameters: unknown[] } {
    const shape = [
      query.start.map((b) => b.op).join(','),
      query.participantId === undefined ? '' : 'p',
      query.after === undefined ? '' : 'a',
    ].join('|');
    let template = this.cache.get(shape);
    if (template === undefined) {
      template = this.compile(query);
      this.cache.set(shape, template);
    }
    const values: ListValues = { limit: query.limit };
    query.start.forEach((bound, i) => (values[`start${i}`] = bound.value));
    if (query.participantId !== undefined) values.participantId = query.participantId;
    if (query.after !== undefined) {
      values.afterStart = query.after.startKey;
      values.afterId = query.after.id;
    }
    return { sql: template.sql, parameters: template.bind(values) };
  }

  private compile(query: RecordQuery): SqlTemplate<ListValues> {
    const ops = { lt: '<', le: '<=', gt: '>', ge: '>=' } as const;
    let q = this.db
      .selectFrom('call_records')
      .select(['id', 'start_key', 'record_json', 'has_evolvable'])
      .orderBy('start_key')
      .orderBy('id')
      .limit(param<number>('limit'));
    query.start.forEach((bound, i) => {
      q = q.where('start_key', ops[bound.op], param(`start${i}`));
    });
    if (query.participantId !== undefined) {
      const participantId = param('participantId');
      q = q.where('id', 'in', (eb) =>
        eb.selectFrom('participants').select('record_id').where('participant_id', '=', participantId),
      );
    }
    if (query.after !== undefined) {
      q = q.where((eb) => eb(eb.refTuple('start_key', 'id'), '>', eb.tuple(param('afterStart'), param('afterId'))));
    }
    return compileTemplate<ListValues>(q);
  }
}
