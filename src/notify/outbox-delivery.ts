import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import { periodicJob } from '../runtime/periodic-job.js';
import type { Fetch, JobFactory, RuntimeDeps, RuntimeLog } from '../runtime/runtime.js';
import type { SubscriptionStore } from '../storage/roles.js';
import type { ClaimedNotification } from '../storage/subscription-data.js';
import { deliverAll, type DeliveryPolicy } from './delivery-policy.js';
import { DEFAULT_TENANT_ID, notificationCollection, notificationItem } from './notification-shape.js';

/** Graph keeps retrying a notification for up to 4 hours, then drops it (https://learn.microsoft.com/graph/change-notifications-delivery-webhooks). */
export const GIVE_UP_MS = 4 * 60 * 60 * 1000;

/** How the delivery job works; every member has a default. */
export interface OutboxDeliveryOptions {
  /** The tenant id every notification carries (default DEFAULT_TENANT_ID). */
  tenantId?: string | undefined;
  /** Which notifications to send, drop or delay (default: send all; the Graph simulator injects its faults here). */
  policy?: DeliveryPolicy | undefined;
  /** Time between passes over the outbox (default 1 s). */
  intervalMs?: number | undefined;
  /** How long a claimed entry stays leased to this instance (default 60 s). */
  leaseMs?: number | undefined;
  /** The most notifications in one POST (default 100). */
  batchSize?: number | undefined;
  /** How long a subscriber has to answer a POST (default 10 s). */
  timeoutMs?: number | undefined;
  /** First retry delay, doubled per failed attempt up to `maxBackoffMs` (defaults 5 s and 5 min). */
  backoffMs?: number | undefined;
  maxBackoffMs?: number | undefined;
  /** How long after it was queued a notification is given up (default 4 hours). */
  giveUpMs?: number | undefined;
}

/** What one pass did, by notification. */
export interface DeliveryPass {
  delivered: number;
  retried: number;
  dropped: number;
}

const CLAIM_LIMIT = 500;

/**
 * Delivers the outbox: claims due notifications under a lease (so several instances never send one at once), drops
 * those whose subscription is gone or that waited past the give-up time, batches the rest per target URL (change
 * notifications to `notificationUrl`, lifecycle events to `lifecycleNotificationUrl`) and POSTs each batch. A 2xx
 * settles the batch; anything else (or no answer in time) schedules another attempt with doubling back-off, until
 * the give-up time, when it is dropped and logged.
 */
export class OutboxDelivery {
  private readonly owner = randomUUID();
  private readonly o: Required<OutboxDeliveryOptions>;

  constructor(
    private readonly store: SubscriptionStore,
    private readonly deps: { clock: Clock; fetch: Fetch; log: RuntimeLog },
    options: OutboxDeliveryOptions = {},
  ) {
    this.o = {
      tenantId: options.tenantId ?? DEFAULT_TENANT_ID,
      policy: options.policy ?? deliverAll,
      intervalMs: options.intervalMs ?? 1000,
      leaseMs: options.leaseMs ?? 60_000,
      batchSize: options.batchSize ?? 100,
      timeoutMs: options.timeoutMs ?? 10_000,
      backoffMs: options.backoffMs ?? 5000,
      maxBackoffMs: options.maxBackoffMs ?? 5 * 60_000,
      giveUpMs: options.giveUpMs ?? GIVE_UP_MS,
    };
  }

  /** Delivers everything due now, in rounds of claims, and says what happened. */
  async runOnce(): Promise<DeliveryPass> {
    const pass: DeliveryPass = { delivered: 0, retried: 0, dropped: 0 };
    for (;;) {
      const now = this.deps.clock.now();
      const leaseUntil = new Date(now.getTime() + this.o.leaseMs).toISOString();
      const claimed = await this.store.claim(this.owner, now.toISOString(), leaseUntil, CLAIM_LIMIT);
      if (claimed.length === 0) return pass;
      await this.deliver(claimed, now, pass);
      if (claimed.length < CLAIM_LIMIT) return pass;
    }
  }

