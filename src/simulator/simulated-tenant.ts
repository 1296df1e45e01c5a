import type { Clock } from '../clock.js';
import type { IngestService } from '../ingest/ingest-service.js';
import type { SubscriptionStore } from '../storage/roles.js';
import { outboxId, type OutboxEntry, type StoredSubscription } from '../storage/subscription-data.js';
import type { Faults } from './faults.js';
import { earlyNoticeTime, releaseTime, Timeline, type PlannedNotice, type PlannedRelease } from './release-plan.js';

/** Options of a SimulatedTenant. */
export interface TenantOptions {
  /** Writes versions into the archive the simulator serves from (which queues their notifications). */
  ingest: IngestService;
  /** The subscriptions, for early `created` notifications and lifecycle events. */
  subscriptions: SubscriptionStore;
  clock: Clock;
  faults: Faults;
  seed: number;
  /** Waits after a call's end are divided by this (`--speed`). */
  speed: number;
  log?: { warn(obj: object, msg: string): void } | undefined;
}

/** What the tenant has done so far, for `/_simulator/stats`. */
export interface TenantStats {
  /** Record versions written into the archive (visible to Graph clients). */
  versionsReleased: number;
  /** Record versions still waiting for their time. */
  versionsPending: number;
  /** Versions the archive refused (not valid records); they never become visible. */
  versionsRefused: number;
  /** `created` notifications queued before the record was readable (the `404` fault). */
  announcedEarly: number;
  /** `reauthorizationRequired` lifecycle events queued (the `reauth` fault). */
  reauthorizationsRequested: number;
}

/** The suffix of the outbox ids of early `created` notifications, so the delivery policy can tell them apart. */
export const EARLY_SUFFIX = '/announced-early';

/** How often each subscription with a lifecycle URL is asked to reauthorize (the `reauth` fault), before `speed`. */
export const REAUTH_EVERY_MS = 60 * 60_000;

const BATCH = 200;

/**
 * The simulated tenant: every record version waits for its release time (release-plan.ts) and is then written into
 * the archive through the ordinary ingest path, so what Graph clients read is the archive itself, and the archive's
 * outbox queues the `created`/`updated` notifications as for any write. With the `404` fault a record is announced
 * before it can be read (an early `created`; the archive's own later one is then left out by the delivery policy);
 * with `reauth` every subscription is asked to reauthorize now and then. Versions due when they are loaded are
 * written at once (before anyone could have subscribed).
 */
export class SimulatedTenant {
  readonly #o: TenantOptions;
  readonly #releases = new Timeline<PlannedRelease>();
  readonly #notices = new Timeline<PlannedNotice>();
  readonly #planned = new Set<string>();
  /** `subscriptionId recordId` of every early `created` queued. */
  readonly #announced = new Set<string>();
  readonly #lastReauth = new Map<string, number>();
  #stats = { versionsReleased: 0, versionsRefused: 0, announcedEarly: 0, reauthorizationsRequested: 0 };
  #ticking: Promise<void> = Promise.resolve();

  constructor(options: TenantOptions) {
    this.#o = options;
  }

  /** Plans every record of `records`, writing the ones already due; resolves when those are written. */
  async load(records: Iterable<Record<string, unknown>> | AsyncIterable<Record<string, unknown>>): Promise<void> {
    const { faults, seed, speed } = this.#o;
    const now = this.#o.clock.now().getTime();
    let batch: Record<string, unknown>[] = [];
    for await (const record of records) {
      const at = releaseTime(record, faults, seed, speed);
      if (at === undefined) {
        this.#stats.versionsRefused++;
        continue;
      }
      const id = record.id as string;
      const first = !this.#planned.has(id);
      this.#planned.add(id);
      if (at <= now) {
        batch.push(record);
        if (batch.length >= BATCH) batch = await this.#write(batch);
        continue;
      }
      this.#releases.add({ id, record, at });
      const noticeAt = faults['404'] && first ? earlyNoticeTime(record, seed, speed) : undefined;
      if (noticeAt !== undefined && noticeAt > now && noticeAt < at) this.#notices.add({ id, at: noticeAt });
    }
    await this.#write(batch);
  }

