import { createReadStream, readFileSync } from 'node:fs';
import { systemClock } from '../clock.js';
import { checkTls } from '../http/server-limits.js';
import { gunzipIfCompressed } from '../ingest/gunzip-source.js';
import { readRecordTexts } from '../ingest/record-source.js';
import { Runtime } from '../runtime/runtime.js';
import { ShutdownSignals } from '../runtime/shutdown-signals.js';
import { createSimulator, type GraphSimulator } from '../simulator/create-simulator.js';
import { parseFaults, type Faults } from '../simulator/faults.js';
import { tenantRecords } from '../simulator/tenant-records.js';
import { loadTenantLogs } from '../simulator/tenant-logs.js';
import { CliError } from './cli-error.js';
import { expandHome, oneOf } from './config-values.js';
import { openDatabaseOption } from './database-options.js';
import { dateOption } from './date-option.js';
import { wholeNumber } from './whole-number.js';

/** The options of `callrecords graph-simulator`, as commander hands them over. */
export interface GraphSimulatorOptions {
  db: string;
  host: string;
  port: string;
  tlsCert?: string;
  tlsKey?: string;
  calls: string;
  days: string;
  from?: string;
  seed: string;
  records?: string;
  speed: string;
  faults: string;
  faultRate: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  clientCertificate?: string;
  logLevel: string;
}

const DAY = 86_400_000;
/** How often (real time) the tenant releases due records and sends due notifications. */
const TICK_MS = 250;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Runs the Graph simulator until SIGINT or SIGTERM: loads the tenant (generated, or from `--records`), serves the
 * token endpoint, Graph's callRecords and the `/_simulator` routes, and releases records as simulated time passes.
 * Resolves to 0 after a clean stop.
 */
export async function graphSimulatorCommand(opts: GraphSimulatorOptions): Promise<number> {
  const port = wholeNumber(opts.port, '--port');
  const level = oneOf(opts.logLevel, '--log-level', LOG_LEVELS);
  const speed = positive(opts.speed, '--speed');
  const faultRate = positive(opts.faultRate, '--fault-rate', true);
  const seed = wholeNumber(opts.seed, '--seed');
  const faults = faultList(opts.faults);
  const https = tls(opts);
  const certificate =
    opts.clientCertificate === undefined
      ? undefined
      : readText(expandHome(opts.clientCertificate, '--client-certificate'));
  const records = opts.records === undefined ? undefined : expandHome(opts.records, '--records');
  const days = wholeNumber(opts.days, '--days', 1);
  const calls = wholeNumber(opts.calls, '--calls');
  const signals = new ShutdownSignals();
  const db = await openDatabaseOption({ db: opts.db }).catch((error: unknown) => {
    signals.release();
    throw error;
  });
  let runtime: Runtime | undefined;
  try {
    const clock = systemClock;
    const simulator = await createSimulator({
      db,
      clock,
      speed,
      faults,
      faultRate,
      seed,
      registration: {
        tenantId: opts.tenantId,
        clientId: opts.clientId,
        clientSecret: opts.clientSecret,
        certificate,
      },
      bodyLimit: 1024 * 1024,
      logger: { level },
      https,
    });
    runtime = new Runtime({ log: simulator.app.log, clock })
      .closeLast(db)
      .serve({ start: () => listen(simulator, opts, port, https !== undefined), stop: () => simulator.app.close() })
      .addJob('simulated-tenant', () => simulator.tickJob(TICK_MS))
      .addJob('notifications', simulator.deliveryJob());
    const from =
      opts.from === undefined
        ? new Date(clock.now().getTime() - days * DAY)
        : new Date(`${dateOption(opts.from, '--from')!.slice(0, 23)}Z`);
    const started = performance.now();
    await simulator.tenant.load(
      records === undefined
        ? tenantRecords({ calls, seed, from, days, versions: faults.updated })
        : readRecords(records),
    );
    // The tenant's telephony logs (issue 14), served as Graph's functions; a --records tenant has none.
    const logRows =
      records === undefined
        ? await loadTenantLogs(db.callLogs, clock, { calls, seed, from, days, versions: faults.updated })
        : undefined;
    const { versionsReleased, versionsPending } = simulator.tenant.stats();
    simulator.app.log.info(
      { versionsReleased, versionsPending, logRows, seconds: Math.round((performance.now() - started) / 100) / 10 },
      'simulated tenant loaded',
    );
    await runtime.start();
  } catch (error) {
    signals.release();
    if (runtime === undefined) await db.close();
    else await runtime.stop();
    throw error;
  }
  const signal = await signals.first();
  runtime.deps.log.info({ signal }, 'graph simulator: shutting down');
  try {
    await runtime.stop();
    return 0;
  } catch (error) {
    runtime.deps.log.error({ err: error }, 'shutdown failed');
    return 1;
  } finally {
    signals.release();
  }
}

async function listen(simulator: GraphSimulator, opts: GraphSimulatorOptions, port: number, secure: boolean) {
  const { app } = simulator;
  try {
    await app.listen({ host: opts.host, port });
  } catch (error) {
    throw new CliError(`cannot listen on ${opts.host}:${port}: ${(error as Error).message}`);
  }
  const address = app.server.address();
  const actual = typeof address === 'object' && address !== null ? address.port : port;
  const base = `${secure ? 'https' : 'http'}://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${actual}`;
  app.log.info(
    { graphUrl: base, authorityHost: base, tenantId: opts.tenantId, clientId: opts.clientId, port: actual },
    'graph simulator is serving',
  );
}

// Each record of an NDJSON or JSON file (plain or gzip); a text that is not a JSON object is skipped.
async function* readRecords(file: string): AsyncGenerator<Record<string, unknown>> {
  for await (const item of readRecordTexts(gunzipIfCompressed(createReadStream(file)))) {
    if (item.kind !== 'value') continue;
    try {
      const value: unknown = JSON.parse(item.text);
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) yield value as Record<string, unknown>;
    } catch {
      // not JSON: the tenant simply does not have it
    }
  }
}

function tls(opts: GraphSimulatorOptions) {
  if ((opts.tlsCert === undefined) !== (opts.tlsKey === undefined)) {
    throw new CliError('--tls-cert and --tls-key go together');
  }
  if (opts.tlsCert === undefined || opts.tlsKey === undefined) return undefined;
  const https = {
    cert: Buffer.from(readText(expandHome(opts.tlsCert, '--tls-cert'))),
    key: Buffer.from(readText(expandHome(opts.tlsKey, '--tls-key'))),
  };
  checkTls(https);
  return https;
}

function faultList(text: string): Faults {
  try {
    return parseFaults(text);
  } catch (error) {
    throw new CliError(`--faults: ${(error as Error).message}`);
  }
}

function positive(value: string, flag: string, share = false): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || (!share && n === 0) || (share && n > 1)) {
    throw new CliError(`${flag} must be ${share ? 'a share from 0 to 1' : 'a positive number'}, not '${value}'`);
  }
  return n;
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${path}: ${(error as Error).message}`);
  }
}
