import { privacyHooks } from '../privacy/ingest-hooks.js';
import { logPrivacyHooks } from '../privacy/log-ingest-hooks.js';
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { hostname } from 'node:os';
import { IngestService } from '../ingest/ingest-service.js';
import type { BackgroundJob, RuntimeDeps } from '../runtime/runtime.js';
import type { CallRecordDatabase } from '../storage/roles.js';
import { GraphClient } from './graph-client.js';
import { QueueWorker, type QueueWorkerSettings } from './queue-worker.js';
import { GRAPH_LIMITS, RequestBudget, type BudgetLimits } from './request-budget.js';
import { EVENT } from './state-keys.js';
import { pullAllLogs, PSTN_LIMITS, type LogPullDeps } from './log-pull.js';
import { sleep } from './sleep.js';
import { backfillOnce, periodicSweep } from './sweeper.js';
import type { SweepDeps } from './sweep.js';
import { msalTokenSource, type GraphCredentials, type TokenSource } from './token-source.js';

/** Everything `serve --sync` and `callrecords sync` configure (docs/graph-sync.md). */
export interface SyncConfig {
  credentials: GraphCredentials;
  /** Time between the starts of two periodic sweeps. */
  sweepIntervalMs: number;
  /** `serve --sync`: backfill this many days once before the periodic sweeps (resumed if cut short; skipped once done). */
  backfillDays?: number | undefined;
  worker?: Partial<QueueWorkerSettings> | undefined;
  /** Request budgets (default: Graph's documented limits, with a half-second margin on the window). */
  limits?: BudgetLimits | undefined;
  /** A token source instead of MSAL (tests). */
  tokens?: TokenSource | undefined;
  /** `--euii-days`: records past this age are stored scrubbed, as by every other write path (src/privacy/). */
  euiiDays?: number | undefined;
  /** The telephony logs' request budget (default: PSTN_LIMITS, Graph's PSTN call records limits). */
  logLimits?: BudgetLimits | undefined;
  /** How long after a log row's time it is pulled (default 1 h; log-pull.ts). */
  logSettleMs?: number | undefined;
}

/** The collector's parts over one database, for one process. */
export interface Collector {
  owner: string;
  client: GraphClient;
  worker: QueueWorker;
  sweepDeps: SweepDeps;
  /** The telephony logs' pull (log-pull.ts), on a client with the PSTN budget of its own. */
  logDeps: LogPullDeps;
}

/** The default budgets: Graph's limits counted over 20.5 s, so clock skew and latency never push a window over. */
export const DEFAULT_LIMITS: BudgetLimits = { ...GRAPH_LIMITS, windowMs: GRAPH_LIMITS.windowMs + 500 };

