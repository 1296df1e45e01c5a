import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { csvText } from '../analytics/query/csv.js';
import { analyticsParams } from '../analytics/query/raw-query.js';
import type { TelephonyAnalyticsService } from '../analytics/telephony/telephony-service.js';
import type { Clock } from '../clock.js';
import { installAuthentication, type SurfaceAuth } from './auth-hook.js';
import { installErrorHandler } from './error-handler.js';

/** What the telephony analytics surface is built from. */
export interface TelephonyAnalyticsPluginOptions {
  telephony: TelephonyAnalyticsService;
  clock: Clock;
  /** Authentication of these routes (`--auth`); undefined: none. */
  auth?: SurfaceAuth | undefined;
}

/**
 * The telephony analytics API, registered with the prefix `/api/analytics/telephony` (docs/api.md, "Analytics"):
 * `GET /api/analytics/telephony?measures=…&by=…&filter=…` over the PSTN and Direct Routing logs. Parameters are read
 * from the raw query string as the call-quality analytics reads them; the answer is JSON, or CSV when `Accept` names
 * `text/csv` (or `format=csv`).
 */
export const telephonyAnalyticsPlugin: FastifyPluginAsync<TelephonyAnalyticsPluginOptions> = async (api, options) => {
  installErrorHandler(api, options.clock);
  installAuthentication(api, options.auth);

  api.get('/', async (request, reply) => {
    const url = request.raw.url ?? '';
    const at = url.indexOf('?');
    const params = at === -1 ? {} : analyticsParams(url.slice(at + 1));
    const answer = await options.telephony.query(params);
    if (wantsCsv(request, params)) {
      return reply.header('content-type', 'text/csv; charset=utf-8').send(csvText(answer.columns, answer.rows));
    }
    const rows = answer.rows.map((row) => Object.fromEntries(answer.columns.map((c, i) => [c, row[i]])));
    return reply
      .header('content-type', 'application/json; charset=utf-8')
      .send({ source: 'telephony', columns: answer.columns, rows });
  });
};

function wantsCsv(request: FastifyRequest, params: Record<string, string>): boolean {
  if (params.format !== undefined) return params.format.toLowerCase() === 'csv';
  return /\btext\/csv\b/i.test(request.headers.accept ?? '');
}
