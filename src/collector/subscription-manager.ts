import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import { periodicJob } from '../runtime/periodic-job.js';
import type { BackgroundJob, JobFactory, RuntimeLog } from '../runtime/runtime.js';
import type { MetaStore, SyncStateStore } from '../storage/roles.js';
import type { GraphSubscriptions } from './graph-subscriptions.js';
import { newClientState } from './notification-intake.js';
import {
  CLIENT_STATE_SECRET,
  SUBSCRIPTION_LEASE,
  WEBHOOK_STATE,
  webhookUrls,
  type WebhookUrls,
} from './webhook-config.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/**
 * The expiry asked for: 4,200 of the 4,230 minutes Graph allows for call records
 * (https://learn.microsoft.com/graph/api/resources/subscription#subscription-lifetime), leaving room for clock skew.
 */
export const SUBSCRIPTION_LIFETIME_MS = 4200 * MINUTE;
/**
 * How far back before the last moment the subscription was known to work a sweep starts after a gap: records appear
 * up to hours after their call ends and the sweep lists by startDateTime, so a day of overlap is kept.
 */
export const GAP_MARGIN_MS = 24 * HOUR;

/** What the manager keeps under WEBHOOK_STATE.subscription (shown by `GET /api/sync/status`). */
export interface SubscriptionState {
  id: string;
  expirationDateTime: string;
  notificationUrl: string;
  lifecycleNotificationUrl: string;
  createdDateTime: string;
  /** The last time Graph confirmed the subscription (created, renewed or reauthorized). */
  verifiedDateTime: string;
}

/** How the subscription manager works. */
export interface SubscriptionManagerOptions {
  /** The `--notification-url` base. */
  notificationBase: string;
  graph: GraphSubscriptions;
  sync: Pick<SyncStateStore, 'acquireLease' | 'releaseLease' | 'getState' | 'setState'>;
  meta: Pick<MetaStore, 'sharedSecret'>;
  /** Time between passes (default 1 minute). */
  intervalMs?: number | undefined;
  /** Renew once less than this is left (default 24 hours). */
  renewBeforeMs?: number | undefined;
}

/** What one pass did. */
export type ManagerPass = 'standby' | 'created' | 'recreated' | 'renewed' | 'reauthorized' | 'unchanged';

/**
 * Keeps exactly one Graph subscription to `/communications/callRecords` (`created,updated`) for all instances on
 * one database: only the holder of the DB lease SUBSCRIPTION_LEASE acts. Each pass creates the subscription if
 * there is none (or the notification URL changed), answers a `reauthorizationRequired` lifecycle event by
 * reauthorizing, renews before expiry, and recreates a subscription Graph no longer has (404, or
 * `subscriptionRemoved`) — then asks for a sweep of the gap by moving the sweep cursor back. A `missed` event asks
 * for a sweep as well. Every change is logged.
 */
export class SubscriptionManager {
  private readonly owner = randomUUID();
  private readonly urls: WebhookUrls;
  private readonly intervalMs: number;
  private readonly renewBeforeMs: number;

  constructor(
    private readonly options: SubscriptionManagerOptions,
    private readonly deps: { clock: Clock; log: RuntimeLog },
  ) {
    this.urls = webhookUrls(options.notificationBase);
    this.intervalMs = options.intervalMs ?? MINUTE;
    this.renewBeforeMs = options.renewBeforeMs ?? 24 * HOUR;
  }

  /** One pass; a call while a pass of this manager is under way shares that pass. */
  runOnce(): Promise<ManagerPass> {
    this.running ??= this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  private running: Promise<ManagerPass> | undefined;

  private async pass(): Promise<ManagerPass> {
    const { sync } = this.options;
    const now = this.deps.clock.now();
    // The lease outlives a missed pass or two, and is renewed by every pass of its holder.
    if (!(await sync.acquireLease(SUBSCRIPTION_LEASE, this.owner, now.getTime(), 3 * this.intervalMs)))
      return 'standby';
    const state = parsed<SubscriptionState>(await sync.getState(WEBHOOK_STATE.subscription));
    if (state === undefined || state.notificationUrl !== this.urls.notificationUrl) {
      await this.create(state, 'created');
      return 'created';
    }
    const lifecycleText = await sync.getState(WEBHOOK_STATE.lifecycle);
    const lifecycle = parsed<{ lifecycleEvent: string; subscriptionId?: string; at: string }>(lifecycleText);
    if (lifecycle !== undefined) {
      // Taken once: cleared only if no newer event replaced it meanwhile.
      await sync.setState(WEBHOOK_STATE.lifecycle, '', lifecycleText);
      const pass = await this.onLifecycle(state, lifecycle);
      if (pass !== undefined) return pass;
    }
    if (Date.parse(state.expirationDateTime) - now.getTime() > this.renewBeforeMs) return 'unchanged';
    const expirationDateTime = this.expiry();
    if ((await this.options.graph.renew(state.id, expirationDateTime)) === 'gone') {
      this.deps.log.warn({ subscriptionId: state.id }, 'Graph subscription gone on renewal (404); recreating it');
      await this.create(state, 'recreated');
      return 'recreated';
    }
    await this.save({ ...state, expirationDateTime, verifiedDateTime: now.toISOString() });
    this.deps.log.info({ subscriptionId: state.id, expirationDateTime }, 'Graph subscription renewed');
    return 'renewed';
  }

  /** Lets another instance take over at once; called when the job stops. */
  async release(): Promise<void> {
    await this.options.sync.releaseLease(SUBSCRIPTION_LEASE, this.owner);
  }

  private async onLifecycle(
    state: SubscriptionState,
    event: { lifecycleEvent: string; subscriptionId?: string; at: string },
  ): Promise<ManagerPass | undefined> {
    if (event.subscriptionId !== undefined && event.subscriptionId !== state.id) return undefined;
    if (event.lifecycleEvent === 'missed') {
      await this.requestSweep(Date.parse(event.at) - GAP_MARGIN_MS);
      return undefined;
    }
    if (event.lifecycleEvent === 'reauthorizationRequired') {
      if ((await this.options.graph.reauthorize(state.id)) === 'reauthorized') {
        await this.save({ ...state, verifiedDateTime: this.deps.clock.now().toISOString() });
        this.deps.log.info({ subscriptionId: state.id }, 'Graph subscription reauthorized');
        return 'reauthorized';
      }
    }
    this.deps.log.warn(
      { subscriptionId: state.id, event: event.lifecycleEvent },
      'Graph subscription gone; recreating it',
    );
    await this.create(state, 'recreated');
    return 'recreated';
  }

  private async create(previous: SubscriptionState | undefined, why: 'created' | 'recreated'): Promise<void> {
    const clientState = await this.options.meta.sharedSecret(CLIENT_STATE_SECRET, newClientState);
    const created = await this.options.graph.create({
      changeType: 'created,updated',
      notificationUrl: this.urls.notificationUrl,
      lifecycleNotificationUrl: this.urls.lifecycleNotificationUrl,
      resource: '/communications/callRecords',
      expirationDateTime: this.expiry(),
      clientState,
    });
    const now = this.deps.clock.now().toISOString();
    await this.save({
      id: created.id,
      expirationDateTime: created.expirationDateTime,
      notificationUrl: this.urls.notificationUrl,
      lifecycleNotificationUrl: this.urls.lifecycleNotificationUrl,
      createdDateTime: now,
      verifiedDateTime: now,
    });
    this.deps.log.info(
      {
        subscriptionId: created.id,
        expirationDateTime: created.expirationDateTime,
        notificationUrl: this.urls.notificationUrl,
      },
      why === 'created' ? 'Graph subscription created' : 'Graph subscription recreated',
    );
    // Notifications may have been lost between the last confirmation and now: a sweep from before then repairs it.
    if (previous !== undefined) await this.requestSweep(Date.parse(previous.verifiedDateTime) - GAP_MARGIN_MS);
  }

  /**
   * Asks the sweeper (SYNC's, which lists from its cursor on) to list again from `since`: the cursor is moved back,
   * never forward, with compare-and-set so a sweep that moves it meanwhile is not overwritten.
   */
  private async requestSweep(since: number): Promise<void> {
    const { sync } = this.options;
    const from = new Date(since).toISOString();
    for (let attempt = 0; attempt < 3; attempt++) {
      const cursor = await sync.getState(WEBHOOK_STATE.sweepCursor);
      if (cursor !== undefined && cursor !== '' && cursor <= from) return;
      if (await sync.setState(WEBHOOK_STATE.sweepCursor, from, cursor ?? null)) {
        this.deps.log.info({ from }, 'sweep of the notification gap requested');
        return;
      }
    }
  }

  private expiry(): string {
    return new Date(this.deps.clock.now().getTime() + SUBSCRIPTION_LIFETIME_MS).toISOString();
  }

  private async save(state: SubscriptionState): Promise<void> {
    await this.options.sync.setState(WEBHOOK_STATE.subscription, JSON.stringify(state));
  }
}

/**
 * The subscription manager as a runtime job: a pass at start and then every `intervalMs` (default 1 minute); a
 * failed pass is logged and the next runs as planned. Stopping releases the lease.
 */
export function subscriptionManagerJob(options: SubscriptionManagerOptions): JobFactory {
  return ({ clock, log }): BackgroundJob => {
    const manager = new SubscriptionManager(options, { clock, log });
    const job = periodicJob({
      clock,
      intervalMs: options.intervalMs ?? MINUTE,
      run: async () => void (await manager.runOnce()),
      onError: (error) => log.error({ err: error }, 'Graph subscription pass failed'),
    });
    return {
      start: () => job.start(),
      stop: async () => {
        await job.stop();
        await manager.release().catch(() => undefined);
      },
    };
  };
}

function parsed<T>(text: string | undefined): T | undefined {
  if (text === undefined || text === '') return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}
