import type pg from 'pg';
import type { CallSearchQuery, CallSummary, NamedStream } from '../call-search-types.js';
import type { CallSearchStore } from '../roles.js';
import { callSummaries, namedStream, type SummaryRow } from '../sql/call-search-result.js';
import { callPageSql, callStreamsSql, pageStartsSql, pageStreamsSql, recordStartSql } from '../sql/call-search-sql.js';
import type { CompiledSql } from '../sql/analytics-sql.js';
import type { PgQueries } from './pg-queries.js';

/**
 * The call search role on PostgreSQL: each answer's statements in one read-only repeatable-read transaction. They are
 * sent unnamed: the page's statement varies with the number of calls it holds.
 */
export class PostgresCallSearch implements CallSearchStore {
  constructor(private readonly db: PgQueries) {}

  searchCalls(query: CallSearchQuery): Promise<CallSummary[]> {
    return this.db.snapshot(async (client) => {
      const starts = await all<{ start_key: string }>(client, pageStartsSql(query, 'postgres'));
      if (starts.length === 0) return [];
      const keys = { newest: starts[0]!.start_key, oldest: starts.at(-1)!.start_key };
      const page = await all<{ start_key: string; record_id: string }>(client, callPageSql(query, keys, 'postgres'));
      const calls = page.map((row) => ({ startKey: row.start_key, id: row.record_id }));
      return callSummaries(calls, await all<SummaryRow>(client, pageStreamsSql(calls, 'postgres')));
    });
  }

  callStreams(id: string): Promise<NamedStream[] | undefined> {
    return this.db.snapshot(async (client) => {
      const record = (await all<{ start_key: string }>(client, recordStartSql(id, 'postgres')))[0];
      if (record === undefined) return undefined;
      return (await all<Record<string, unknown>>(client, callStreamsSql(id, record.start_key, 'postgres'))).map(
        namedStream,
      );
    });
  }
}

async function all<R extends object>(client: pg.PoolClient, statement: CompiledSql): Promise<R[]> {
  return (await client.query<R>(statement.sql, [...statement.parameters])).rows;
}
