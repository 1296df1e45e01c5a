import type { Clock } from '../clock.js';
import type { SyncStateStore } from '../storage/roles.js';
import type { SyncStatusReport } from './sync-status-report.js';
import { EVENT, STATE } from './state-keys.js';
import { LOG_KINDS } from '../call-logs/log-kinds.js';
import { LOG_LAST_PULL, logCursorKey } from './log-pull.js';

const HOUR_MS = 3_600_000;
/** The most failed records the status lists. */
const FAILED_SHOWN = 50;

/** The answer of `GET /api/sync/status` (declared apart, in a file the dashboard imports). */
export type { SyncStatusReport } from './sync-status-report.js';

/** Reads the collector's state for operators: queue, failures, sweeps, subscription, throttling and lag. */
export class SyncStatus {
  constructor(
    private readonly sync: SyncStateStore,
    private readonly clock: Clock,
  ) {}

  /** The status report, from the database (so every instance answers the same). */
  async report(): Promise<SyncStatusReport> {
    const now = this.clock.now().getTime();
    const [stats, failed, subscription, lastSweep, backfill, throttled, lags] = await Promise.all([
      this.sync.queueStats(now),
      this.sync.listFailed(FAILED_SHOWN),
      this.sync.getState(STATE.subscription),
      this.sync.getState(STATE.lastSweep),
      this.sync.getState(STATE.backfill),
      this.sync.eventValues(EVENT.throttled, now - HOUR_MS),
      this.sync.eventValues(EVENT.lag, now - HOUR_MS),
    ]);
    const backfillState = objectOf(backfill);
    const logs = await this.logs();
    return {
      subscription: objectOf(subscription),
      queue: {
        queued: stats.queued,
        due: stats.due,
        inProgress: stats.leased,
        failed: stats.failed,
        oldest: stats.oldest
          ? {
              id: stats.oldest.id,
              reason: stats.oldest.reason,
              queuedDateTime: new Date(stats.oldest.enqueuedAt).toISOString(),
              ageSeconds: Math.round((now - stats.oldest.enqueuedAt) / 1000),
            }
          : null,
      },
      failed: failed.map((f) => ({
        id: f.id,
        reason: f.reason,
        attempts: f.attempts,
        queuedDateTime: new Date(f.enqueuedAt).toISOString(),
        failedDateTime: new Date(f.failedAt).toISOString(),
        error: f.error,
      })),
      lastSweep: objectOf(lastSweep),
      backfill: backfillState && readableBackfill(backfillState),
      throttledLastHour: throttled.length,
      lag: { samples: lags.length, p50Seconds: percentile(lags, 0.5), p95Seconds: percentile(lags, 0.95) },
      logs,
    };
  }

  private async logs(): Promise<SyncStatusReport['logs']> {
    const [last, ...cursors] = await Promise.all([
      this.sync.getState(LOG_LAST_PULL),
      ...LOG_KINDS.map((kind) => this.sync.getState(logCursorKey(kind))),
    ]);
    let pulls: unknown;
    try {
      pulls = last === undefined ? [] : JSON.parse(last);
    } catch {
      pulls = [];
    }
    const found = Array.isArray(pulls) ? (pulls as Record<string, unknown>[]) : [];
    return LOG_KINDS.map((kind, i) => ({
      kind: kind.name,
      cursor: cursors[i] ?? null,
      lastPull: found.find((f) => f.kind === kind.name) ?? null,
    }));
  }
}

/** The nearest-rank percentile of sorted values, in seconds (one decimal); null without values. */
export function percentile(sortedMs: readonly number[], p: number): number | null {
  if (sortedMs.length === 0) return null;
  const rank = Math.max(1, Math.ceil(p * sortedMs.length));
  return Math.round(sortedMs[rank - 1]! / 100) / 10;
}

function readableBackfill(state: Record<string, unknown>): Record<string, unknown> {
  const time = (v: unknown) => (typeof v === 'number' ? new Date(v).toISOString() : v);
  return { ...state, from: time(state.from), to: time(state.to), next: time(state.next) };
}

function objectOf(text: string | undefined): Record<string, unknown> | null {
  if (text === undefined) return null;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}
