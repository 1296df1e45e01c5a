import type { Clock } from '../clock.js';
import { toSortableUtc } from '../domain/datetime.js';
import type { UpkeepStore } from '../storage/roles.js';

const DAY_MS = 86_400_000;

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
    private readonly store: UpkeepStore,
    private readonly clock: Clock,
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

/** A retention pass now and then every `intervalMs`, one at a time; `stop()` waits for a running pass. */
export function scheduleRetention(
  retention: Retention,
  intervalMs: number,
  report: (outcome: RetentionPass | Error) => void,
): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const pass = () => {
    running = retention.runOnce().then(report, (error: unknown) => report(error as Error));
  };
  pass();
  const timer = setInterval(() => {
    if (!stopped) void running.then(pass);
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
