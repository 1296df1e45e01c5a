import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AnalyticsAnswer, AnalyticsService } from '../analytics/query/analytics-service.js';
import { csvText } from '../analytics/query/csv.js';
import { analyticsParams } from '../analytics/query/raw-query.js';
import { REPORTS } from '../analytics/query/reports.js';
import type { Clock } from '../clock.js';
import { installAuthentication, type SurfaceAuth } from './auth-hook.js';
import { installErrorHandler } from './error-handler.js';

/** What the analytics query surface is built from. */
export interface AnalyticsQueryPluginOptions {
  analytics: AnalyticsService;
  clock: Clock;
  /** Authentication of these routes (`--auth`); undefined: none. */
  auth?: SurfaceAuth | undefined;
}

/** The header that names the rule set on every answer, CSV included. */
export const RULE_SET_HEADER = 'callrecords-rule-set';

/** The header a CSV answer carries when `top` cut it (JSON says `"truncated": true`). */
export const TRUNCATED_HEADER = 'callrecords-truncated';

/**
 * The analytics query API, registered with the prefix `/api/analytics` (docs/api.md, "Analytics"): `GET
 * /api/analytics?measures=…&by=…&filter=…&orderby=…&top=…`, the names it accepts (`GET /api/analytics/catalog`), the canned reports
 * (`GET /api/analytics/reports/<name>`) and their list.
 * Parameters are read from the raw query string (raw-query.ts). The answer is JSON, or CSV when `Accept` names
 * `text/csv` (or `format=csv`), for Excel's and Power BI's "From Web".
 */
export const analyticsQueryPlugin: FastifyPluginAsync<AnalyticsQueryPluginOptions> = async (api, options) => {
  const { analytics } = options;
  installErrorHandler(api, options.clock);
  installAuthentication(api, options.auth);

  api.get('/', async (request, reply) => {
    const params = rawParams(request);
    send(request, reply, params, await analytics.query(params));
  });

  // The names the routes above accept, for scripts and the dashboard's Breakdown page (docs/analytics.md, "Catalog").
  api.get('/catalog', async () => analytics.catalog());

  api.get('/reports', async () => ({
    value: Object.entries(REPORTS).map(([name, report]) => ({ name, about: report.about })),
  }));

  api.get<{ Params: { name: string } }>('/reports/:name', async (request, reply) => {
    const params = rawParams(request);
    send(request, reply, params, await analytics.report(request.params.name, params));
  });
};

function rawParams(request: FastifyRequest): Record<string, string> {
  const url = request.raw.url ?? '';
  const at = url.indexOf('?');
  return at === -1 ? {} : analyticsParams(url.slice(at + 1));
}

function send(request: FastifyRequest, reply: FastifyReply, params: Record<string, string>, answer: AnalyticsAnswer) {
  void reply.header(RULE_SET_HEADER, answer.ruleSet);
  if (answer.truncated === true) void reply.header(TRUNCATED_HEADER, 'true');
  if (wantsCsv(request, params)) {
    void reply.header('content-type', 'text/csv; charset=utf-8').send(csvText(answer.columns, answer.rows));
    return;
  }
  const rows = answer.rows.map((row) => Object.fromEntries(answer.columns.map((c, i) => [c, row[i]])));
  void reply.header('content-type', 'application/json; charset=utf-8').send({
    ruleSet: answer.ruleSet,
    source: answer.source,
    columns: answer.columns,
    rows,
    truncated: answer.truncated,
  });
}

function wantsCsv(request: FastifyRequest, params: Record<string, string>): boolean {
  if (params.format !== undefined) return params.format.toLowerCase() === 'csv';
  return /\btext\/csv\b/i.test(request.headers.accept ?? '');
}
