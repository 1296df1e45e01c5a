import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Clock } from '../clock.js';
import { AppError } from '../errors.js';
import type { SeededRandom } from '../generate/seeded-random.js';
import type { TokenIssuer } from './app-registration.js';
import type { Faults } from './faults.js';
import type { RequestBudget, RequestKind } from './request-budget.js';

/** What the guard in front of the Graph routes needs. */
export interface GraphGuardOptions {
  issuer: TokenIssuer;
  budget: RequestBudget;
  faults: Faults;
  /** Share (0–1) of requests answered 503 when the `503` fault is on. */
  faultRate: number;
  rng: SeededRandom;
  /** Real time (token expiry). */
  clock: Clock;
}

/** Counts of Graph requests by answer, for `/_simulator/stats`. */
export interface GuardStats {
  requests: number;
  byStatus: Record<string, number>;
  unavailable: number;
}

const GRAPH_PATH = /^\/(?:v1\.0|beta)(?:\/|$)/;
const ARCHIVE_API_PATH = /^\/api(?:[/?]|$)/;
// `callRecords`, `callRecords/{id}…` or `callRecords('{id}')…`; the id ends at `/`, `?`, `(` or `'`.
const RECORDS_PATH = /^\/(?:v1\.0|beta)\/communications\/callRecords(?:\/([^/?(']+)|\('([^']+)'\))?([^?]*)/;

/**
 * Puts Graph's gatekeeping in front of the archive's own Graph routes (`/v1.0`, `/beta`): a bearer token from the
 * simulator's token endpoint is required (401 `InvalidAuthenticationToken`), every request is counted against
 * Graph's limits (429 `TooManyRequests` with `Retry-After` when the `429` fault is on), and with the `503` fault a
 * seeded share is answered 503. What passes is served by the archive unchanged. Returns live counters.
 */
export function installGraphGuard(app: FastifyInstance, options: GraphGuardOptions): GuardStats {
  const stats: GuardStats = { requests: 0, byStatus: {}, unavailable: 0 };
  app.addHook('onRequest', async (request, reply) => {
    // Graph has no archive API: the simulator's /api routes (ingest, buildings, audit) are not served at all.
    if (ARCHIVE_API_PATH.test(request.url)) throw new AppError('NotFound', 'Graph serves no /api routes.');
    if (!GRAPH_PATH.test(request.url)) return;
    stats.requests++;
    const claims = bearerClaims(request, options);
    if (claims === undefined) {
      void reply.header('www-authenticate', 'Bearer realm="", error="invalid_token"');
      throw new AppError('InvalidAuthenticationToken', 'Access token is empty, malformed or expired.');
    }
    const retryAfter = options.budget.admit(requestKind(request.url, claims.appid));
    if (retryAfter > 0) {
      void reply.header('retry-after', String(retryAfter));
      throw new AppError('TooManyRequests', 'Too many requests; retry after the time given in Retry-After.');
    }
    if (options.faults['503'] && options.rng.chance(options.faultRate)) {
      stats.unavailable++;
      throw new AppError('serviceNotAvailable', 'The service is temporarily unavailable (simulated).');
    }
  });
  app.addHook('onResponse', async (request, reply) => {
    if (!GRAPH_PATH.test(request.url)) return;
    const key = String(reply.statusCode);
    stats.byStatus[key] = (stats.byStatus[key] ?? 0) + 1;
  });
  return stats;
}

/** What a Graph URL counts against: the app, and the record it reads or the list. */
export function requestKind(url: string, app: string): RequestKind {
  const match = RECORDS_PATH.exec(url);
  if (match === null) return { app };
  const id = match[1] ?? match[2];
  // `callRecords/$count` counts as a list; Graph's functions on the collection (PSTN calls) only against the app.
  if (id !== undefined && id.startsWith('$')) return { app, list: true };
  if (id !== undefined && id.startsWith('microsoft.graph.')) return { app };
  if (id !== undefined) return { app, recordId: safeDecode(id) };
  const rest = match[3] ?? '';
  return { app, list: rest === '' || rest === '/' };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function bearerClaims(request: FastifyRequest, options: GraphGuardOptions) {
  const header = request.headers.authorization;
  if (header === undefined || !/^bearer /i.test(header)) return undefined;
  try {
    return options.issuer.check(header.slice(7).trim(), options.clock.now().getTime());
  } catch {
    return undefined;
  }
}
