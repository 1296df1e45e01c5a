import { isIP } from 'node:net';
import type { AuthConfig } from '../auth/auth-config.js';
import type { DashboardEntra } from '../dashboard/dashboard-config.js';
import { dashboardEntra } from '../dashboard/dashboard-settings.js';
import { CliError } from './cli-error.js';
import { httpUrl } from './config-values.js';

/** The authentication options of `callrecords serve`, as commander hands them over. */
export interface AuthOptions {
  auth?: string;
  authAudience?: string;
  authTenantId?: string;
  authAuthorityHost?: string;
  /** `--dashboard-client-id`: the dashboard's own Entra app registration (a single-page application). */
  dashboardClientId?: string;
  /** `--dashboard-scopes`: the API scopes the dashboard asks Entra for (default: `{first audience}/.default`). */
  dashboardScopes?: string;
  /** false with `--no-dashboard`. */
  dashboard?: boolean;
}

const MODES = ['entra', 'keys', 'none'];

/**
 * The authentication `serve` runs with, from `--auth` and its companions; undefined for `--auth none`. Without
 * `--auth`, a loopback host serves without authentication (only this machine reaches it) and any other host is
 * refused (docs/security.md, "Secure defaults"). `--auth entra` needs an audience and at least one tenant.
 */
export function authConfig(opts: AuthOptions, host: string): AuthConfig | undefined {
  if (opts.auth === undefined) {
    if (isLoopback(host)) return undefined;
    throw new CliError(
      `refusing to serve on ${host} without authentication: anyone who reaches it could read every call record. ` +
        'Choose --auth entra, --auth keys or --auth entra,keys (or CALLRECORDS_AUTH), or --auth none to serve ' +
        'without it on purpose; see docs/security.md',
    );
  }
  const modes = opts.auth.split(',').map((m) => m.trim());
  const unknown = modes.find((m) => !MODES.includes(m));
  if (unknown !== undefined || modes.length === 0 || (modes.includes('none') && modes.length > 1)) {
    throw new CliError(`--auth must be entra, keys, entra,keys or none, not '${opts.auth}'`);
  }
  if (modes.includes('none')) return undefined;
  if (!modes.includes('entra')) return { keys: true };
  const audiences = list(opts.authAudience);
  const tenants = list(opts.authTenantId);
  if (audiences.length === 0 || tenants.length === 0) {
    throw new CliError('--auth entra needs --auth-audience and --auth-tenant-id (see docs/security.md)');
  }
  const authorityHost = httpUrl(opts.authAuthorityHost ?? 'https://login.microsoftonline.com', '--auth-authority-host');
  if (!authorityHost.startsWith('https://')) throw new CliError('--auth-authority-host must be an https:// URL');
  return { entra: { authorityHost, tenants, audiences }, keys: modes.includes('keys') };
}

/**
 * The dashboard `serve` offers (createApp's `dashboard`): false with `--no-dashboard`; else, with `--auth entra` and
 * `--dashboard-client-id`, the endpoints and client of its Entra sign-in. Without the client id the dashboard offers
 * API keys only (if on) and says what is missing; a client id or scopes that nothing would use are refused.
 */
export function dashboardOptions(
  opts: AuthOptions,
  auth: AuthConfig | undefined,
): { entra?: DashboardEntra | undefined } | false {
  if (opts.dashboard === false) return false;
  const clientId = opts.dashboardClientId?.trim() ?? '';
  const scopes = list(opts.dashboardScopes);
  if (opts.dashboardScopes !== undefined && clientId === '') {
    throw new CliError('--dashboard-scopes needs --dashboard-client-id (see docs/dashboard.md, "Signing in")');
  }
  if (clientId === '') return {};
  if (auth?.entra === undefined) {
    throw new CliError(
      '--dashboard-client-id needs --auth entra: it is the client the dashboard signs in to Entra ID as',
    );
  }
  if (opts.dashboardScopes !== undefined && scopes.length === 0) {
    throw new CliError('--dashboard-scopes must name at least one scope');
  }
  return { entra: dashboardEntra(auth.entra, clientId, scopes.length === 0 ? undefined : scopes) };
}

/** Whether a listening address is reachable from this machine only: 127.0.0.0/8, ::1 or localhost. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  return bare === '::1' || bare === '0:0:0:0:0:0:0:1' || bare.startsWith('::ffff:127.');
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}
