import type pg from 'pg';
import type { TelephonyQuery, TelephonyTable } from '../../analytics/telephony/telephony-query.js';
import type { TelephonyAnalyticsStore } from '../roles.js';
import { telephonyRows } from '../sql/telephony-result.js';
import { telephonySql } from '../sql/telephony-sql.js';

/**
 * The telephony analytics role on PostgreSQL, over the store's pool (whose connections' search path is the store's
 * schema). The statement is sent unnamed: it varies with each query.
 */
export class PostgresTelephonyAnalytics implements TelephonyAnalyticsStore {
  constructor(private readonly pool: pg.Pool) {}

  async aggregateTelephony(query: TelephonyQuery): Promise<TelephonyTable> {
    const statement = telephonySql(query, 'postgres');
    const result = await this.pool.query<Record<string, unknown>>(statement.sql, [...statement.parameters]);
    return { columns: [...query.by, ...query.measures], rows: telephonyRows(query, result.rows) };
  }
}
