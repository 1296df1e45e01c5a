import type { Clock } from '../clock.js';
import { seededRandom, type SeededRandom } from '../generate/seeded-random.js';
import type { IngestService } from '../ingest/ingest-service.js';
import type { Faults } from './faults.js';
import { createdNoticeTime, releaseTime, Timeline, type PlannedNotice, type PlannedRelease } from './release-plan.js';

/** A change to announce to subscribers, as Graph's notification names it. */
export interface RecordChange {
  id: string;
  changeType: 'created' | 'updated';
}

/** Where the tenant's change notifications go (the subscriptions' delivery); the tenant has already applied `drop`. */
export interface ChangeSink {
  publish(changes: readonly RecordChange[]): Promise<void>;
}

/** Options of a SimulatedTenant. */
export interface TenantOptions {
  /** Writes versions into the archive the simulator serves from. */
  ingest: IngestService;
  /** Simulated time (see scaled-clock.ts). */
  clock: Clock;
  faults: Faults;
  seed: number;
  /** Share (0–1) of notifications dropped when the `drop` fault is on. */
  faultRate: number;
  sink?: ChangeSink | undefined;
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
  notificationsPublished: number;
  notificationsDropped: number;
  notificationsPending: number;
}

const BATCH = 200;

/**
 * The simulated tenant: every record version waits for its release time (release-plan.ts) and is then written into
 * the archive through the ordinary ingest path, so what Graph clients read is the archive itself; change
 * notifications are handed to the sink at their own times, some dropped when the `drop` fault is on. Versions due
 * when they are loaded are written at once, without notifications (they happened before anyone subscribed).
 */
export class SimulatedTenant {
  readonly #o: TenantOptions;
  readonly #releases = new Timeline<PlannedRelease>();
  readonly #notices = new Timeline<PlannedNotice>();
  readonly #planned = new Set<string>();
  readonly #rng: SeededRandom;
  #stats: Omit<TenantStats, 'versionsPending' | 'notificationsPending'> = {
    versionsReleased: 0,
    versionsRefused: 0,
    notificationsPublished: 0,
    notificationsDropped: 0,
  };
  #ticking: Promise<void> = Promise.resolve();

  constructor(options: TenantOptions) {
    this.#o = options;
    this.#rng = seededRandom((options.seed ^ 0x2545f491) >>> 0);
  }

  /** Plans every record of `records`, writing the ones already due; resolves when those are written. */
  async load(records: Iterable<Record<string, unknown>> | AsyncIterable<Record<string, unknown>>): Promise<void> {
    const now = this.#o.clock.now().getTime();
    let batch: Record<string, unknown>[] = [];
    for await (const record of records) {
      const at = releaseTime(record, this.#o.faults, this.#o.seed);
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
      const noticeAt = first ? createdNoticeTime(record, this.#o.faults, this.#o.seed, at) : at;
      if (noticeAt > now) this.#notices.add({ id, at: noticeAt, changeType: first ? 'created' : 'updated' });
    }
    await this.#write(batch);
  }

  /** Writes the versions and sends the notifications that are due by now; one tick at a time. */
  tick(): Promise<void> {
    this.#ticking = this.#ticking.then(() => this.#tick());
    return this.#ticking;
  }

  /** The instant (simulated) of the next release or notification, if any. */
  nextAt(): number | undefined {
    const [a, b] = [this.#releases.nextAt(), this.#notices.nextAt()];
    return a === undefined ? b : b === undefined ? a : Math.min(a, b);
  }

  stats(): TenantStats {
    return { ...this.#stats, versionsPending: this.#releases.size, notificationsPending: this.#notices.size };
  }

  async #tick(): Promise<void> {
    const now = this.#o.clock.now().getTime();
    const due = this.#releases.takeDue(now).map((r) => r.record);
    for (let i = 0; i < due.length; i += BATCH) await this.#write(due.slice(i, i + BATCH));
    const changes: RecordChange[] = [];
    for (const notice of this.#notices.takeDue(now)) {
      if (this.#o.faults.drop && this.#rng.chance(this.#o.faultRate)) this.#stats.notificationsDropped++;
      else changes.push({ id: notice.id, changeType: notice.changeType });
    }
    if (changes.length === 0 || this.#o.sink === undefined) return;
    try {
      await this.#o.sink.publish(changes);
      this.#stats.notificationsPublished += changes.length;
    } catch (error) {
      this.#o.log?.warn({ err: error, count: changes.length }, 'simulator: notifications could not be queued');
    }
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
