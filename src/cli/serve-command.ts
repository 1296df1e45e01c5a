import type { FastifyInstance } from 'fastify';
import { systemClock } from '../clock.js';
import { createApp } from '../http/create-app.js';
import { Runtime } from '../runtime/runtime.js';
import { ShutdownSignals } from '../runtime/shutdown-signals.js';
import { retentionJob } from '../service/retention.js';
import { redactPassword } from '../storage/database-url.js';
import type { MetaStore } from '../storage/roles.js';
import { CliError } from './cli-error.js';
import { openDatabaseOption } from './database-options.js';
import { prettyLogStream } from './pretty-log.js';
import { serveConfig, type ServeConfig, type ServeOptions } from './serve-config.js';
import { serveDemo } from './serve-demo.js';

export type { ServeOptions } from './serve-config.js';

const RETENTION_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Serves until SIGINT or SIGTERM, then stops taking connections, lets in-flight requests finish, stops the
 * background jobs, closes the database and resolves to exit code 0 (1 if shutting down failed).
 */
export async function serveCommand(opts: ServeOptions): Promise<number> {
  const config = serveConfig(opts);
  // Caught from here on: a signal while starting is acted on once the server is up (ShutdownSignals).
  const signals = new ShutdownSignals();
  let runtime: Runtime;
  try {
    runtime = await startRuntime(opts, config);
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
async function startRuntime(opts: ServeOptions, config: ServeConfig): Promise<Runtime> {
  const clock = systemClock;
  const database = await openDatabaseOption({ ...opts, db: config.db });
  let app: FastifyInstance;
  try {
    app = await createApp({
      db: database,
      clock,
      publicUrl: config.publicUrl,
      bodyLimit: config.bodyLimit,
      logger: config.pretty
        ? { level: config.level, stream: prettyLogStream(process.stdout) }
        : { level: config.level },
      corsOrigins: config.corsOrigins,
      https: config.https,
      graphStrict: config.graphStrict,
    });
  } catch (error) {
    await database.close();
    throw error;
  }
  const runtime = new Runtime({ log: app.log, clock })
    .closeLast(database)
    .serve({ start: () => listen(app, config, database.meta), stop: () => app.close() });
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
  try {
    if (opts.demo === true)
      await serveDemo(app.log, database, clock, { db: config.db, fromEnv: opts.dbFromEnv === true });
    await runtime.start();
  } catch (error) {
    await runtime.stop();
    throw error;
  }
  return runtime;
}

/** Listens where the options say and logs that it is serving, with the database and how many records it holds. */
async function listen(app: FastifyInstance, config: ServeConfig, meta: Pick<MetaStore, 'health'>) {
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    throw new CliError(`cannot listen on ${config.host}:${config.port}: ${(error as Error).message}`);
  }
  app.log.info({ db: redactPassword(config.db), records: (await meta.health()).records }, 'callrecords is serving');
}