  private async deliver(claimed: ClaimedNotification[], now: Date, pass: DeliveryPass): Promise<void> {
    const byTarget = new Map<string, ClaimedNotification[]>();
    const drop: string[] = [];
    for (const n of claimed) {
      const target =
        n.kind === 'lifecycle' ? n.subscription?.lifecycleNotificationUrl : n.subscription?.notificationUrl;
      const decision = this.o.policy(n);
      const late = now.getTime() - Date.parse(n.createdAt) > this.o.giveUpMs;
      if (n.subscription === undefined || target == null || late || decision.action === 'drop') {
        const why =
          n.subscription === undefined
            ? 'subscription gone'
            : target == null
              ? 'no lifecycle URL'
              : late
                ? 'given up'
                : decision.action === 'drop'
                  ? decision.reason
                  : '';
        this.deps.log.info({ notification: n.id, subscriptionId: n.subscriptionId, why }, 'notification dropped');
        drop.push(n.id);
      } else if (decision.action === 'delay') {
        await this.store.reschedule(this.owner, [n.id], new Date(now.getTime() + decision.ms).toISOString(), 'delayed');
      } else {
        byTarget.set(target, [...(byTarget.get(target) ?? []), n]);
      }
    }
    await this.store.settle(this.owner, drop);
    pass.dropped += drop.length;
    for (const [target, notifications] of byTarget) {
      for (let i = 0; i < notifications.length; i += this.o.batchSize) {
        await this.post(target, notifications.slice(i, i + this.o.batchSize), now, pass);
      }
    }
  }

  private async post(target: string, batch: ClaimedNotification[], now: Date, pass: DeliveryPass): Promise<void> {
    const body = notificationCollection(batch.map((n) => notificationItem(n, n.subscription!, this.o.tenantId)));
    const failure = await this.send(target, body);
    if (failure === undefined) {
      await this.store.settle(
        this.owner,
        batch.map((n) => n.id),
      );
      pass.delivered += batch.length;
      return;
    }
    this.deps.log.warn({ target, notifications: batch.length, failure }, 'notification delivery failed; will retry');
    const later = new Map<string, string[]>();
    const expired: string[] = [];
    for (const n of batch) {
      const deadline = Date.parse(n.createdAt) + this.o.giveUpMs;
      if (now.getTime() >= deadline) {
        expired.push(n.id);
        continue;
      }
      const wait = Math.min(this.o.maxBackoffMs, this.o.backoffMs * 2 ** n.attempts);
      const next = new Date(Math.min(now.getTime() + wait, deadline)).toISOString();
      later.set(next, [...(later.get(next) ?? []), n.id]);
    }
    for (const [next, ids] of later) await this.store.reschedule(this.owner, ids, next, failure);
    pass.retried += batch.length - expired.length;
    if (expired.length > 0) {
      this.deps.log.error(
        { target, notifications: expired.length, failure },
        'notifications dropped after retrying for 4 hours',
      );
      await this.store.settle(this.owner, expired);
      pass.dropped += expired.length;
    }
  }

  /** POSTs one batch; undefined when the subscriber accepted it (2xx), else what went wrong. */
  private async send(target: string, body: string): Promise<string | undefined> {
    const abort = new AbortController();
    const timer = this.deps.clock.setTimeout(() => abort.abort(), this.o.timeoutMs, { unref: true });
    try {
      const response = await this.deps.fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body,
        // A redirect counts as a failed delivery, never followed (the subscription's URL was validated, its target not).
        redirect: 'manual',
        signal: abort.signal,
      });
      await response.arrayBuffer().catch(() => undefined);
      return response.ok ? undefined : `HTTP ${response.status}`;
    } catch (error) {
      return abort.signal.aborted ? `no answer within ${this.o.timeoutMs} ms` : (error as Error).message;
    } finally {
      timer.cancel();
    }
  }
}

/**
 * The outbox delivery job: a pass at start and then every `intervalMs` of the runtime's clock (one at a time), over
 * the runtime's fetch; a failed pass is logged and the next runs as planned.
 */
export function outboxDeliveryJob(store: SubscriptionStore, options: OutboxDeliveryOptions = {}): JobFactory {
  return (deps: RuntimeDeps) => {
    const delivery = new OutboxDelivery(store, deps, options);
    return periodicJob({
      clock: deps.clock,
      intervalMs: options.intervalMs ?? 1000,
      run: async () => void (await delivery.runOnce()),
      onError: (error) => deps.log.error({ err: error }, 'notification delivery pass failed'),
    });
  };
}
