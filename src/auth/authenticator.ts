import type { Identity } from '../http/identity.js';
import type { ApiKeyVerifier } from './api-keys.js';
import { looksLikeApiKey } from './api-keys.js';
import { forbidden, unauthenticated } from './auth-errors.js';
import type { EntraVerifier } from './entra-verifier.js';
import type { Role } from './roles.js';
import type { RouteAccess } from './route-roles.js';

/** The verifiers of the modes that are on (`--auth entra`, `keys`, or both). */
export interface AuthenticatorOptions {
  entra?: EntraVerifier | undefined;
  keys?: ApiKeyVerifier | undefined;
  /** The `WWW-Authenticate` value sent with every 401. */
  challenge: string;
}

/**
 * Decides who a request comes from and whether it may do what it asks: reads `Authorization: Bearer <credential>`,
 * hands an API key (`cr_…`) to the key verifier and anything else to the Entra verifier, and checks the role the
 * route requires (route-roles.ts). Throws the Graph-shaped 401 or 403 (auth-errors.ts).
 */
export class Authenticator {
  readonly challenge: string;

  constructor(private readonly options: AuthenticatorOptions) {
    this.challenge = options.challenge;
  }

  /** The modes that are on, as `--auth` names them (the dashboard's sign-in offers these). */
  get modes(): ('entra' | 'keys')[] {
    return [
      ...(this.options.entra === undefined ? [] : ['entra' as const]),
      ...(this.options.keys === undefined ? [] : ['keys' as const]),
    ];
  }

  /** The identity behind an `Authorization` header, or a 401 `AppError`. */
  async identify(authorization: string | undefined): Promise<Identity> {
    const credential = bearerCredential(authorization);
    if (credential === undefined) throw unauthenticated('missing');
    const { entra, keys } = this.options;
    if (looksLikeApiKey(credential)) {
      if (keys === undefined) throw unauthenticated('invalid');
      return keys.verify(credential);
    }
    if (entra === undefined) throw unauthenticated('invalid');
    return entra.verify(credential);
  }

  /** Nothing, when the identity may use a route of this access; a 403 `AppError` otherwise. */
  check(identity: Identity, access: RouteAccess): void {
    if (access !== 'open' && access !== 'authenticated' && !holds(identity, access)) throw forbidden();
  }
}

/**
 * Whether an identity holds a role. `CallRecords.Admin` holds every role: an admin can create a key of any role
 * anyway, so withholding reads from it would protect nothing.
 */
export function holds(identity: Identity, role: Role): boolean {
  return identity.roles.includes(role) || identity.roles.includes('CallRecords.Admin');
}

/** The credential of `Authorization: Bearer <credential>` (the scheme in any case), or undefined. */
function bearerCredential(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer +(\S+) *$/i.exec(header);
  return match?.[1];
}
