import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Clock } from '../clock.js';
import { AuditReader } from '../auth/audit-reader.js';
import { AuditTrail } from '../auth/audit-trail.js';
import type { Authenticator } from '../auth/authenticator.js';
import { AppError } from '../errors.js';
import { AnalyticsService } from '../analytics/query/analytics-service.js';
import { CallLogService } from '../call-logs/call-log-service.js';
import { Telephony } from '../call-logs/telephony.js';
import { IngestService } from '../ingest/ingest-service.js';
import { privacyHooks } from '../privacy/ingest-hooks.js';
import { logPrivacyHooks } from '../privacy/log-ingest-hooks.js';
import { ArchiveStatus } from '../service/archive-status.js';
import { createGraphReaders } from '../service/graph-readers.js';
import { RecordHistory } from '../service/record-history.js';
import type { CallRecordDatabase } from '../storage/roles.js';
import { apiPlugin } from './api-routes.js';
import { analyticsQueryPlugin } from './analytics-query-routes.js';
import { telephonyAnalyticsPlugin } from './telephony-analytics-routes.js';
import { CALL_SEARCH_PREFIX, callSearchPlugin } from './call-search-routes.js';
import { CallSearch } from '../analytics/call-search.js';
import { TelephonyAnalyticsService } from '../analytics/telephony/telephony-service.js';
import { installCors } from './cors.js';
import { clientRequestId, installErrorHandler, sendError } from './error-handler.js';
import { API_VERSIONS, graphPlugin } from './graph-routes.js';
import { registerIngestBodyParser } from './ingest-body.js';
import { collectRoutes } from './route-list.js';
import { streamAnalyticsPlugin } from './analytics-routes.js';
import { StreamAnalytics } from '../analytics/stream-analytics.js';
import type { RuleSet } from '../analytics/rule-sets.js';
import { serverLimitOptions, type RequestTimeouts } from './server-limits.js';
import { installThrottle, type ThrottleConfig } from './throttle.js';
import { installRequestMetrics, metricsPlugin } from './metrics-routes.js';
import { Metrics } from '../metrics/metrics.js';
import { SyncStatus } from '../collector/sync-status.js';
import { syncPlugin } from './sync-routes.js';
import { SubscriptionService } from '../notify/subscription-service.js';
import type { Fetch } from '../runtime/runtime.js';
import { subscriptionsPlugin } from './subscription-routes.js';
import { NotificationIntake } from '../collector/notification-intake.js';
import { webhookUrls } from '../collector/webhook-config.js';
import { webhooksPlugin } from './webhook-routes.js';
import { dashboardPlugin } from './dashboard-routes.js';
import { builtDashboard } from '../dashboard/dashboard-assets.js';
import type { DashboardEntra } from '../dashboard/dashboard-config.js';
import { dashboardConfig } from '../dashboard/dashboard-settings.js';

/** Everything the HTTP app is built from; tests pass their own database, clock and logger. */
export interface AppDeps {
  /** The open database; each service is handed only the roles it needs. */
  db: CallRecordDatabase;
  clock: Clock;
  /** The public base URL (`https://callrecords.example.com`) used in @odata.context and next links; default: from each request. */
  publicUrl?: string | undefined;
  /** The largest request body accepted, in bytes. */
  bodyLimit: number;
  /** Pino logger options, or false for none. */
  logger: FastifyServerOptions['logger'];
  /** TLS certificate and key (PEM): when given, the app serves HTTPS; `ciphers` replaces the default suites. */
  https?: { cert: Buffer; key: Buffer; ciphers?: string | undefined } | undefined;
  /** How long a request may take to arrive (default: DEFAULT_TIMEOUTS in server-limits.ts). */
  timeouts?: RequestTimeouts | undefined;
  /** Browser origins allowed to call the API (`*`: any); default none, and no CORS headers at all. */
  corsOrigins?: readonly string[] | undefined;
  /** Who may call the Graph and /api surfaces (`--auth`, src/auth); undefined: anyone (`--auth none`). */
  authenticator?: Authenticator | undefined;
  /** Records older than this many days are stored without their EUII, even when ingested now (docs/privacy.md). */
  euiiDays?: number | undefined;
  /** Throttling per caller: `--rate-limit` and `--throttle graph` (throttle.ts); default none. */
  throttle?: ThrottleConfig | undefined;
  /** The Prometheus metrics served at `/metrics` (src/metrics/); default: a registry of this app's own. */
  metrics?: Metrics | undefined;
  /** `--graph-strict`: the telephony functions refuse windows over 90 days, as Graph does (406). */
  graphStrict?: boolean | undefined;
  /** The rule set `--quality-rules` names; the stream-table status reports it when the stored rows used another. */
  qualityRules?: RuleSet | undefined;
  /** Outbound HTTP for the subscriptions' validation handshake (default `globalThis.fetch`). */
  fetch?: Fetch | undefined;
  /** The `--notification-url` base: when set, Graph's notifications are received under its path (webhook-routes.ts). */
  notificationUrl?: string | undefined;
  /** The web dashboard at `/` (dashboard-routes.ts): on by default; `entra` enables its Entra sign-in; false: off. */
  dashboard?: { entra?: DashboardEntra | undefined } | false | undefined;
}

/**
 * Builds the HTTP app in one place. The root holds only what every request meets, whatever its path: request ids,
 * `client-request-id`, CORS, the 503 while closing, and the Graph-shaped answer to errors raised before routing.
 * Each HTTP surface is an encapsulated plugin under its own prefix, with its own hooks, body parsers and error and
 * not-found handlers: Graph (`/v1.0`, `/beta`) and the archive API (`/api`). See src/http/README.md.
 */
