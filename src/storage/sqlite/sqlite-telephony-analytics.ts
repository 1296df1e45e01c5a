import type { TelephonyQuery, TelephonyTable } from '../../analytics/telephony/telephony-query.js';
import type { TelephonyAnalyticsStore } from '../roles.js';
import { telephonyRows } from '../sql/telephony-result.js';
import { telephonySql } from '../sql/telephony-sql.js';
import type { SqliteConnection } from './sqlite-connection.js';

/** The telephony analytics role on SQLite: one statement per query, prepared per query (they vary). */
export class SqliteTelephonyAnalytics implements TelephonyAnalyticsStore {
  constructor(private readonly c: SqliteConnection) {}

  async aggregateTelephony(query: TelephonyQuery): Promise<TelephonyTable> {
    const statement = telephonySql(query, 'sqlite');
    const raw = this.c.db.prepare(statement.sql).all(...statement.parameters) as Record<string, unknown>[];
    return Promise.resolve({ columns: [...query.by, ...query.measures], rows: telephonyRows(query, raw) });
  }
}
