import type { Role } from './roles.js';

/**
 * What a route asks of its caller: a role, any valid identity (`authenticated`: a path no route serves, so that an
 * unauthenticated caller cannot tell which paths exist), or nothing (`open`).
 */
export type RouteAccess = Role | 'authenticated' | 'open';

/**
 * The access every route of the authenticated surfaces requires, by `METHOD pattern` as Fastify registers the route
 * (prefix included; a HEAD route counts as its GET). test/auth-routes.test.ts iterates over every route the app
 * registers and fails for one missing here, so a new route cannot be added unprotected. docs/security.md shows the
 * same table.
 */
export const ROUTE_ACCESS: Readonly<Record<string, RouteAccess>> = {
  // Graph serves its CSDL without a token (https://graph.microsoft.com/v1.0/$metadata); SDK generators fetch it.
  'GET /v1.0/$metadata': 'open',
  'GET /beta/$metadata': 'open',
  'GET /v1.0/*': 'CallRecords.Read.All',
  'GET /beta/*': 'CallRecords.Read.All',
  'POST /api/callRecords': 'CallRecords.Ingest',
  // Partial records and versions are reads of call records like Graph's.
  'GET /api/callRecords': 'CallRecords.Read.All',
  'GET /api/callRecords/:id/versions': 'CallRecords.Read.All',
  'GET /api/callRecords/:id/versions/:version': 'CallRecords.Read.All',
  // The archive's counts and oldest and newest records: a read.
  'GET /api/health': 'CallRecords.Read.All',
  // Probes carry no token: liveness says only that the process answers, readiness only whether it can serve.
  'GET /api/health/live': 'open',
  'GET /api/health/ready': 'open',
  'GET /api/audit': 'CallRecords.Admin',
  // Telephony logs: ingested like call records, and read beside them.
  'POST /api/logs/:kind': 'CallRecords.Ingest',
  'GET /api/callRecords/:id/telephony': 'CallRecords.Read.All',
  // Call-quality analytics: reads of call records; the building file is configuration.
  'PUT /api/buildings': 'CallRecords.Admin',
  'GET /api/buildings': 'CallRecords.Read.All',
  'GET /api/analytics/missing-subnets': 'CallRecords.Read.All',
  'GET /api/analytics/status': 'CallRecords.Read.All',
  'GET /api/analytics': 'CallRecords.Read.All',
  'GET /api/analytics/': 'CallRecords.Read.All',
  'GET /api/analytics/reports': 'CallRecords.Read.All',
  'GET /api/analytics/reports/:name': 'CallRecords.Read.All',
  // The dashboard's call search and one call's streams (issue 13): reads of call records.
  'GET /api/analytics/calls': 'CallRecords.Read.All',
  'GET /api/analytics/calls/': 'CallRecords.Read.All',
  'GET /api/analytics/calls/:id/streams': 'CallRecords.Read.All',
  // Telephony analytics over the PSTN and Direct Routing logs (issue 14): reads of call records' logs.
  'GET /api/analytics/telephony': 'CallRecords.Read.All',
  'GET /api/analytics/telephony/': 'CallRecords.Read.All',
  // Subscriptions to the archive's change notifications need what Graph asks of a callRecords subscription:
  // CallRecords.Read.All (https://learn.microsoft.com/graph/api/subscription-post-subscriptions#permissions).
  'POST /v1.0/subscriptions': 'CallRecords.Read.All',
  'POST /v1.0/subscriptions/': 'CallRecords.Read.All',
  'GET /v1.0/subscriptions': 'CallRecords.Read.All',
  'GET /v1.0/subscriptions/': 'CallRecords.Read.All',
  'GET /v1.0/subscriptions/:id': 'CallRecords.Read.All',
  'PATCH /v1.0/subscriptions/:id': 'CallRecords.Read.All',
  'DELETE /v1.0/subscriptions/:id': 'CallRecords.Read.All',
  'POST /v1.0/subscriptions/:id/reauthorize': 'CallRecords.Read.All',
  'POST /beta/subscriptions': 'CallRecords.Read.All',
  'POST /beta/subscriptions/': 'CallRecords.Read.All',
  'GET /beta/subscriptions': 'CallRecords.Read.All',
  'GET /beta/subscriptions/': 'CallRecords.Read.All',
  'GET /beta/subscriptions/:id': 'CallRecords.Read.All',
  'PATCH /beta/subscriptions/:id': 'CallRecords.Read.All',
  'DELETE /beta/subscriptions/:id': 'CallRecords.Read.All',
  'POST /beta/subscriptions/:id/reauthorize': 'CallRecords.Read.All',
  // Operations: the collector's state and the Prometheus scrape (no call data, but the archive's shape and load).
  'GET /metrics': 'CallRecords.Admin',
  'GET /api/sync/status': 'CallRecords.Admin',
};

/**
 * The access a request needs, from its method and the pattern of the route that matched it (undefined: no route).
 * A route missing from `ROUTE_ACCESS` needs the admin role, so a forgotten declaration fails closed.
 */
export function routeAccess(method: string, pattern: string | undefined): RouteAccess {
  if (pattern === undefined) return 'authenticated';
  const declared = ROUTE_ACCESS[`${method === 'HEAD' ? 'GET' : method} ${pattern}`];
  return declared ?? 'CallRecords.Admin';
}
