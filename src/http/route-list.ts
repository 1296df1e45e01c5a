import type { FastifyInstance } from 'fastify';

/** A route as Fastify registered it: one method and the full pattern (prefix included). */
export interface RouteEntry {
  method: string;
  url: string;
}

const ROUTES = new WeakMap<FastifyInstance, RouteEntry[]>();

/**
 * Starts listing every route registered on `app` from now on, in every surface (an `onRoute` hook on the root, which
 * every plugin inherits). Call it before registering the surfaces.
 */
export function collectRoutes(app: FastifyInstance): void {
  const routes: RouteEntry[] = [];
  ROUTES.set(app, routes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url });
  });
}

/** Every route registered on `app` since `collectRoutes` (the route-access test iterates over them). */
export function registeredRoutes(app: FastifyInstance): readonly RouteEntry[] {
  return ROUTES.get(app) ?? [];
}
