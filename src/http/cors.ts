import type { FastifyInstance } from 'fastify';

/** The response headers a browser app may read: the ids to quote in a support case, and the applied preferences. */
const EXPOSED_HEADERS = 'request-id, client-request-id, Preference-Applied';
// The request headers Graph clients send beyond the CORS-safelisted ones.
const ALLOWED_HEADERS = 'authorization, content-type, client-request-id, prefer, consistencylevel, sdkversion';
const ALLOWED_METHODS = 'GET, HEAD, POST';
const PREFLIGHT_MAX_AGE_SECONDS = '600';

/**
 * Lets browser apps of the given origins (or `*`: any) call the API: a preflight `OPTIONS` is answered 204, and a
 * request from an allowed origin gets `Access-Control-Allow-Origin` echoing it, with `request-id`,
 * `client-request-id` and `Preference-Applied` exposed. Other origins get no CORS headers, so their browser blocks
 * the response. Install it before the routes: a preflight must be answered before any route refuses its method.
 * (Fetch standard, CORS protocol: https://fetch.spec.whatwg.org/#http-cors-protocol)
 */
export function installCors(app: FastifyInstance, origins: readonly string[]): void {
  const any = origins.includes('*');
  const allowed = new Set(origins);
  app.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    if (origin === undefined) return;
    // The answer depends on Origin, so caches must keep one copy per origin.
    void reply.header('vary', 'Origin');
    const permitted = any || allowed.has(origin);
    const preflight = request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined;
    if (permitted) {
      void reply.header('access-control-allow-origin', origin);
      if (!preflight) void reply.header('access-control-expose-headers', EXPOSED_HEADERS);
    }
    if (!preflight) return;
    if (permitted) {
      void reply
        .header('access-control-allow-methods', ALLOWED_METHODS)
        .header('access-control-allow-headers', request.headers['access-control-request-headers'] ?? ALLOWED_HEADERS)
        .header('access-control-max-age', PREFLIGHT_MAX_AGE_SECONDS);
    }
    return reply.code(204).send();
  });
}
