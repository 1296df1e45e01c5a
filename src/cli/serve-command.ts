import { readFileSync } from 'node:fs';
import { systemClock } from '../clock.js';
import { createApp } from '../http/create-app.js';
import { Retention, scheduleRetention } from '../service/retention.js';
import { openStore } from '../storage/open-store.js';
import { redactPassword } from '../storage/database-url.js';
import { CliError } from './cli-error.js';

/** The options of `callrecords serve`, as commander hands them over (environment variables applied). */
export interface ServeOptions {
  db: string;
  host: string;
  port: string;
  publicUrl?: string;
  tlsCert?: string;
  tlsKey?: string;
  bodyLimit: string;
  logLevel: string;
  retainDays?: string;
}

const RETENTION_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Serves until SIGINT or SIGTERM, then stops taking connections, lets in-flight requests finish, closes the database
 * and resolves to exit code 0.
 */
export async function serveCommand(opts: ServeOptions): Promise<number> {
  const port = wholeNumber(opts.port, '--port');
  const bodyLimit = wholeNumber(opts.bodyLimit, '--body-limit');
  const retainDays = opts.retainDays === undefined ? undefined : wholeNumber(opts.retainDays, '--retain-days');
  if (retainDays === 0) throw new CliError('--retain-days must be at least 1 (leave it out to keep every record)');
  if ((opts.tlsCert === undefined) !== (opts.tlsKey === undefined)) {
    throw new CliError('--tls-cert and --tls-key go together');
  }
  const https =
    opts.tlsCert === undefined || opts.tlsKey === undefined
      ? undefined
      : { cert: readPem(opts.tlsCert), key: readPem(opts.tlsKey) };
  const store = await openStore(opts.db);
  const app = await createApp({
    store,
    clock: systemClock,
    publicUrl: opts.publicUrl?.replace(/\/+$/, ''),
    bodyLimit,
    logger: { level: opts.logLevel },
    https,
  });
  try {
    await app.listen({ host: opts.host, port });
  } catch (error) {
    await store.close();
    throw new CliError(`cannot listen on ${opts.host}:${port}: ${(error as Error).message}`);
  }
  app.log.info({ db: redactPassword(opts.db), records: (await store.health()).records }, 'callrecords is serving');
  const retention =
    retainDays === undefined
      ? undefined
      : scheduleRetention(new Retention(store, systemClock, retainDays), RETENTION_INTERVAL_MS, (outcome) =>
          outcome instanceof Error
            ? app.log.error({ err: outcome }, 'retention pass failed')
            : app.log.info({ retainDays, ...outcome }, 'retention pass done'),
        );
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      app.log.info({ signal }, 'shutting down: finishing in-flight requests');
      void app
        .close()
        .then(() => retention?.stop())
        .then(() => store.close())
        .then(
          () => resolve(0),
          (error: unknown) => {
            app.log.error({ err: error }, 'shutdown failed');
            resolve(1);
          },
        );
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

function wholeNumber(value: string, flag: string): number {
  if (!/^\d+$/.test(value)) throw new CliError(`${flag} must be a whole number, not '${value}'`);
  return Number(value);
}

function readPem(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new CliError(`cannot read ${path}: ${(error as Error).message}`);
  }
}