  /** Writes the versions and queues the notifications that are due by now; one tick at a time. */
  tick(): Promise<void> {
    this.#ticking = this.#ticking.then(() => this.#tick());
    return this.#ticking;
  }

  /** Whether the archive's own `created` for this subscription and record repeats an early one (to leave out). */
  announcedEarly(subscriptionId: string, recordId: string): boolean {
    return this.#announced.has(`${subscriptionId} ${recordId}`);
  }

  stats(): TenantStats {
    return { ...this.#stats, versionsPending: this.#releases.size };
  }

  async #tick(): Promise<void> {
    const now = this.#o.clock.now();
    const notices = this.#notices.takeDue(now.getTime());
    const needLive = notices.length > 0 || this.#o.faults.reauth;
    const live = needLive ? await this.#liveSubscriptions(now) : [];
    if (notices.length > 0) await this.#announce(notices, live, now);
    const due = this.#releases.takeDue(now.getTime()).map((r) => r.record);
    for (let i = 0; i < due.length; i += BATCH) await this.#write(due.slice(i, i + BATCH));
    if (this.#o.faults.reauth) await this.#askReauthorization(live, now);
  }

  async #liveSubscriptions(now: Date): Promise<StoredSubscription[]> {
    return (await this.#o.subscriptions.list()).filter(
      (s) => Date.parse(s.expirationDateTime) > now.getTime() && /communications\/callRecords$/i.test(s.resource),
    );
  }

  async #announce(notices: readonly PlannedNotice[], live: readonly StoredSubscription[], now: Date): Promise<void> {
    const at = now.toISOString();
    const entries: OutboxEntry[] = [];
    for (const notice of notices) {
      for (const sub of live) {
        const types = sub.changeType.split(',').map((t) => t.trim());
        // Graph: creating a call record also triggers `updated`, for a subscription that asked only for that.
        const changeType = types.includes('created') ? 'created' : types.includes('updated') ? 'updated' : undefined;
        if (changeType === undefined) continue;
        entries.push({
          id: `${outboxId(at)}${EARLY_SUFFIX}`,
          subscriptionId: sub.id,
          kind: 'change',
          changeType,
          resourceId: notice.id,
          createdAt: at,
          nextAttempt: at,
        });
        this.#announced.add(`${sub.id} ${notice.id}`);
      }
    }
    if (entries.length === 0) return;
    await this.#o.subscriptions.enqueue(entries);
    this.#stats.announcedEarly += entries.length;
  }

  async #askReauthorization(live: readonly StoredSubscription[], now: Date): Promise<void> {
    const at = now.toISOString();
    const every = REAUTH_EVERY_MS / this.#o.speed;
    const entries: OutboxEntry[] = [];
    for (const sub of live) {
      if (sub.lifecycleNotificationUrl === null) continue;
      const last = this.#lastReauth.get(sub.id) ?? Date.parse(sub.createdAt);
      if (now.getTime() - last < every) continue;
      this.#lastReauth.set(sub.id, now.getTime());
      entries.push({
        id: outboxId(at),
        subscriptionId: sub.id,
        kind: 'lifecycle',
        lifecycleEvent: 'reauthorizationRequired',
        createdAt: at,
        nextAttempt: at,
      });
    }
    if (entries.length === 0) return;
    await this.#o.subscriptions.enqueue(entries);
    this.#stats.reauthorizationsRequested += entries.length;
  }

  async #write(records: Record<string, unknown>[]): Promise<Record<string, unknown>[]> {
    if (records.length === 0) return [];
    const outcomes = await this.#o.ingest.ingest(records.map((value) => ({ value })));
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') {
        this.#stats.versionsRefused++;
        this.#o.log?.warn({ id: outcome.id, reason: outcome.reason }, 'simulator: a record was refused');
      } else this.#stats.versionsReleased++;
    }
    return [];
  }
}
