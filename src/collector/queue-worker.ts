import type { Clock } from '../clock.js';
import type { IngestService } from '../ingest/ingest-service.js';
import type { RuntimeLog } from '../runtime/runtime.js';
import type { SyncStateStore } from '../storage/roles.js';
import type { ClaimedItem } from '../storage/sync-state.js';
import { GraphRequestError, type GraphClient } from './graph-client.js';
import { fetchWholeRecord } from './record-fetcher.js';
import { sleep } from './sleep.js';

/** How the worker paces itself; every time is in ms of the injected clock. */
export interface QueueWorkerSettings {
  /** Records fetched at the same time (default 8). */
  concurrency: number;
  /** How long a claimed item is leased; the worker extends it while it works (default 5 min). */
  leaseMs: number;
  /** How often an idle worker looks for due items (default 1 s). */
  idlePollMs: number;
  /** The first wait after a 404 ("not ready yet", spec §12); it doubles per attempt up to `notReadyMaxDelayMs`. */
  notReadyDelayMs: number;
  notReadyMaxDelayMs: number;
  /** How long after it was queued a record may still answer 404 before the worker gives up (default 6 h). */
  notReadyCapMs: number;
  /** Attempts of an item that keeps failing otherwise (network, 5xx, throttling past every retry) (default 8). */
  maxErrorAttempts: number;
}

/** The defaults of QueueWorkerSettings. */
export const DEFAULT_WORKER_SETTINGS: QueueWorkerSettings = {
  concurrency: 8,
  leaseMs: 5 * 60_000,
  idlePollMs: 1000,
  notReadyDelayMs: 30_000,
  notReadyMaxDelayMs: 15 * 60_000,
  notReadyCapMs: 6 * 60 * 60_000,
  maxErrorAttempts: 8,
};

/** What the worker is built from. */
export interface QueueWorkerDeps {
  sync: SyncStateStore;
  ingest: IngestService;
  client: GraphClient;
  clock: Clock;
  log: RuntimeLog;
  /** This instance's name in leases (unique per process). */
  owner: string;
  settings?: Partial<QueueWorkerSettings> | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * Works the fetch queue (db.sync): claims due ids under a lease, fetches each record whole (record-fetcher.ts),
 * stores it through the ingest service — the same validation and version rules as an import — and completes it.
 * A 404 puts the id back with a growing delay until `notReadyCapMs` has passed since it was queued, then fails it;
 * other errors are retried `maxErrorAttempts` times. Failed ids stay in the queue with their reason (the status
 * shows them). Because the queue is in the database, a crash loses nothing: an expired lease is claimed again.
 */
export class QueueWorker {
  readonly settings: QueueWorkerSettings;
  private readonly inflight = new Set<Promise<void>>();

  constructor(private readonly deps: QueueWorkerDeps) {
    this.settings = { ...DEFAULT_WORKER_SETTINGS, ...deps.settings };
  }

  /** Works until `signal` aborts, looking for due items every `idlePollMs` while idle. */
  async run(): Promise<void> {
    const { signal } = this.deps;
    while (signal?.aborted !== true) {
      try {
        await this.fill();
      } catch (error) {
        // The database may be away for a while (a restart): the items stay queued; try again after the pause.
        this.deps.log.error({ err: error }, 'sync: claiming from the queue failed; retrying');
      }
      const idle = sleep(this.deps.clock, this.settings.idlePollMs, signal);
      await Promise.race([idle, ...this.inflight]);
    }
    await Promise.allSettled([...this.inflight]);
  }

  /**
   * Works until nothing is due and nothing is in flight (items waiting for a later retry stay queued); resolves to
   * how many items it took.
   */
  async runUntilIdle(): Promise<number> {
    let taken = 0;
    for (;;) {
      taken += await this.fill();
      if (this.inflight.size === 0) return taken;
      await Promise.race(this.inflight);
    }
  }

