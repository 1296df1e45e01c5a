import type { FastifyInstance } from 'fastify';
import { createAuthenticator } from '../auth/auth-config.js';
import { auditRetentionJob } from '../auth/audit-retention.js';
import { jsonFetchOf } from '../auth/json-fetch.js';
import { systemClock } from '../clock.js';
import { StreamAnalytics } from '../analytics/stream-analytics.js';
import { createApp } from '../http/create-app.js';
import { Runtime } from '../runtime/runtime.js';
import { ShutdownSignals } from '../runtime/shutdown-signals.js';
import { Metrics } from '../metrics/metrics.js';
import { euiiPurgeJob } from '../privacy/euii-purge.js';
import { retentionJob } from '../service/retention.js';
import { outboxDeliveryJob } from '../notify/outbox-delivery.js';
import { graphSubscriptionJob } from '../collector/subscription-job.js';
import { redactPassword } from '../storage/database-url.js';
import type { MetaStore } from '../storage/roles.js';
import { CliError } from './cli-error.js';
import { openDatabaseOption } from './database-options.js';
import { prettyLogStream } from './pretty-log.js';
import { serveConfig, type ServeConfig, type ServeOptions } from './serve-config.js';
import { serveDemo } from './serve-demo.js';
import { syncJobs, type SyncConfig } from '../collector/collector.js';
import { syncConfig, type GraphSyncOptions } from './sync-config.js';

export type { ServeOptions } from './serve-config.js';

const RETENTION_INTERVAL_MS = 60 * 60 * 1000;
const AUDIT_RETENTION_INTERVAL_MS = 24 * 60 * 60 * 1000;
const EUII_PURGE_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Serves until SIGINT or SIGTERM, then stops taking connections, lets in-flight requests finish, stops the
 * background jobs, closes the database and resolves to exit code 0 (1 if shutting down failed).
 */
export async function serveCommand(opts: ServeOptions & ServeSyncOptions): Promise<number> {
  const config = serveConfig(opts);
  const sync = opts.sync === true ? syncConfig(withGraphDefaults(opts)) : undefined;
  // Caught from here on: a signal while starting is acted on once the server is up (ShutdownSignals).
  const signals = new ShutdownSignals();
  let runtime: Runtime;
  try {
    runtime = await startRuntime(opts, config, sync);
  } catch (error) {
    signals.release();
    throw error;
  }
  const signal = await signals.first();
  const { log } = runtime.deps;
  log.info({ signal }, 'shutting down: finishing in-flight requests');
  try {
    await runtime.stop();
    return 0;
  } catch (error) {
    log.error({ err: error }, 'shutdown failed');
    return 1;
  } finally {
    signals.release();
  }
}

/**
 * Opens the database and builds the runtime around it — the app as its server, retention as its job — loads the
 * demo when asked, and starts it. On a failure, whatever was opened is closed again.
 */
