import type { Clock } from '../clock.js';
import type { Fetch, RuntimeLog } from '../runtime/runtime.js';
import type { BudgetKey, RequestBudget } from './request-budget.js';
import { sleep } from './sleep.js';
import type { TokenSource } from './token-source.js';

/** A JSON object as Graph answers it. */
export type GraphObject = Record<string, unknown>;

/** What a GET came back with: the object, or `notFound` (a record not there, or not ready yet — spec §12). */
export type GraphResult = { found: true; body: GraphObject } | { found: false };

/** A request that could not be completed after every retry, or that Graph refused (4xx other than 404 and 429). */
export class GraphRequestError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
  ) {
    super(message);
    this.name = 'GraphRequestError';
  }
}

/** What the client is built from; `random` (jitter) and the retry limits can be fixed by tests. */
export interface GraphClientOptions {
  /** Graph's base URL (`https://graph.microsoft.com`); relative paths are resolved under `<graphUrl>/v1.0/`. */
  graphUrl: string;
  tokens: TokenSource;
  fetch: Fetch;
  clock: Clock;
  budget: RequestBudget;
  log: RuntimeLog;
  /** Told of every 429 Graph answers (the status counts them). */
  onThrottled?: ((at: number) => void) | undefined;
  /** Tries of a request that meets network errors or 5xx (503 included) before giving up; default 6. */
  maxAttempts?: number | undefined;
  /** 429 answers in a row honoured before giving up on a request; default 30. */
  maxThrottled?: number | undefined;
  random?: (() => number) | undefined;
  signal?: AbortSignal | undefined;
}

const BASE_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 60_000;
const REQUEST_TIMEOUT_MS = 60_000;

/**
 * GETs from Microsoft Graph with a bearer token, within the request budgets (request-budget.ts), honouring `429` and
 * `503` with `Retry-After` (seconds, possibly fractional; https://learn.microsoft.com/graph/throttling), and retrying
 * network errors and other 5xx with exponential back-off and full jitter. A 401 renews the token once. Every wait is
 * on the injected clock and every request goes through the injected fetch.
 */
export class GraphClient {
  private readonly base: string;

  constructor(private readonly options: GraphClientOptions) {
    this.base = `${options.graphUrl.replace(/\/+$/, '')}/v1.0/`;
  }

  /** GETs `pathOrUrl` (relative to `<graphUrl>/v1.0/`, or absolute as in a next link) under the budget `keys`. */
  async get(pathOrUrl: string, keys: readonly BudgetKey[]): Promise<GraphResult> {
    const { clock, log } = this.options;
    const url = /^https?:\/\//.test(pathOrUrl) ? pathOrUrl : this.base + pathOrUrl;
    // The token goes only to Graph: a next link that names another host is refused, never followed.
    if (new URL(url).host !== new URL(this.base).host) {
      throw new GraphRequestError(
        `refused to send the Graph token to ${new URL(url).host}: not --graph-url`,
        undefined,
      );
    }
    const maxAttempts = this.options.maxAttempts ?? 6;
    const maxThrottled = this.options.maxThrottled ?? 30;
    let failures = 0;
    let throttled = 0;
    let refreshed = false;
    for (;;) {
      await this.withinBudget(keys);
      let res: Response;
      try {
        const token = await this.options.tokens.token(false);
        res = await this.options.fetch(url, {
          headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
          signal: this.options.signal
            ? AbortSignal.any([AbortSignal.timeout(REQUEST_TIMEOUT_MS), this.options.signal])
            : AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
      } catch (error) {
        if (++failures >= maxAttempts) throw new GraphRequestError(`GET ${url}: ${errorText(error)}`, undefined);
        const wait = this.backoff(failures);
        log.warn({ url, attempt: failures, waitMs: wait, err: errorText(error) }, 'graph request failed; retrying');
        await sleep(clock, wait, this.options.signal);
        continue;
      }
      const status = res.status;
      if (status === 200) return { found: true, body: (await res.json()) as GraphObject };
      const text = await res.text().catch(() => '');
      if (status === 404) return { found: false };
      if (status === 429) {
        const now = clock.now().getTime();
        this.options.onThrottled?.(now);
        throttled++;
        const wait = retryAfterMs(res, now) ?? this.backoff(throttled);
        this.options.budget.pause(keys[keys.length - 1] ?? 'app', now + wait);
        if (throttled > maxThrottled) throw new GraphRequestError(`GET ${url}: still throttled (429)`, 429);
        log.warn({ url, waitMs: wait }, 'graph throttled the collector (429); waiting as told');
        await sleep(clock, wait, this.options.signal);
        continue;
      }
      if (status === 401 && !refreshed) {
        refreshed = true;
        await this.options.tokens.token(true);
        continue;
      }
      if (status >= 500) {
        if (++failures >= maxAttempts) throw new GraphRequestError(`GET ${url}: HTTP ${status}`, status);
        const wait = Math.max(
          status === 503 ? (retryAfterMs(res, clock.now().getTime()) ?? 0) : 0,
          this.backoff(failures),
        );
        log.warn({ url, status, attempt: failures, waitMs: wait }, 'graph answered a server error; retrying');
        await sleep(clock, wait, this.options.signal);
        continue;
      }
      throw new GraphRequestError(`GET ${url}: HTTP ${status} ${graphErrorCode(text)}`.trim(), status);
    }
  }

  /** Waits until every budget key has room, then takes one request from each. */
  private async withinBudget(keys: readonly BudgetKey[]): Promise<void> {
    for (;;) {
      const wait = this.options.budget.reserve(keys, this.options.clock.now().getTime());
      if (wait === 0) return;
      if (this.options.signal?.aborted === true) throw new GraphRequestError('stopped', undefined);
      await sleep(this.options.clock, wait, this.options.signal);
    }
  }

  /** Exponential back-off with full jitter: a random wait up to 1 s × 2^(attempt−1), at most 60 s. */
  private backoff(attempt: number): number {
    const cap = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** Math.max(0, attempt - 1));
    return Math.max(50, Math.round((this.options.random ?? Math.random)() * cap));
  }
}

/** `Retry-After` in ms: seconds (possibly fractional, e.g. `2.128`) or an HTTP date; undefined if absent or bad. */
export function retryAfterMs(res: Response, now: number): number | undefined {
  const value = res.headers.get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function graphErrorCode(text: string): string {
  try {
    const code = (JSON.parse(text) as { error?: { code?: unknown } }).error?.code;
    return typeof code === 'string' ? code : '';
  } catch {
    return '';
  }
}

function errorText(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
  }
  return String(error);
}
