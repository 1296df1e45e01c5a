/**
 * Graph's documented call-records limits (spec §13; https://learn.microsoft.com/graph/throttling-limits): requests per
 * 20 s per application per tenant, per call record, and for List call records.
 */
export const GRAPH_LIMITS = { windowMs: 20_000, app: 1500, record: 40, list: 40 } as const;

/** The budget keys of a request: always `app`, and `record:<id>` or `list` when it reads one record or the list. */
export type BudgetKey = 'app' | 'list' | `record:${string}`;

/** Limits per key kind over one sliding window. */
export interface BudgetLimits {
  windowMs: number;
  app: number;
  record: number;
  list: number;
}

/**
 * Sliding-window request budgets: a request may go when, for each of its keys, fewer than the limit were sent in the
 * last `windowMs` — so no window of that length, wherever it starts, holds more than the limit (not merely each
 * fixed 20 s slot). `reserve` either records the request and answers 0, or answers how long to wait.
 */
export class RequestBudget {
  private readonly sent = new Map<string, number[]>();
  private readonly pausedUntil = new Map<string, number>();

  constructor(readonly limits: BudgetLimits = GRAPH_LIMITS) {}

  /** Records a request on every key at `now` and answers 0 if each has room; else answers the wait in ms. */
  reserve(keys: readonly BudgetKey[], now: number): number {
    let wait = 0;
    for (const key of keys) {
      const log = this.prune(key, now);
      const limit = this.limitOf(key);
      if (log.length >= limit) wait = Math.max(wait, log[log.length - limit]! + this.limits.windowMs - now);
      wait = Math.max(wait, (this.pausedUntil.get(key) ?? 0) - now);
    }
    if (wait > 0) return wait;
    for (const key of keys) {
      let log = this.sent.get(key);
      if (log === undefined) this.sent.set(key, (log = []));
      log.push(now);
    }
    return 0;
  }

  /** Holds back every request on `key` until `until` (after a 429 with Retry-After). */
  pause(key: BudgetKey, until: number): void {
    if (until > (this.pausedUntil.get(key) ?? 0)) this.pausedUntil.set(key, until);
  }

  /** How many requests on `key` were sent in the window ending at `now`. */
  used(key: BudgetKey, now: number): number {
    return this.prune(key, now).length;
  }

  private limitOf(key: BudgetKey): number {
    return key === 'app' ? this.limits.app : key === 'list' ? this.limits.list : this.limits.record;
  }

  /** Drops what left the window; forgets keys with nothing left, so per-record keys do not pile up. */
  private prune(key: string, now: number): number[] {
    const log = this.sent.get(key);
    if (log === undefined) return [];
    let drop = 0;
    while (drop < log.length && log[drop]! <= now - this.limits.windowMs) drop++;
    if (drop > 0) log.splice(0, drop);
    if (log.length === 0) this.sent.delete(key);
    const paused = this.pausedUntil.get(key);
    if (paused !== undefined && paused <= now) this.pausedUntil.delete(key);
    return log;
  }
}
