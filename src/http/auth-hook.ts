import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuditTrail } from '../auth/audit-trail.js';
import type { Authenticator } from '../auth/authenticator.js';
import { routeAccess } from '../auth/route-roles.js';
import type { Clock } from '../clock.js';
import { AppError } from '../errors.js';

/** What a surface's authentication hook needs: who decides, and where authenticated requests are recorded. */
export interface SurfaceAuth {
  authenticator: Authenticator;
  audit: AuditTrail;
  clock: Clock;
}

const MAX_AUDITED_PATH = 512;

/**
 * Installs authentication on one surface (src/http/README.md, "The surfaces"): an `onRequest` hook that finds the
 * access the matched route requires (src/auth/route-roles.ts), sets `request.identity`, and answers 401 (with
 * `WWW-Authenticate`) or 403 in the Graph shape; and an `onResponse` hook that records every request made with an
 * identity in the audit trail — who, what (method, route, record id), when, and the status answered. Nothing is
 * installed when `auth` is undefined (`--auth none`). Install it before the surface's other hooks.
 */
export function installAuthentication(surface: FastifyInstance, auth: SurfaceAuth | undefined): void {
  if (auth === undefined) return;
  const { authenticator, audit, clock } = auth;
  surface.addHook('onRequest', async (request, reply) => {
    const access = routeAccess(request.method, request.routeOptions.url);
    if (access === 'open') return;
    try {
      request.identity = await authenticator.identify(request.headers.authorization);
    } catch (error) {
      if (error instanceof AppError && error.code === 'InvalidAuthenticationToken') {
        void reply.header('www-authenticate', authenticator.challenge);
      }
      throw error;
    }
    authenticator.check(request.identity, access);
  });
  surface.addHook('onResponse', async (request, reply) => {
    const identity = request.identity;
    if (identity === undefined) return;
    audit.record({
      at: clock.now().toISOString(),
      identityId: identity.id,
      identityKind: identity.kind,
      identityName: identity.name,
      method: request.method,
      route: request.routeOptions.url ?? request.url.split('?')[0]!.slice(0, MAX_AUDITED_PATH),
      recordId: recordIdOf(request),
      status: reply.statusCode,
    });
  });
}

// `/api/callRecords/{id}/…` names it as a parameter; a Graph path as `callRecords/{id}` or `callRecords('{id}')`.
function recordIdOf(request: FastifyRequest): string | null {
  const params = request.params as { id?: unknown } | undefined;
  if (typeof params?.id === 'string') return params.id;
  const path = request.url.split('?')[0]!;
  const match = /\/callRecords(?:\/([^/(]+)|\('([^']*)'\))/.exec(path);
  const raw = match?.[1] ?? match?.[2];
  if (raw === undefined) return null;
  try {
    return decodeURIComponent(raw).slice(0, MAX_AUDITED_PATH);
  } catch {
    return raw.slice(0, MAX_AUDITED_PATH);
  }
}