export async function createApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger,
    bodyLimit: deps.bodyLimit,
    genReqId: () => randomUUID(),
    return503OnClosing: false,
    // Record ids are long opaque strings; Fastify's default of 100 characters would cut them off.
    routerOptions: { maxParamLength: 2048 },
    // Errors Fastify raises before routing (a malformed URL) get the Graph shape and the request headers too.
    frameworkErrors: (error, request, reply) => {
      void reply.header('request-id', request.id).header('client-request-id', clientRequestId(request));
      const message = error.code === 'FST_ERR_BAD_URL' ? `The URL is not valid: ${request.url}` : error.message;
      sendError(request, reply, deps.clock, 'BadRequest', message);
    },
    forceCloseConnections: 'idle',
    // Timeouts, TLS versions and suites, Graph-shaped answers to the HTTP parser's errors (server-limits.ts).
    ...serverLimitOptions(deps),
  }) as unknown as FastifyInstance;
  // Every route of every surface is listed, so a test can check each has a declared access (src/auth/route-roles.ts).
  collectRoutes(app);

  // Once the server is closing, new requests on kept-alive connections get a Graph-shaped 503.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async (request, reply) => {
    void reply.header('request-id', request.id).header('client-request-id', clientRequestId(request));
    if (closing) throw new AppError('serviceNotAvailable', 'The server is shutting down; retry shortly.');
  });
  if (deps.corsOrigins !== undefined) installCors(app, deps.corsOrigins);
  // A response finished while closing ends its kept-alive connection, so close() need not wait for the client's idle
  // timeout on a connection that was busy when shutdown began.
  app.addHook('onSend', async (_request, reply, payload) => {
    if (closing) void reply.header('connection', 'close');
    return payload;
  });

  // Outside every surface a path is a 404 in the Graph shape. Its body still meets the ingest parser first (a bad body
  // or media type answers 400, 413 or 415 before the 404), as it did before the surfaces were split.
  registerIngestBodyParser(app, deps.bodyLimit);
  installErrorHandler(app, deps.clock);
  if (deps.throttle !== undefined) installThrottle(app, deps.clock, deps.throttle);
  const metrics = deps.metrics ?? new Metrics();
  metrics.watchDatabase(deps.db.meta);
  installRequestMetrics(app, metrics);

  const { clock, db, publicUrl } = deps;
  // Authenticated requests are recorded in the audit trail; what waits in memory is written when the app closes.
  const audit = new AuditTrail(db.audit, clock, app.log);
  app.addHook('onClose', () => audit.flush());
  const auth = deps.authenticator === undefined ? undefined : { authenticator: deps.authenticator, audit, clock };
  const readers = await createGraphReaders(db.records, db.meta, db.callLogs, deps.graphStrict);
  for (const version of API_VERSIONS) {
    await app.register(graphPlugin, { prefix: `/${version}`, version, readers, clock, publicUrl, auth });
  }
  // Subscriptions to the archive's own change notifications, at /{version}/subscriptions (src/notify/).
  const subscriptions = new SubscriptionService(db.subscriptions, { clock, fetch: deps.fetch ?? globalThis.fetch });
  for (const version of API_VERSIONS) {
    await app.register(subscriptionsPlugin, {
      prefix: `/${version}/subscriptions`,
      version,
      subscriptions,
      clock,
      publicUrl,
      auth,
    });
  }
  if (deps.notificationUrl !== undefined) {
    const intake = new NotificationIntake({ sync: db.sync, meta: db.meta, clock, log: app.log });
    await app.register(webhooksPlugin, { prefix: webhookUrls(deps.notificationUrl).prefix, intake, clock });
  }
  const ingest = new IngestService(db.records, clock, {
    ...privacyHooks(db, clock, deps.euiiDays),
    observe: (outcomes) => metrics.observeIngest(outcomes),
  });
  const [history, status] = [new RecordHistory(db.history), new ArchiveStatus(db.meta, db.records)];
  const auditReader = new AuditReader(db.audit, audit);
  const callLogs = new CallLogService(db.callLogs, clock, logPrivacyHooks(db, clock, deps.euiiDays));
  const telephony = new Telephony(db.records, db.callLogs);
  await app.register(apiPlugin, {
    prefix: '/api',
    ingest,
    history,
    status,
    clock,
    bodyLimit: deps.bodyLimit,
    auth,
    auditReader,
    callLogs,
    telephony,
  });
  const analytics = new StreamAnalytics(db.streams, deps.qualityRules);
  await app.register(streamAnalyticsPlugin, { prefix: '/api', analytics, bodyLimit: deps.bodyLimit, auth });
  const ruleSet = async () => (await analytics.status()).ruleSet;
  const queries = new AnalyticsService(db.analytics, ruleSet);
  await app.register(analyticsQueryPlugin, { prefix: '/api/analytics', analytics: queries, clock, auth });
  // The dashboard's call list and call detail (issue 13).
  const calls = new CallSearch(db.callSearch, ruleSet);
  await app.register(callSearchPlugin, { prefix: CALL_SEARCH_PREFIX, calls, clock, publicUrl, auth });
  await app.register(telephonyAnalyticsPlugin, {
    prefix: '/api/analytics/telephony',
    telephony: new TelephonyAnalyticsService(db.telephonyAnalytics),
    clock,
    auth,
  });
  await app.register(syncPlugin, { prefix: '/api/sync', status: new SyncStatus(db.sync, clock), clock, auth });
  await app.register(metricsPlugin, { metrics, auth });
  if (deps.dashboard !== false) {
    const config = dashboardConfig(deps.authenticator, deps.dashboard?.entra);
    await app.register(dashboardPlugin, { bundle: builtDashboard(), config });
  }
  return app;
}
