import type { Clock } from '../clock.js';

/**
 * Graph's documented limits for call records (https://learn.microsoft.com/graph/throttling-limits, "Cloud
 * communication service limits"): per app and tenant, per call record, and for listing, each per 20 seconds.
 */
export const GRAPH_LIMITS = { windowMs: 20_000, app: 1500, record: 40, list: 40 } as const;

/** What a request counts against: always its app; a record or the list when it reads one. */
export interface RequestKind {
  app: string;
  recordId?: string | undefined;
  list?: boolean | undefined;
}

/** The requests of the last window (ms, oldest first): every arrival, and those served (not answered 429). */
class SlidingWindow {
  readonly arrivals: number[] = [];
  readonly served: number[] = [];
  max = 0;

  trim(now: number): void {
    for (const list of [this.arrivals, this.served]) {
      let n = 0;
      while (n < list.length && list[n]! <= now - GRAPH_LIMITS.windowMs) n++;
      if (n > 0) list.splice(0, n);
    }
  }

  /** How long (ms) until fewer than `limit` served requests are in the window; 0 when already fewer. */
  waitFor(limit: number, now: number): number {
    if (this.served.length < limit) return 0;
    return this.served[this.served.length - limit]! + GRAPH_LIMITS.windowMs - now;
  }

  arrive(now: number): void {
    this.arrivals.push(now);
    this.max = Math.max(this.max, this.arrivals.length);
  }
}

/** The busiest 20 s window seen so far, by what was counted (every request that arrived, answered 429 or not). */
export interface BudgetStats {
  windowSeconds: number;
  limits: { app: number; record: number; list: number };
  /** Most requests of each app in any window. */
  maxPerApp: Record<string, number>;
  /** Most requests for one record in any window, and that record. */
  maxPerRecord: { count: number; id: string | undefined };
  /** Most list requests (of any app) in any window. */
  maxList: number;
  /** 429 answers sent, by the limit that was hit first. */
  throttled: { app: number; record: number; list: number; total: number };
}

/**
 * Counts requests in sliding 20 s windows and, when `enforce` is on (the `429` fault), says how long a request over
 * a limit must wait: until fewer than the limit were served in the last 20 s, so a request sent after `Retry-After`
 * is served. The busiest-window figures count every request that arrived, refused or not (what a client sent).
 * Time comes from `clock` (real seconds, never the simulator's sped-up time).
 */
export class RequestBudget {
  readonly #apps = new Map<string, SlidingWindow>();
  readonly #records = new Map<string, SlidingWindow>();
  readonly #list = new SlidingWindow();
  #maxRecord = { count: 0, id: undefined as string | undefined };
  readonly #throttled = { app: 0, record: 0, list: 0, total: 0 };

  constructor(
    private readonly clock: Clock,
    private readonly enforce: boolean,
  ) {}

  /** Counts one request; resolves to the seconds it must wait (`Retry-After`) if it is over a limit, else 0. */
  admit(kind: RequestKind): number {
    const now = this.clock.now().getTime();
    const checks: [SlidingWindow, number, 'app' | 'record' | 'list'][] = [
      [this.#window(this.#apps, kind.app, now), GRAPH_LIMITS.app, 'app'],
    ];
    if (kind.recordId !== undefined)
      checks.push([this.#window(this.#records, kind.recordId, now), GRAPH_LIMITS.record, 'record']);
    if (kind.list === true) {
      this.#list.trim(now);
      checks.push([this.#list, GRAPH_LIMITS.list, 'list']);
    }
    let waitMs = 0;
    let hit: 'app' | 'record' | 'list' | undefined;
    for (const [window, limit, name] of checks) {
      const wait = window.waitFor(limit, now);
      if (wait > waitMs) [waitMs, hit] = [wait, name];
      window.arrive(now);
    }
    const refused = this.enforce && hit !== undefined;
    if (!refused) for (const [window] of checks) window.served.push(now);
    if (kind.recordId !== undefined) {
      const count = this.#records.get(kind.recordId)!.arrivals.length;
      if (count > this.#maxRecord.count) this.#maxRecord = { count, id: kind.recordId };
    }
    if (!refused) return 0;
    this.#throttled[hit!]++;
    this.#throttled.total++;
    return Math.max(1, Math.ceil(waitMs / 1000));
  }

  stats(): BudgetStats {
    return {
      windowSeconds: GRAPH_LIMITS.windowMs / 1000,
      limits: { app: GRAPH_LIMITS.app, record: GRAPH_LIMITS.record, list: GRAPH_LIMITS.list },
      maxPerApp: Object.fromEntries([...this.#apps].map(([app, w]) => [app, w.max])),
      maxPerRecord: { ...this.#maxRecord },
      maxList: this.#list.max,
      throttled: { ...this.#throttled },
    };
  }

  // The window of one key, trimmed to now; windows of records not asked for in a while are forgotten.
  #window(map: Map<string, SlidingWindow>, key: string, now: number): SlidingWindow {
    let window = map.get(key);
    if (window === undefined) {
      if (map === this.#records && map.size >= 10_000) this.#forgetIdle(now);
      window = new SlidingWindow();
      map.set(key, window);
    }
    window.trim(now);
    return window;
  }

  #forgetIdle(now: number): void {
    for (const [key, window] of this.#records) {
      window.trim(now);
      if (window.arrivals.length === 0) this.#records.delete(key);
    }
  }
}