  /** Claims as many due items as there are free slots and starts them; how many it started. */
  private async fill(): Promise<number> {
    const free = this.settings.concurrency - this.inflight.size;
    if (free <= 0 || this.deps.signal?.aborted === true) return 0;
    const now = this.deps.clock.now().getTime();
    const items = await this.deps.sync.claim(this.deps.owner, free, now, this.settings.leaseMs);
    for (const item of items) {
      const work: Promise<void> = this.process(item)
        .catch((error: unknown) => this.deps.log.error({ id: item.id, err: error }, 'sync: processing an item failed'))
        .finally(() => this.inflight.delete(work));
      this.inflight.add(work);
    }
    return items.length;
  }

  /** Fetches, stores and completes one item (or puts it back, or fails it), extending its lease meanwhile. */
  private async process(item: ClaimedItem): Promise<void> {
    const { sync, clock, owner, log } = this.deps;
    const keepLease = clock.setInterval(
      () => sync.extendClaim(item.id, owner, clock.now().getTime() + this.settings.leaseMs).catch(() => false),
      Math.max(1000, Math.floor(this.settings.leaseMs / 3)),
      { unref: true },
    );
    try {
      let outcome;
      try {
        outcome = await fetchWholeRecord(this.deps.client, item.id);
      } catch (error) {
        if (!(error instanceof GraphRequestError)) throw error;
        return await this.retryOrFail(item, error.message, item.attempts >= this.settings.maxErrorAttempts);
      }
      const now = clock.now().getTime();
      if (!outcome.found) {
        const gaveUp = now - item.enqueuedAt >= this.settings.notReadyCapMs;
        const hours = (this.settings.notReadyCapMs / 3_600_000).toFixed(1);
        const reason = gaveUp ? `still 404 (not found) ${hours} h after it was queued` : 'HTTP 404: not ready yet';
        return await this.retryOrFail(item, reason, gaveUp, this.notReadyDelay(item.attempts));
      }
      const version = outcome.record.version;
      if (item.knownVersion !== undefined && typeof version === 'number' && version < item.knownVersion) {
        const reason = `Graph returned version ${version}, ${item.knownVersion} was announced`;
        const gaveUp = now - item.enqueuedAt >= this.settings.notReadyCapMs;
        return await this.retryOrFail(item, reason, gaveUp, this.notReadyDelay(item.attempts));
      }
      const [result] = await this.deps.ingest.ingest([{ value: outcome.record }]);
      if (result === undefined || result.status === 'rejected') {
        await sync.fail(item.id, owner, now, `rejected by validation: ${result?.reason ?? 'no outcome'}`);
        log.warn({ id: item.id, reason: result?.reason }, 'sync: record rejected; failed');
        return;
      }
      await sync.complete(item.id, owner, clock.now().getTime());
      const lag = result.status === 'inserted' ? lagEvent(outcome.record, now) : undefined;
      if (lag !== undefined) await sync.recordEvents([lag]);
      log.info({ id: item.id, version: result.version, status: result.status, reason: item.reason }, 'sync: stored');
    } finally {
      keepLease.cancel();
    }
  }

  private async retryOrFail(item: ClaimedItem, reason: string, giveUp: boolean, delayMs?: number): Promise<void> {
    const { sync, clock, owner, log } = this.deps;
    const now = clock.now().getTime();
    if (giveUp) {
      await sync.fail(item.id, owner, now, reason);
      log.warn({ id: item.id, attempts: item.attempts, reason }, 'sync: gave up on a record; failed');
      return;
    }
    const wait = delayMs ?? Math.min(this.settings.notReadyMaxDelayMs, 5000 * 2 ** (item.attempts - 1));
    await sync.retryLater(item.id, owner, now + wait, reason);
    log.info({ id: item.id, attempts: item.attempts, retryInMs: wait, reason }, 'sync: will retry a record');
  }

  private notReadyDelay(attempts: number): number {
    const { notReadyDelayMs, notReadyMaxDelayMs } = this.settings;
    return Math.min(notReadyMaxDelayMs, notReadyDelayMs * 2 ** Math.max(0, attempts - 1));
  }
}

/** The lag of a first version: when it was stored minus when the call ended, as an event for the status. */
function lagEvent(
  record: Record<string, unknown>,
  now: number,
): { kind: string; at: number; value: number } | undefined {
  const end = typeof record.endDateTime === 'string' ? Date.parse(record.endDateTime) : NaN;
  return Number.isNaN(end) ? undefined : { kind: 'lag', at: now, value: Math.max(0, now - end) };
}