/** A name for this process in the database's leases: host, pid and a random part. */
export function instanceName(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/**
 * Builds the collector (Graph client with its token source and budgets, queue worker, sweep dependencies) on the
 * runtime's clock, fetch and log. 429s are counted in the database for the status.
 */
export function createCollector(
  config: SyncConfig,
  db: CallRecordDatabase,
  deps: RuntimeDeps,
  signal?: AbortSignal,
): Collector {
  const owner = instanceName();
  const tokens = config.tokens ?? msalTokenSource(config.credentials, deps.fetch);
  const client = new GraphClient({
    graphUrl: config.credentials.graphUrl,
    tokens,
    fetch: deps.fetch,
    clock: deps.clock,
    budget: new RequestBudget(config.limits ?? DEFAULT_LIMITS),
    log: deps.log,
    signal,
    onThrottled: (at) => void db.sync.recordEvents([{ kind: EVENT.throttled, at }]).catch(() => undefined),
  });
  // The same privacy rules as the ingest API and import: nothing a purge removed comes back through a fetch.
  const ingest = new IngestService(db.records, deps.clock, privacyHooks(db, deps.clock, config.euiiDays));
  const worker = new QueueWorker({
    sync: db.sync,
    ingest,
    client,
    clock: deps.clock,
    log: deps.log,
    owner,
    settings: config.worker,
    signal,
  });
  const sweepDeps: SweepDeps = { sync: db.sync, history: db.history, client, clock: deps.clock, log: deps.log, signal };
  const logClient = new GraphClient({
    graphUrl: config.credentials.graphUrl,
    tokens,
    fetch: deps.fetch,
    clock: deps.clock,
    budget: new RequestBudget(config.logLimits ?? PSTN_LIMITS),
    log: deps.log,
    signal,
    onThrottled: (at) => void db.sync.recordEvents([{ kind: EVENT.throttled, at }]).catch(() => undefined),
  });
  const logDeps: LogPullDeps = {
    client: logClient,
    graphUrl: config.credentials.graphUrl,
    logs: db.callLogs,
    sync: db.sync,
    clock: deps.clock,
    log: deps.log,
    settleMs: config.logSettleMs,
    signal,
    hooks: logPrivacyHooks(db, deps.clock, config.euiiDays),
  };
  return { owner, client, worker, sweepDeps, logDeps };
}

/**
 * The runtime jobs of `serve --sync`: `sync-queue` (the queue worker), `sync-sweep` (a sweep at start and every
 * `sweepIntervalMs`) and `sync-logs` (a pull of the telephony logs at start and every `sweepIntervalMs`). Both stop at once when the runtime stops; what they leave undone stays in the database.
 */
export function syncJobs(
  config: SyncConfig,
  db: CallRecordDatabase,
): { name: string; factory: (deps: RuntimeDeps) => BackgroundJob }[] {
  const controller = new AbortController();
  // Every wait of the worker and the client listens on this signal: many at once are expected.
  setMaxListeners(0, controller.signal);
  let collector: Collector | undefined;
  const collectorOf = (deps: RuntimeDeps) => (collector ??= createCollector(config, db, deps, controller.signal));
  return [
    {
      name: 'sync-queue',
      factory: (deps) => loopJob(controller, () => collectorOf(deps).worker.run()),
    },
    {
      name: 'sync-sweep',
      factory: (deps) =>
        loopJob(controller, async () => {
          const c = collectorOf(deps);
          if (config.backfillDays !== undefined) {
            try {
              await backfillOnce(c.sweepDeps, c.owner, config.backfillDays);
            } catch (error) {
              deps.log.error({ err: error }, 'sync: backfill failed; sweeps go on, a restart resumes it');
            }
          }
          while (!controller.signal.aborted) {
            const started = deps.clock.now().getTime();
            try {
              await periodicSweep(c.sweepDeps, c.owner);
            } catch (error) {
              deps.log.error({ err: error }, 'sync: sweep failed; the next one repairs it');
            }
            const wait = config.sweepIntervalMs - (deps.clock.now().getTime() - started);
            await sleep(deps.clock, wait, controller.signal);
          }
        }),
    },
    {
      // The telephony logs (issue 14): a pull of every kind at start and every sweep interval, from each kind's cursor.
      name: 'sync-logs',
      factory: (deps) =>
        loopJob(controller, async () => {
          const c = collectorOf(deps);
          while (!controller.signal.aborted) {
            const started = deps.clock.now().getTime();
            try {
              await pullAllLogs(c.logDeps, c.owner, config.backfillDays ?? FIRST_LOG_DAYS);
            } catch (error) {
              deps.log.error({ err: error }, 'sync: telephony log pull failed; the next one resumes it');
            }
            const wait = config.sweepIntervalMs - (deps.clock.now().getTime() - started);
            await sleep(deps.clock, wait, controller.signal);
          }
        }),
    },
  ];
}

/** How far back the first pull of a telephony log reaches without `--backfill-days`: one day, like a sweep. */
export const FIRST_LOG_DAYS = 1;

function loopJob(controller: AbortController, run: () => Promise<void>): BackgroundJob {
  let running: Promise<void> | undefined;
  return {
    start() {
      running ??= run();
    },
    async stop() {
      controller.abort();
      await running;
    },
  };
}