async function startRuntime(
  opts: ServeOptions,
  config: ServeConfig,
  sync?: SyncConfig & { notificationUrl?: string | undefined },
): Promise<Runtime> {
  const clock = systemClock;
  const database = await openDatabaseOption({ ...opts, db: config.db });
  const metrics = new Metrics();
  let app: FastifyInstance;
  try {
    app = await createApp({
      metrics,
      db: database,
      clock,
      publicUrl: config.publicUrl,
      bodyLimit: config.bodyLimit,
      logger: config.pretty
        ? { level: config.level, stream: prettyLogStream(process.stdout) }
        : { level: config.level },
      corsOrigins: config.corsOrigins,
      https: config.https,
      authenticator:
        config.auth === undefined
          ? undefined
          : createAuthenticator(config.auth, { keys: database.keys, clock, fetchJson: jsonFetchOf(globalThis.fetch) }),
      euiiDays: config.euiiDays,
      throttle: config.throttle,
      graphStrict: config.graphStrict,
      qualityRules: config.qualityRules,
      // With --notification-url, Graph's notifications are received under its path (webhook-routes.ts).
      notificationUrl: sync?.notificationUrl,
      dashboard: config.dashboard,
    });
  } catch (error) {
    await database.close();
    throw error;
  }
  const runtime = new Runtime({ log: app.log, clock, metrics })
    .closeLast(database)
    .serve({ start: () => listen(app, config, database.meta), stop: () => app.close() });
  // Change notifications to subscribers of the archive itself (POST /v1.0/subscriptions), from the outbox.
  runtime.addJob('notifications', outboxDeliveryJob(database.subscriptions));
  if (config.retainDays !== undefined) {
    runtime.addJob(
      'retention',
      retentionJob({ store: database.upkeep, retainDays: config.retainDays, intervalMs: RETENTION_INTERVAL_MS }),
    );
    // The telephony logs keep the same retention, by the time each log is filtered on (docs/call-logs.md).
    runtime.addJob(
      'call-log-retention',
      retentionJob({
        store: database.callLogs,
        retainDays: config.retainDays,
        intervalMs: RETENTION_INTERVAL_MS,
        label: 'call-log retention',
      }),
    );
  }
  runtime.addJob(
    'audit-retention',
    auditRetentionJob({
      store: database.audit,
      retainDays: config.auditRetainDays,
      intervalMs: AUDIT_RETENTION_INTERVAL_MS,
    }),
  );
  if (config.euiiDays !== undefined) {
    const { euiiDays } = config;
    runtime.addJob(
      'euii-purge',
      // The telephony logs lose their EUII in the same pass (docs/privacy.md).
      euiiPurgeJob({
        store: database.privacy,
        euiiDays,
        intervalMs: EUII_PURGE_INTERVAL_MS,
        logs: database.logPrivacy,
      }),
    );
  }
  if (sync !== undefined) {
    // The collector (docs/graph-sync.md): the queue worker and the sweeps, each a job; their state is in the database.
    for (const job of syncJobs({ ...sync, euiiDays: config.euiiDays }, database)) runtime.addJob(job.name, job.factory);
    if (sync.notificationUrl !== undefined) {
      // One Graph subscription for every instance on this database, renewed before expiry (subscription-manager.ts).
      const subscription = {
        notificationUrl: sync.notificationUrl,
        credentials: sync.credentials,
        tokens: sync.tokens,
      };
      runtime.addJob('graph-subscription', graphSubscriptionJob(subscription, database));
    }
    app.log.info({ graphUrl: sync.credentials.graphUrl, sweepIntervalMs: sync.sweepIntervalMs }, 'graph sync is on');
  }
  try {
    if (opts.demo === true)
      await serveDemo(app.log, database, clock, { db: config.db, fromEnv: opts.dbFromEnv === true });
    await runtime.start();
    await reportStreamTable(app, new StreamAnalytics(database.streams, config.qualityRules));
  } catch (error) {
    await runtime.stop();
    throw error;
  }
  return runtime;
}

/** Warns when the stream table was classified with other rules than --quality-rules, or lacks rows. */
async function reportStreamTable(app: FastifyInstance, analytics: StreamAnalytics): Promise<void> {
  const status = await analytics.status();
  if (status.configuredRuleSet !== undefined) {
    app.log.warn(
      { stored: status.ruleSet, configured: status.configuredRuleSet },
      'the stream table was classified with other quality rules; run callrecords analytics rebuild to apply them',
    );
  }
  if (status.stale !== undefined) {
    app.log.warn({ stale: status.stale }, 'the stream table is incomplete; run callrecords analytics rebuild');
  }
}

/** The Graph options of `serve` (`--sync` turns the collector on; docs/graph-sync.md). */
export type ServeSyncOptions = Partial<GraphSyncOptions> & { sync?: boolean };

function withGraphDefaults(opts: ServeSyncOptions): GraphSyncOptions {
  return {
    ...opts,
    graphUrl: opts.graphUrl ?? 'https://graph.microsoft.com',
    authorityHost: opts.authorityHost ?? 'https://login.microsoftonline.com',
  };
}

/** Listens where the options say and logs that it is serving, with the database and how many records it holds. */
async function listen(app: FastifyInstance, config: ServeConfig, meta: Pick<MetaStore, 'health'>) {
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    throw new CliError(`cannot listen on ${config.host}:${config.port}: ${(error as Error).message}`);
  }
  const { auth: on } = config;
  const auth = on === undefined ? 'none' : [...(on.entra ? ['entra'] : []), ...(on.keys ? ['keys'] : [])].join(',');
  const records = (await meta.health()).records;
  app.log.info({ db: redactPassword(config.db), records, auth }, 'callrecords is serving');
}
