import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Clock } from '../clock.js';
import { parseResourcePath } from '../odata/resource-path.js';
import { clientRequestId } from './error-handler.js';
import { TokenBuckets, type Rate } from './token-buckets.js';

/** How requests are throttled: `--rate-limit` for every route, `--throttle graph` for Graph's own limits. */
export interface ThrottleConfig {
  /** At most this many requests per window per caller, on every throttled route (`--rate-limit 100/10s`). */
  rateLimit?: Rate | undefined;
  /** Apply Graph's documented call-record limits to the Graph surface (`--throttle graph`). */
  graph?: boolean | undefined;
}

/**
 * Graph's call-record limits (https://learn.microsoft.com/graph/throttling-limits#call-records-limits): per
 * application per tenant, per call record, and for List call records. Here "application per tenant" is the caller's
 * identity (or its address when no authentication runs).
 */
export const GRAPH_LIMITS = {
  perCaller: { limit: 1500, windowMs: 20_000 },
  perRecord: { limit: 40, windowMs: 20_000 },
  list: { limit: 40, windowMs: 20_000 },
} as const satisfies Record<string, Rate>;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `false` exempts a route from throttling (health probes, /metrics). */
    throttle?: boolean;
  }
}

/** Reads `--rate-limit`: `<n>/<window>` with the window in s, m or h (`100/10s`, `1500/20s`, `600/1m`); else undefined. */
export function parseRate(text: string): Rate | undefined {
  const match = /^\s*(\d{1,9})\s*\/\s*(\d{1,6})?\s*(ms|s|m|h)\s*$/.exec(text);
  if (match === null) return undefined;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[3] as 'ms' | 's' | 'm' | 'h'];
  const rate = { limit: Number(match[1]), windowMs: Number(match[2] ?? '1') * unit };
  return rate.limit >= 1 && rate.windowMs >= 1 ? rate : undefined;
}

/**
 * Throttles requests per caller — `request.identity.id` when a surface authenticated it, else its address — with
 * token buckets on the app's clock. A throttled request gets Graph's 429: `TooManyRequests` in Graph's own body and
 * a `Retry-After` in whole seconds after which the request succeeds (https://learn.microsoft.com/graph/throttling).
 * Runs before the body is read (`preParsing`, after each surface's authentication `onRequest`); a route whose config
 * says `throttle: false` is exempt.
 */
export function installThrottle(app: FastifyInstance, clock: Clock, config: ThrottleConfig): void {
  if (config.rateLimit === undefined && config.graph !== true) return;
  const buckets = new TokenBuckets(clock);
  app.addHook('preParsing', async (request, reply, payload) => {
    if (request.routeOptions.config?.throttle === false) return payload;
    const retryAfter = buckets.take(bucketsOf(request, config));
    if (retryAfter === 0) return payload;
    void reply
      .status(429)
      .header('retry-after', String(retryAfter))
      .header('content-type', 'application/json; charset=utf-8')
      .send(tooManyRequests(request, clock));
    return reply;
  });
}

function bucketsOf(request: FastifyRequest, config: ThrottleConfig): { key: string; rate: Rate }[] {
  const who = request.identity?.id ?? `ip:${request.ip}`;
  const wanted: { key: string; rate: Rate }[] = [];
  if (config.rateLimit !== undefined) wanted.push({ key: `rate ${who}`, rate: config.rateLimit });
  if (config.graph === true) {
    const graphPath = /^\/(?:v1\.0|beta)(\/[^?]*)/.exec(request.url)?.[1];
    if (graphPath !== undefined) {
      wanted.push({ key: `graph ${who}`, rate: GRAPH_LIMITS.perCaller });
      const resource = resourceOf(graphPath);
      if (resource?.kind === 'callRecords') wanted.push({ key: `list ${who}`, rate: GRAPH_LIMITS.list });
      else if (resource !== undefined && 'id' in resource)
        wanted.push({ key: `record ${who} ${resource.id}`, rate: GRAPH_LIMITS.perRecord });
    }
  }
  return wanted;
}

function resourceOf(path: string) {
  try {
    return parseResourcePath(path);
  } catch {
    return undefined; // answered 400 by the Graph surface; counted against the caller only
  }
}

/** Graph's 429 body, as Graph sends it (https://learn.microsoft.com/graph/throttling#sample-response). */
function tooManyRequests(request: FastifyRequest, clock: Clock): string {
  return JSON.stringify({
    error: {
      code: 'TooManyRequests',
      innerError: {
        code: '429',
        date: clock.now().toISOString().slice(0, 19),
        message: 'Please retry after',
        'request-id': request.id,
        status: '429',
        'client-request-id': clientRequestId(request),
      },
      message: 'Please retry again later.',
    },
  });
}
