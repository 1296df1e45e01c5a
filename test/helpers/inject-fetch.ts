import type { FastifyInstance } from 'fastify';
import type { Fetch } from '../../src/runtime/runtime.js';

/**
 * A `fetch` that hands every request to a Fastify app in this process (`inject`), whatever the URL's host: the
 * collector's Graph and token requests reach the simulator without a socket. `seen` lists `METHOD path` of each.
 */
export function injectFetch(app: FastifyInstance, seen: string[] = []): Fetch {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = (init?.method ?? 'GET') as 'GET' | 'POST';
    seen.push(`${method} ${url.pathname}`);
    const headers: Record<string, string> = { host: url.host };
    new Headers(init?.headers).forEach((value, name) => (headers[name] = value));
    const res = await app.inject({
      method,
      url: url.pathname + url.search,
      headers,
      ...(init?.body === undefined || init.body === null ? {} : { payload: String(init.body) }),
    });
    const out = new Headers();
    for (const [name, value] of Object.entries(res.headers)) {
      if (value !== undefined) out.set(name, Array.isArray(value) ? value.join(', ') : String(value));
    }
    return new Response(res.statusCode === 204 ? null : res.rawPayload, { status: res.statusCode, headers: out });
  };
}
