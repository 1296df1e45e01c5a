import type { Clock } from '../clock.js';
import type { KeyStore } from '../storage/roles.js';
import { ApiKeyVerifier } from './api-keys.js';
import { Authenticator } from './authenticator.js';
import { EntraVerifier, type EntraOptions } from './entra-verifier.js';
import type { JsonFetch } from './json-fetch.js';

/** The authentication `serve` runs with: the modes that are on; none at all is `--auth none`. */
export interface AuthConfig {
  /** Entra ID tokens (`--auth entra`): where they come from and whom they are for. */
  entra?: EntraOptions | undefined;
  /** API keys (`--auth keys`). */
  keys: boolean;
}

/**
 * The authenticator of a configuration: an Entra verifier fetching keys through `fetchJson`, an API key verifier over
 * the key store, and the `WWW-Authenticate` challenge of every 401 (with the Entra authority to ask for a token when
 * Entra is on, as Graph's names its own).
 */
export function createAuthenticator(
  config: AuthConfig,
  deps: { keys: Pick<KeyStore, 'getKey'>; clock: Clock; fetchJson: JsonFetch },
): Authenticator {
  const { entra } = config;
  const challenge =
    entra === undefined
      ? 'Bearer realm="callrecords"'
      : `Bearer realm="callrecords", authorization_uri="${entra.authorityHost}/${entra.tenants[0]}/oauth2/v2.0/authorize"`;
  return new Authenticator({
    entra: entra === undefined ? undefined : new EntraVerifier(entra, deps.fetchJson, deps.clock),
    keys: config.keys ? new ApiKeyVerifier(deps.keys, deps.clock) : undefined,
    challenge,
  });
}
