import type { Clock } from '../clock.js';
import { toSortableUtc } from '../domain/datetime.js';
import { periodicJob } from '../runtime/periodic-job.js';
import type { JobFactory } from '../runtime/runtime.js';
import type { UpkeepStore } from '../storage/roles.js';

const DAY_MS = 86_400_000;

/** The store's part in retention: removing the records that ended before a cutoff. */
export type ExpiringStore = Pick<UpkeepStore, 'expire'>;

/** What one retention pass did. */
export interface RetentionPass {
  /** Records whose endDateTime was before this instant were removed. */
  cutoff: string;
  removed: number;
}

/**
 * Keeps the archive to `retainDays`: a record goes (with its sessions, participants and history) once its
 * endDateTime is more than that many days before now. The store does the removing in bounded batches.
 */
export class Retention {
  constructor(
    private readonly store: ExpiringStore,
    private readonly clock: Pick<Clock, 'now'>,
    readonly retainDays: number,
  ) {
    if (!Number.isInteger(retainDays) || retainDays < 1) throw new RangeError('retainDays must be a whole number ≥ 1');
  }

  /** The instant before which a record's end makes it expire. */
  cutoff(): string {
    return new Date(this.clock.now().getTime() - this.retainDays * DAY_MS).toISOString();
  }

  async runOnce(): Promise<RetentionPass> {
    const cutoff = this.cutoff();
    return { cutoff, removed: await this.store.expire(toSortableUtc(cutoff)!) };
  }
}

/**
 * The retention job: a pass at start and then every `intervalMs` of the runtime's clock, one at a time, each logged
 * ("retention pass done" with the cutoff and the count removed, or "retention pass failed"; another `label` than
 * `retention` names its lines).
 */
export function retentionJob(options: {
  store: ExpiringStore;
  retainDays: number;
  intervalMs: number;
  /** What the log lines call the pass (default `retention`; the telephony logs' job says `call-log retention`). */
  label?: string;
}): JobFactory {
  const { store, retainDays, intervalMs, label = 'retention' } = options;
  return ({ clock, log }) => {
    const retention = new Retention(store, clock, retainDays);
    return periodicJob({
      clock,
      intervalMs,
      run: async () => log.info({ retainDays, ...(await retention.runOnce()) }, `${label} pass done`),
      onError: (error) => log.error({ err: error }, `${label} pass failed`),
    });
  };
}
