import type { CallSearchQuery, CallSummary, NamedStream } from '../call-search-types.js';
import type { CallSearchStore } from '../roles.js';
import { callSummaries, namedStream, type SummaryRow } from '../sql/call-search-result.js';
import { callPageSql, callStreamsSql, pageStartsSql, pageStreamsSql, recordStartSql } from '../sql/call-search-sql.js';
import type { CompiledSql } from '../sql/analytics-sql.js';
import type { SqliteConnection } from './sqlite-connection.js';

/** The call search role on SQLite: each answer's statements on one snapshot, prepared once per SQL text. */
export class SqliteCallSearch implements CallSearchStore {
  constructor(private readonly c: SqliteConnection) {}

  searchCalls(query: CallSearchQuery): Promise<CallSummary[]> {
    return this.c.inSnapshot(() => {
      const starts = this.all<{ start_key: string }>(pageStartsSql(query, 'sqlite'));
      if (starts.length === 0) return [];
      const keys = { newest: starts[0]!.start_key, oldest: starts.at(-1)!.start_key };
      const page = this.all<{ start_key: string; record_id: string }>(callPageSql(query, keys, 'sqlite'));
      const calls = page.map((row) => ({ startKey: row.start_key, id: row.record_id }));
      return callSummaries(calls, this.all<SummaryRow>(pageStreamsSql(calls, 'sqlite')));
    });
  }

  callStreams(id: string): Promise<NamedStream[] | undefined> {
    return this.c.inSnapshot(() => {
      const record = this.all<{ start_key: string }>(recordStartSql(id, 'sqlite'))[0];
      if (record === undefined) return undefined;
      return this.all<Record<string, unknown>>(callStreamsSql(id, record.start_key, 'sqlite')).map(namedStream);
    });
  }

  private all<R>(statement: CompiledSql): R[] {
    return this.c.statement(statement.sql).all(...statement.parameters) as R[];
  }
}
