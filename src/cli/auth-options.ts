import { isIP } from 'node:net';
import type { AuthConfig } from '../auth/auth-config.js';
import { CliError } from './cli-error.js';
import { httpUrl } from './config-values.js';

/** The authentication options of `callrecords serve`, as commander hands them over. */
export interface AuthOptions {
  auth?: string;
  authAudience?: string;
  authTenantId?: string;
  authAuthorityHost?: string;
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
