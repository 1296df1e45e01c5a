/**
 * The collector's status report. Type declarations only: the dashboard (dashboard/src/pages/collector-panels.ts)
 * imports this file, so it must import nothing.
 */

/** The answer of `GET /api/sync/status` (docs/graph-sync.md, "Status"). */
export interface SyncStatusReport {
  /** Graph's subscription as the subscription manager keeps it (`id`, `expirationDateTime`, …), or null. */
  subscription: Record<string, unknown> | null;
  queue: {
    queued: number;
    /** Of the queued, how many are due now (the rest wait for a retry). */
    due: number;
    /** Leased to an instance that is fetching them now. */
    inProgress: number;
    failed: number;
    oldest: { id: string; reason: string; queuedDateTime: string; ageSeconds: number } | null;
  };
  /** Records given up on after every retry, most recent first, with the reason. */
  failed: {
    id: string;
    reason: string;
    attempts: number;
    queuedDateTime: string;
    failedDateTime: string;
    error: string;
  }[];
  lastSweep: Record<string, unknown> | null;
  backfill: Record<string, unknown> | null;
  /** 429 answers from Graph in the last hour. */
  throttledLastHour: number;
  /** Receive time − endDateTime of the first versions stored in the last hour, in seconds. */
  lag: { samples: number; p50Seconds: number | null; p95Seconds: number | null };
  /** The telephony logs (log-pull.ts): per kind, the time up to which rows are stored and the last pull's findings. */
  logs: { kind: string; cursor: string | null; lastPull: Record<string, unknown> | null }[];
}
