import type { AnalyticsRequest } from '../query/query-request.js';
import type { TelephonyAnalyticsStore } from '../../storage/roles.js';
import { telephonyQueryOf, type TelephonyTable } from './telephony-query.js';

/**
 * The telephony analytics service (`GET /api/analytics/telephony`): checks a request (telephony-query.ts) and asks
 * the store for the aggregate over the PSTN and Direct Routing logs.
 */
export class TelephonyAnalyticsService {
  constructor(private readonly store: TelephonyAnalyticsStore) {}

  /** Answers one request; a bad request is an AppError('BadRequest') naming what is wrong. */
  async query(request: AnalyticsRequest): Promise<TelephonyTable> {
    return this.store.aggregateTelephony(telephonyQueryOf(request));
  }
}
