import type { Clock } from '../clock.js';
import { toSortableUtc } from '../domain/datetime.js';
import { periodicJob } from '../runtime/periodic-job.js';
import type { JobFactory } from '../runtime/runtime.js';
import { toRecordWrite } from '../service/record-fragments.js';
import type { LogPrivacyStore, PrivacyStore } from '../storage/roles.js';
import type { RecordWrite } from '../storage/store.js';
import { scrubEuii } from './euii.js';
import { LogEuiiPurge } from './log-purge.js';

const DAY_MS = 86_400_000;
/** Records rewritten per transaction: short enough that writers barely wait. */
export const PURGE_BATCH = 100;

/** What one purge pass did. */
export interface PurgePass {
  /** Records whose endDateTime was before this instant were scrubbed. */
  cutoff: string;
  purged: number;
}

/** A stored body scrubbed and cut again into what the store keeps (the same path a write takes). */
export function scrubbedWrite(rawJson: string): RecordWrite {
  return toRecordWrite(scrubEuii(JSON.parse(rawJson) as Record<string, unknown>), false);
}

/**
 * Removes end-user identifiable information (src/privacy/euii.ts, docs/privacy.md) from records older than
 * `euiiDays` — their current version and every stored version — in batches, each its own short transaction, marking
 * each record so it is not scanned again. One person's erasure on request is `Erasures` (erasures.ts).
 */
export class EuiiPurge {
  constructor(
    private readonly store: PrivacyStore,
    private readonly clock: Pick<Clock, 'now'>,
    readonly euiiDays?: number,
  ) {
    if (euiiDays !== undefined && (!Number.isInteger(euiiDays) || euiiDays < 1))
      throw new RangeError('euiiDays must be a whole number ≥ 1');
  }

  /** The instant before which a record's end makes its EUII go; undefined when no age is set. */
  cutoff(): string | undefined {
    if (this.euiiDays === undefined) return undefined;
    return new Date(this.clock.now().getTime() - this.euiiDays * DAY_MS).toISOString();
  }

  /**
   * Whether a record about to be written is past the cutoff, and so must be stored scrubbed: an older version
   * ingested after the purge then hashes like the scrubbed one already stored and brings nothing back.
   */
  mustScrubOnWrite(record: { endDateTime?: unknown }): boolean {
    const cutoff = this.cutoff();
    return (
      cutoff !== undefined &&
      typeof record.endDateTime === 'string' &&
      Date.parse(record.endDateTime) < Date.parse(cutoff)
    );
  }

  /** Scrubs a validated record in place when it is past the cutoff (`mustScrubOnWrite`); for the ingest service. */
  scrubIfDue = (record: Record<string, unknown>): void => {
    if (this.mustScrubOnWrite(record)) scrubEuii(record);
  };

  /** One pass: every record past the cutoff and not yet purged, in batches; then forgets marks of removed records. */
  async runOnce(batchSize = PURGE_BATCH): Promise<PurgePass> {
    const cutoff = this.cutoff();
    if (cutoff === undefined) throw new Error('no --euii-days set');
    const cutoffKey = toSortableUtc(cutoff)!;
    const purgedAt = this.clock.now().toISOString();
    let purged = 0;
    for (;;) {
      const ids = await this.store.unpurged(cutoffKey, batchSize);
      if (ids.length > 0) purged += await this.store.rewrite(ids, scrubbedWrite, purgedAt);
      if (ids.length < batchSize) break;
    }
    await this.store.forgetRemoved();
    return { cutoff, purged };
  }
}

/**
 * The privacy purge job: a pass at start and then every `intervalMs` of the runtime's clock, one at a time, each
 * logged ("euii purge pass done" with the cutoff and the count, or "euii purge pass failed").
 */
export function euiiPurgeJob(options: {
  store: PrivacyStore;
  euiiDays: number;
  intervalMs: number;
  /** The telephony logs, purged by the same pass with the same cutoff (log-purge.ts); `logRows` in the log line. */
  logs?: LogPrivacyStore | undefined;
}): JobFactory {
  const { store, euiiDays, intervalMs, logs } = options;
  return ({ clock, log }) => {
    const purge = new EuiiPurge(store, clock, euiiDays);
    const logPurge = logs === undefined ? undefined : new LogEuiiPurge(logs, clock);
    const pass = async () => {
      const done = await purge.runOnce();
      if (logPurge === undefined) return done;
      return { ...done, logRows: await logPurge.purgeOlderThan(done.cutoff) };
    };
    return periodicJob({
      clock,
      intervalMs,
      run: async () => log.info({ euiiDays: purge.euiiDays, ...(await pass()) }, 'euii purge pass done'),
      onError: (error) => log.error({ err: error }, 'euii purge pass failed'),
    });
  };
}
