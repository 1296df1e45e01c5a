import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Clock } from '../clock.js';
import { seededRandom } from '../generate/seeded-random.js';
import { createApp, type AppDeps } from '../http/create-app.js';
import { IngestService } from '../ingest/ingest-service.js';
import { periodicJob } from '../runtime/periodic-job.js';
import type { BackgroundJob } from '../runtime/runtime.js';
import type { CallRecordDatabase } from '../storage/roles.js';
import { TokenIssuer, type AppRegistration } from './app-registration.js';
import type { Faults } from './faults.js';
import { installGraphGuard } from './graph-guard.js';
import { RequestBudget } from './request-budget.js';
import { scaledClock } from './scaled-clock.js';
import { SimulatedTenant, type ChangeSink } from './simulated-tenant.js';
import { simulatorRoutes } from './simulator-routes.js';
import { tokenRoutes } from './token-routes.js';

/** Everything a simulator is built from; the CLI passes the options, tests a FakeClock and a fresh database. */
export interface SimulatorDeps extends Pick<AppDeps, 'bodyLimit' | 'logger' | 'https' | 'publicUrl' | 'timeouts'> {
  /** The archive the simulator serves from; records appear in it as the simulated time reaches them. */
  db: CallRecordDatabase;
  /** Real time: tokens, rate limits. */
  clock: Clock;
  /** How much faster than `clock` the simulated time runs (records appearing, notifications). */
  speed: number;
  faults: Faults;
  /** Share (0–1) of requests answered 503 and of notifications dropped, when those faults are on. */
  faultRate: number;
  seed: number;
  registration: AppRegistration;
  /** Where change notifications go (the subscriptions' delivery); none: they are counted and dropped. */
  sink?: ChangeSink | undefined;
}

/** A built simulator: the app to listen with, the tenant to load and tick, and the job that ticks it. */
export interface GraphSimulator {
  app: FastifyInstance;
  tenant: SimulatedTenant;
  /** The simulated time. */
  clock: Clock;
  /** Everything `/_simulator/stats` shows. */
  stats(): object;
  /** A runtime job that ticks the tenant every `intervalMs` of real time. */
  tickJob(intervalMs: number): BackgroundJob;
}

/** The key the simulator's access tokens are signed with, kept in the database so they outlive a restart. */
const TOKEN_KEY = 'simulator-token-key';

/**
 * Builds the Graph simulator: the archive's own app (`createApp`: Graph routes, paging, errors) over `db`, with
 * Graph's gatekeeping in front (tokens, limits, 503s: graph-guard.ts), the identity platform's token routes beside
 * it, a simulated tenant that writes each record version into `db` when its time comes, and `/_simulator` routes
 * for tests. See src/simulator/README.md.
 */
export async function createSimulator(deps: SimulatorDeps): Promise<GraphSimulator> {
  const simClock = scaledClock(deps.clock, deps.speed);
  const app = await createApp({ ...deps, clock: simClock });
  const key = await deps.db.meta.sharedSecret(TOKEN_KEY, () => randomBytes(32).toString('base64url'));
  const issuer = new TokenIssuer(Buffer.from(key, 'base64url'));
  let tokensIssued = 0;
  await app.register(tokenRoutes, {
    registration: deps.registration,
    issuer,
    clock: deps.clock,
    onIssued: () => tokensIssued++,
  });
  const budget = new RequestBudget(deps.clock, deps.faults['429']);
  const guard = installGraphGuard(app, {
    issuer,
    budget,
    faults: deps.faults,
    faultRate: deps.faultRate,
    rng: seededRandom((deps.seed ^ 0x1b873593) >>> 0),
    clock: deps.clock,
  });
  const tenant = new SimulatedTenant({
    ingest: new IngestService(deps.db.records, simClock),
    clock: simClock,
    faults: deps.faults,
    seed: deps.seed,
    faultRate: deps.faultRate,
    sink: deps.sink,
    log: app.log,
  });
  const stats = () => ({
    now: simClock.now().toISOString(),
    speed: deps.speed,
    faults: Object.keys(deps.faults).filter((f) => deps.faults[f as keyof Faults]),
    tokensIssued,
    graph: { ...guard, ...budget.stats() },
    tenant: tenant.stats(),
  });
  await app.register(simulatorRoutes, { prefix: '/_simulator', stats, records: deps.db.records });
  const tickJob = (intervalMs: number) =>
    periodicJob({
      clock: deps.clock,
      intervalMs,
      run: () => tenant.tick(),
      onError: (error) => app.log.error({ err: error }, 'simulator: a tick failed'),
    });
  return { app, tenant, clock: simClock, stats, tickJob };
}
