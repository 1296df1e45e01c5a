import type { Clock } from '../clock.js';

/** A rate: at most `limit` requests in any `windowMs`, refilled continuously. */
export interface Rate {
  limit: number;
  windowMs: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Buckets kept before full ones are forgotten (a full bucket is the same as none). */
const SWEEP_AT = 10_000;

/**
 * Token buckets by key, on an injected clock: each key holds up to `limit` tokens, refilled at `limit / windowMs`
 * per millisecond; a request takes one token from each of its buckets, or none if any is empty.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private longestWindowMs = 0;

  constructor(private readonly clock: Pick<Clock, 'now'>) {}

  /**
   * Takes one token from every named bucket, or from none: resolves to 0 when taken, else to the seconds (whole,
   * at least 1) until every one of them holds a token again — the `Retry-After` to send.
   */
  take(wanted: readonly { key: string; rate: Rate }[]): number {
    const now = this.clock.now().getTime();
    let waitMs = 0;
    const buckets = wanted.map(({ key, rate }) => {
      this.longestWindowMs = Math.max(this.longestWindowMs, rate.windowMs);
      const bucket = this.refilled(key, rate, now);
      if (bucket.tokens < 1) waitMs = Math.max(waitMs, ((1 - bucket.tokens) * rate.windowMs) / rate.limit);
      return bucket;
    });
    if (waitMs > 0) return Math.max(1, Math.ceil(waitMs / 1000));
    for (const bucket of buckets) bucket.tokens -= 1;
    return 0;
  }

  private refilled(key: string, rate: Rate, now: number): Bucket {
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      if (this.buckets.size >= SWEEP_AT) this.sweep(now);
      bucket = { tokens: rate.limit, at: now };
      this.buckets.set(key, bucket);
    } else {
      bucket.tokens = Math.min(rate.limit, bucket.tokens + ((now - bucket.at) * rate.limit) / rate.windowMs);
      bucket.at = now;
    }
    return bucket;
  }

  // Forgets buckets idle for the longest window in use: they would be full again by now.
  private sweep(now: number): void {
    for (const [key, bucket] of this.buckets) if (now - bucket.at >= this.longestWindowMs) this.buckets.delete(key);
  }

  /** How many keys are tracked (for tests of the sweep). */
  get size(): number {
    return this.buckets.size;
  }
}
