import type { Authenticator } from '../auth/authenticator.js';
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
