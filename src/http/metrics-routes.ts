import { installAuthentication, type SurfaceAuth } from './auth-hook.js';
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import type { Metrics } from '../metrics/metrics.js';
import { parseResourcePath, type ResourcePath } from '../odata/resource-path.js';
import { isDatabaseUnavailable } from '../storage/unavailable.js';

// The Graph surface routes every path through one wildcard; its label is the resource's template instead, so the
// label set stays small and says what was read.
const GRAPH_TEMPLATES: Record<ResourcePath['kind'], string> = {
  callRecords: '/communications/callRecords',
  callRecord: '/communications/callRecords/{id}',
  sessions: '/communications/callRecords/{id}/sessions',
  session: '/communications/callRecords/{id}/sessions/{id}',
  segments: '/communications/callRecords/{id}/sessions/{id}/segments',
  segment: '/communications/callRecords/{id}/sessions/{id}/segments/{id}',
  participants: '/communications/callRecords/{id}/participants_v2',
  participant: '/communications/callRecords/{id}/participants_v2/{id}',
  organizer: '/communications/callRecords/{id}/organizer_v2',
  function: '/communications/callRecords/{function}',
};

/** The route label of a request: its route's template, a Graph resource's template, or `unmatched`. */
export function routeLabel(request: FastifyRequest): string {
  const route = request.routeOptions.url;
  if (route === undefined) return 'unmatched';
  const graph = /^\/(v1\.0|beta)\/\*$/.exec(route);
  if (graph === null) return route;
  const path = /^\/(?:v1\.0|beta)(\/[^?]*)/.exec(request.url)?.[1] ?? '';
  try {
    return `/${graph[1]}${GRAPH_TEMPLATES[parseResourcePath(path).kind]}`;
  } catch {
    return `/${graph[1]}/(not a resource)`;
  }
}

/**
 * Counts every answered request (route, method, status, latency) and every request the database failed, from the
 * root, so every surface is measured. The latency is Fastify's own measure from arrival to the answer sent.
 */
export function installRequestMetrics(app: FastifyInstance, metrics: Metrics): void {
  app.addHook('onResponse', async (request, reply) => {
    metrics.observeRequest(routeLabel(request), request.method, reply.statusCode, reply.elapsedTime / 1000);
  });
  app.addHook('onError', async (_request, _reply, error) => {
    const cause = error instanceof AppError ? error.cause : error;
    if (error instanceof AppError && error.code === 'serviceNotAvailable' && cause !== undefined) {
      metrics.observeStoreError('unavailable');
    } else if (!(error instanceof AppError) && isDatabaseUnavailable(error)) {
      metrics.observeStoreError('unavailable');
    } else if (!(error instanceof AppError) && (error.statusCode === undefined || error.statusCode >= 500)) {
      metrics.observeStoreError('unexpected');
    }
  });
}

/** What the metrics surface is built from. */
export interface MetricsPluginOptions {
  metrics: Metrics;
  /** Authentication of the route (`--auth`): a scrape then needs `CallRecords.Admin`; undefined: none. */
  auth?: SurfaceAuth | undefined;
}

/**
 * `GET /metrics`: the Prometheus text format (https://prometheus.io/docs/instrumenting/exposition_formats/). One
 * route entry, never throttled; with `--auth` a scrape needs `CallRecords.Admin` (src/auth/route-roles.ts), sent by
 * Prometheus as `authorization` in its scrape config (docs/security.md).
 */
export const metricsPlugin: FastifyPluginAsync<MetricsPluginOptions> = async (app, { metrics, auth }) => {
  installAuthentication(app, auth);
  app.get('/metrics', { config: { throttle: false } }, async (_request, reply) => {
    void reply.header('content-type', metrics.contentType).send(await metrics.text());
  });
};
