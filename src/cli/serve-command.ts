import { readFileSync } from 'node:fs';
import { systemClock } from '../clock.js';
import { createApp } from '../http/create-app.js';
import { openStore } from '../storage/open-store.js';
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
}

/**
 * Serves until SIGINT or SIGTERM, then stops taking connections, lets in-flight requests finish, closes the database
 * and resolves to exit code 0.
 */
export async function serveCommand(opts: ServeOptions): Promise<number> {
  const port = wholeNumber(opts.port, '--port');
  const bodyLimit = wholeNumber(opts.bodyLimit, '--body-limit');
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
  app.log.info({ db: redact(opts.db), records: (await store.health()).records }, 'callrecords is serving');
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      app.log.info({ signal }, 'shutting down: finishing in-flight requests');
      void app
        .close()
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

// Never log a password that a database URL may carry.
function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
