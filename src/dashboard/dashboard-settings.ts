import type { Authenticator } from '../auth/authenticator.js';
import type { EntraOptions } from '../auth/entra-verifier.js';
import { packageVersion } from '../runtime/package-version.js';
import type { DashboardConfig, DashboardEntra } from './dashboard-config.js';

/**
 * The configuration the dashboard's shell carries: the server's version and how a person signs in, from the
 * authentication `serve` runs with. Entra sign-in is offered only with the endpoints and client `entra` gives.
 */
export function dashboardConfig(authenticator: Authenticator | undefined, entra?: DashboardEntra): DashboardConfig {
  const modes = authenticator?.modes ?? [];
  return {
    version: packageVersion(),
    auth: { modes, entra: modes.includes('entra') ? entra : undefined },
  };
}

/** The OpenID Connect scopes asked for beside the API's: an ID token with the person's name (for the header). */
const SIGN_IN_SCOPES = ['openid', 'profile'];

/**
 * Where the browser signs in with Entra ID: the v2.0 authorize and token endpoints of the first accepted tenant
 * (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow), the dashboard's own app
 * registration (`--dashboard-client-id`) and the scopes. Without `--dashboard-scopes` the API's scope is
 * `{first audience}/.default`, so the access token's `aud` is one the server accepts.
 */
export function dashboardEntra(
  entra: Pick<EntraOptions, 'authorityHost' | 'tenants' | 'audiences'>,
  clientId: string,
  scopes?: readonly string[],
): DashboardEntra {
  const base = `${entra.authorityHost}/${entra.tenants[0]}/oauth2/v2.0`;
  const api = scopes !== undefined && scopes.length > 0 ? scopes : [`${entra.audiences[0]}/.default`];
  return {
    authorizeUrl: `${base}/authorize`,
    tokenUrl: `${base}/token`,
    clientId,
    scopes: [...new Set([...api, ...SIGN_IN_SCOPES])],
  };
}
