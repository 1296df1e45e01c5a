import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { systemClock } from '../clock.js';
import { createApp } from '../http/create-app.js';
import { Retention, scheduleRetention } from '../service/retention.js';
import { DEFAULT_DATABASE_URL } from '../storage/open-database.js';
import { redactPassword } from '../storage/database-url.js';
import type { CallRecordDatabase } from '../storage/roles.js';
import type { FastifyBaseLogger } from 'fastify';
import { loadDemoData } from './demo-data.js';
import { CliError } from './cli-error.js';
import { corsOrigins, databaseUrl, expandHome, httpUrl, oneOf } from './config-values.js';
import { prettyLogStream } from './pretty-log.js';
import { wholeNumber } from './whole-number.js';
import { openDatabaseOption, type DatabaseOptions } from './database-options.js';

/** The options of `callrecords serve`, as commander hands them over (environment variables applied). */
export interface ServeOptions extends DatabaseOptions {
  host: string;
  port: string;
  publicUrl?: string;
  tlsCert?: string;
  tlsKey?: string;
  tlsCiphers?: string;
  bodyLimit: string;
  logLevel: string;
  logFormat: string;
  corsOrigin?: string;
  retainDays?: string;
  /** Load the demo tenant into an empty database first (`--demo`, unless CALLRECORDS_DEMO=0). */
  demo?: boolean;
  /** The database came from CALLRECORDS_DB (not --db, not the default): the demo never goes there. */
  dbFromEnv?: boolean;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const LOG_FORMATS = ['json', 'pretty'] as const;

const RETENTION_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Serves until SIGINT or SIGTERM, then stops taking connections, lets in-flight requests finish, closes the database
 * and resolves to exit code 0.
 */
export async function serveCommand(opts: ServeOptions): Promise<number> {
  const port = wholeNumber(opts.port, '--port');
  const bodyLimit = wholeNumber(opts.bodyLimit, '--body-limit');
  const retainDays = opts.retainDays === undefined ? undefined : wholeNumber(opts.retainDays, '--retain-days', 1);
  const level = oneOf(opts.logLevel, '--log-level', LOG_LEVELS);
  const pretty = oneOf(opts.logFormat, '--log-format', LOG_FORMATS) === 'pretty';
  const publicUrl = opts.publicUrl === undefined ? undefined : httpUrl(opts.publicUrl, '--public-url');
  const cors = opts.corsOrigin === undefined ? undefined : corsOrigins(opts.corsOrigin, '--cors-origin');
  const db = databaseUrl(opts.db);
  if ((opts.tlsCert === undefined) !== (opts.tlsKey === undefined)) {
    throw new CliError('--tls-cert and --tls-key go together');
  }
  const https =
    opts.tlsCert === undefined || opts.tlsKey === undefined
      ? undefined
      : {
          cert: readPem(expandHome(opts.tlsCert, '--tls-cert')),
          key: readPem(expandHome(opts.tlsKey, '--tls-key')),
          ciphers: cipherList(opts.tlsCiphers),
        };
  // A signal that arrives while starting is kept, and acted on once the server is up (a demo load or migration is
  // never cut in half, and the database is always closed).
  let earlySignal: NodeJS.Signals | undefined;
  const remember = (signal: NodeJS.Signals) => (earlySignal ??= signal);
  process.on('SIGINT', remember).on('SIGTERM', remember);
  const stopRemembering = () => process.off('SIGINT', remember).off('SIGTERM', remember);
  let database: CallRecordDatabase;
  try {
    database = await openDatabaseOption(opts);
  } catch (error) {
    stopRemembering();
    throw error;
  }
  const app = await createApp({
    db: database,
    clock: systemClock,
    publicUrl,
    bodyLimit,
    logger: pretty ? { level, stream: prettyLogStream(process.stdout) } : { level },
    corsOrigins: cors,
    https,
  });
  const demoRefused = opts.demo === true ? demoRefusal(db, opts.dbFromEnv === true) : undefined;
  if (demoRefused !== undefined) app.log.info(`demo: not loaded: ${demoRefused}; serving the database as it is`);
  if (opts.demo === true && demoRefused === undefined) {
    try {
      await loadDemo(app.log, database);
    } catch (error) {
      stopRemembering();
      await app.close();
      await database.close();
      throw error;
    }
  }
  try {
    await app.listen({ host: opts.host, port });
  } catch (error) {
    stopRemembering();
    await database.close();
    throw new CliError(`cannot listen on ${opts.host}:${port}: ${(error as Error).message}`);
  }
  app.log.info({ db: redactPassword(db), records: (await database.meta.health()).records }, 'callrecords is serving');
  const retention =
    retainDays === undefined
      ? undefined
      : scheduleRetention(new Retention(database.upkeep, systemClock, retainDays), RETENTION_INTERVAL_MS, (outcome) =>
          outcome instanceof Error
            ? app.log.error({ err: outcome }, 'retention pass failed')
            : app.log.info({ retainDays, ...outcome }, 'retention pass done'),
        );
  return new Promise((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      app.log.info({ signal }, 'shutting down: finishing in-flight requests');
      void app
        .close()
        .then(() => retention?.stop())
        .then(() => database.close())
        .then(
          () => resolve(0),
          (error: unknown) => {
            app.log.error({ err: error }, 'shutdown failed');
            resolve(1);
          },
        );
    };
    // Listen before letting go of the startup listener: a signal libuv holds but has not dispatched yet is kept.
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    stopRemembering();
    if (earlySignal !== undefined) stop(earlySignal);
  });
}

// The demo is made-up data: it goes only where a newcomer trying `npm start` expects it, never into a database
// someone configured (CALLRECORDS_DB) or into PostgreSQL, which is where real archives live.
function demoRefusal(db: string, fromEnv: boolean): string | undefined {
  if (!db.startsWith('sqlite:')) return 'the demo only goes into a SQLite database, never into PostgreSQL';
  if (fromEnv && db !== DEFAULT_DATABASE_URL) {
    return `the database comes from CALLRECORDS_DB; the demo only goes into the default ${DEFAULT_DATABASE_URL} or a --db given on the command line`;
  }
  return undefined;
}

async function loadDemo(log: FastifyBaseLogger, database: CallRecordDatabase): Promise<void> {
  log.info('demo: loading the demo tenant if the database is empty');
  const outcome = await loadDemoData(database, systemClock);
  if (!outcome.loaded) {
    log.info({ records: outcome.records }, 'demo: the database already holds records; no demo data loaded');
    return;
  }
  const { summary, calls, from, to, seconds } = outcome;
  const level = summary.rejected > 0 ? 'warn' : 'info';
  log[level](
    {
      calls,
      records: summary.received,
      inserted: summary.inserted,
      updated: summary.updated,
      rejected: summary.rejected,
      from,
      to,
      seconds: Number(seconds.toFixed(2)),
    },
    `demo: loaded ${calls} calls (${summary.received} record versions, ${from.slice(0, 10)} to ${to.slice(0, 10)}) in ${seconds.toFixed(1)} s`,
  );
}

// A list OpenSSL cannot use is a usage error, not a stack trace when the server starts.
function cipherList(ciphers: string | undefined): string | undefined {
  if (ciphers === undefined) return undefined;
  try {
    createSecureContext({ ciphers });
  } catch (error) {
    throw new CliError(`--tls-ciphers: ${(error as Error).message}`);
  }
  return ciphers;
}

function readPem(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new CliError(`cannot read ${path}: ${(error as Error).message}`);
  }
}
