import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Clock } from '../clock.js';
import { seededRandom } from '../generate/seeded-random.js';
import { createApp, type AppDeps } from '../http/create-app.js';
import { IngestService } from '../ingest/ingest-service.js';
import type { DeliveryPolicy } from '../notify/delivery-policy.js';
import { OutboxDelivery } from '../notify/outbox-delivery.js';
import { periodicJob } from '../runtime/periodic-job.js';
import type { BackgroundJob, JobFactory, RuntimeDeps } from '../runtime/runtime.js';
import type { CallRecordDatabase } from '../storage/roles.js';
import { TokenIssuer, type AppRegistration } from './app-registration.js';
import type { Faults } from './faults.js';
import { installGraphGuard } from './graph-guard.js';
import {
  countingFetch,
  emptyNotificationStats,
  simulatorPolicy,
  type NotificationStats,
} from './notification-faults.js';
import { RequestBudget, type BudgetStats } from './request-budget.js';
import { SimulatedTenant, type TenantStats } from './simulated-tenant.js';
import type { GuardStats } from './graph-guard.js';
import { simulatorRoutes } from './simulator-routes.js';
import { tokenRoutes } from './token-routes.js';

/** Everything a simulator is built from; the CLI passes the options, tests a FakeClock and a fresh database. */
export interface SimulatorDeps extends Pick<
  AppDeps,
  'bodyLimit' | 'logger' | 'https' | 'publicUrl' | 'timeouts' | 'fetch'
> {
  /** The archive the simulator serves from; records appear in it as their time comes. */
  db: CallRecordDatabase;
  clock: Clock;
  /** Waits after a call's end (records appearing, new versions, lifecycle events) are divided by this. */
  speed: number;
  faults: Faults;
  /** Share (0–1) of requests answered 503 and of notifications dropped, when those faults are on. */
  faultRate: number;
  seed: number;
  registration: AppRegistration;
}

/** A built simulator: the app to listen with, the tenant to load and tick, and its jobs. */
export interface GraphSimulator {
  app: FastifyInstance;
  tenant: SimulatedTenant;
  /** The outbox policy with the simulator's notification faults. */
  policy: DeliveryPolicy;
  /** Everything `/_simulator/stats` shows. */
  stats(): Promise<SimulatorStats>;
  /** The outbox delivery with the simulator's faults, its POSTs counted (tests run `runOnce()` themselves). */
  delivery(deps: Pick<RuntimeDeps, 'clock' | 'fetch' | 'log'>): OutboxDelivery;
  /** A runtime job that ticks the tenant every `intervalMs`. */
  tickJob(intervalMs: number): BackgroundJob;
  /** The runtime job that delivers notifications from the outbox, with the simulator's faults, counted. */
  deliveryJob(intervalMs?: number): JobFactory;
}

/** What `/_simulator/stats` shows. */
export interface SimulatorStats {
  now: string;
  speed: number;
  faults: string[];
  tokensIssued: number;
  /** Graph requests: by status, and the busiest 20 s windows (request-budget.ts). */
  graph: GuardStats & BudgetStats;
  tenant: TenantStats;
  notifications: NotificationStats & { outboxDepth: number };
}

/** The key the simulator's access tokens are signed with, kept in the database so they outlive a restart. */
const TOKEN_KEY = 'simulator-token-key';

/**
 * Builds the Graph simulator: the archive's own app (`createApp`: Graph routes, paging, errors, subscriptions) over
 * `db`, with Graph's gatekeeping in front (tokens, limits, 503s: graph-guard.ts), the identity platform's token
 * routes beside it, a simulated tenant that writes each record version into `db` when its time comes, the outbox
 * delivery with the notification faults, and `/_simulator` routes for tests. See src/simulator/README.md.
 */
export async function createSimulator(deps: SimulatorDeps): Promise<GraphSimulator> {
  const { clock, faults } = deps;
  const app = await createApp(deps);
  const key = await deps.db.meta.sharedSecret(TOKEN_KEY, () => randomBytes(32).toString('base64url'));
  const issuer = new TokenIssuer(Buffer.from(key, 'base64url'));
  let tokensIssued = 0;
  await app.register(tokenRoutes, {
    registration: deps.registration,
    issuer,
    clock,
    onIssued: () => tokensIssued++,
  });
  const budget = new RequestBudget(clock, faults['429']);
  const guard = installGraphGuard(app, {
    issuer,
    budget,
    faults,
    faultRate: deps.faultRate,
    rng: seededRandom((deps.seed ^ 0x1b873593) >>> 0),
    clock,
  });
  const tenant = new SimulatedTenant({
    ingest: new IngestService(deps.db.records, clock),
    subscriptions: deps.db.subscriptions,
    clock,
    faults,
    seed: deps.seed,
    speed: deps.speed,
    log: app.log,
  });
  const notifications = emptyNotificationStats();
  const policy = simulatorPolicy(tenant, faults, deps.faultRate, deps.seed, notifications);
  const stats = async (): Promise<SimulatorStats> => ({
    now: clock.now().toISOString(),
    speed: deps.speed,
    faults: Object.keys(faults).filter((f) => faults[f as keyof Faults]),
    tokensIssued,
    graph: { ...guard, ...budget.stats() },
    tenant: tenant.stats(),
    notifications: { ...notifications, outboxDepth: await deps.db.subscriptions.outboxDepth() },
  });
  const delivery = (runtimeDeps: Pick<RuntimeDeps, 'clock' | 'fetch' | 'log'>) =>
    new OutboxDelivery(
      deps.db.subscriptions,
      { ...runtimeDeps, fetch: countingFetch(runtimeDeps.fetch, notifications) },
      { tenantId: deps.registration.tenantId, policy },
    );
  await app.register(simulatorRoutes, { prefix: '/_simulator', stats, records: deps.db.records });
  return {
    app,
    tenant,
    policy,
    stats,
    tickJob: (intervalMs) =>
      periodicJob({
        clock,
        intervalMs,
        run: () => tenant.tick(),
        onError: (error) => app.log.error({ err: error }, 'simulator: a tick failed'),
      }),
    delivery,
    deliveryJob:
      (intervalMs = 1000) =>
      (runtimeDeps) => {
        const outbox = delivery(runtimeDeps);
        return periodicJob({
          clock: runtimeDeps.clock,
          intervalMs,
          run: async () => void (await outbox.runOnce()),
          onError: (error) => runtimeDeps.log.error({ err: error }, 'simulator: a notification pass failed'),
        });
      },
  };
}
