import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { renderShell, type DashboardAsset, type DashboardBundle } from '../dashboard/dashboard-assets.js';
import type { DashboardConfig } from '../dashboard/dashboard-config.js';
import { AppError } from '../errors.js';

/**
 * The paths the dashboard's pages live at (dashboard/src/routes.ts routes the same ones in the browser): each answers
 * the page shell, so a shared link or a reload opens the page it names. Every other path stays the Graph-shaped 404.
 */
export const DASHBOARD_PAGES = [
  '/',
  '/overview',
  '/breakdown',
  '/locations',
  '/calls',
  '/calls/:id',
  '/collector',
  '/sign-in',
] as const;

/** Browser-side limits on what the shell may load and call: its own scripts and styles, the API, and the sign-in. */
function contentSecurityPolicy(config: DashboardConfig): string {
  const signIn = config.auth.entra === undefined ? '' : ` ${new URL(config.auth.entra.tokenUrl).origin}`;
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self'${signIn}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join('; ');
}

/** The encodings a request accepts, best first, among those the bundle holds. */
function pickEncoding(request: FastifyRequest): 'br' | 'gzip' | undefined {
  const accepted = String(request.headers['accept-encoding'] ?? '');
  if (/\bbr\b/.test(accepted)) return 'br';
  if (/\bgzip\b/.test(accepted)) return 'gzip';
  return undefined;
}

function sendAsset(request: FastifyRequest, reply: FastifyReply, asset: DashboardAsset): FastifyReply {
  const encoding = pickEncoding(request);
  void reply
    .header('content-type', asset.type)
    // Asset names carry a hash of their content: a new build has new names, so a browser keeps each for good.
    .header('cache-control', 'public, max-age=31536000, immutable')
    .header('vary', 'accept-encoding')
    .header('x-content-type-options', 'nosniff');
  if (encoding !== undefined) void reply.header('content-encoding', encoding);
  return reply.send(encoding === 'br' ? asset.br : encoding === 'gzip' ? asset.gzip : asset.body);
}

/**
 * The dashboard (issue 13, docs/dashboard.md): the page shell at every page path and the built assets under
 * `/assets/`. Neither holds data, so both are served without authentication; everything shown is fetched by the
 * browser from `/api` and Graph routes with the signed-in person's credential, behind the same `--auth` as any client.
 */
export async function dashboardPlugin(
  app: FastifyInstance,
  options: { bundle: DashboardBundle | undefined; config: DashboardConfig },
): Promise<void> {
  const { bundle, config } = options;
  const shell = bundle === undefined ? undefined : renderShell(bundle.shell, config);
  const csp = contentSecurityPolicy(config);
  for (const path of DASHBOARD_PAGES) {
    app.get(path, async (_request, reply) => {
      if (shell === undefined) {
        throw new AppError('serviceNotAvailable', 'The dashboard was not built: run `npm run build` (npm ci does).');
      }
      return reply
        .header('content-type', 'text/html; charset=utf-8')
        .header('cache-control', 'no-cache')
        .header('content-security-policy', csp)
        .header('x-content-type-options', 'nosniff')
        .header('referrer-policy', 'no-referrer')
        .send(shell);
    });
  }
  app.get<{ Params: { name: string } }>('/assets/:name', async (request, reply) => {
    const asset = bundle?.assets.get(request.params.name);
    if (asset === undefined) throw new AppError('NotFound', `No dashboard asset is named ${request.params.name}.`);
    return sendAsset(request, reply, asset);
  });
}
