import { decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';
import type { Clock } from '../clock.js';
import { AppError } from '../errors.js';
import type { Identity } from '../http/identity.js';
import { unauthenticated } from './auth-errors.js';
import type { JsonFetch } from './json-fetch.js';
import { JwksCache } from './jwks-cache.js';
import { TokenCache } from './token-cache.js';

/** The public Entra ID authority (https://learn.microsoft.com/entra/identity-platform/authentication-national-cloud). */
export const DEFAULT_AUTHORITY_HOST = 'https://login.microsoftonline.com';

/** Signature algorithms accepted: RSA and ECDSA only (Entra signs with RS256); `none`, HMAC and others are refused. */
export const ACCEPTED_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'];

/** Clock skew tolerated on `exp` and `nbf`, in seconds. */
export const CLOCK_SKEW_SECONDS = 60;

/** Where Entra tokens come from and whom they must be for. */
export interface EntraOptions {
  /** `https://login.microsoftonline.com` or a national cloud's, or a test issuer's; no trailing slash. */
  authorityHost: string;
  /** The tenants (directory ids, the `tid` claim) whose tokens are accepted. */
  tenants: readonly string[];
  /** The accepted `aud` values: the API's application id URI (v1 tokens) and/or client id (v2 tokens). */
  audiences: readonly string[];
}

/**
 * Verifies Entra ID access tokens as Graph accepts them
 * (https://learn.microsoft.com/entra/identity-platform/access-tokens#validate-tokens): the `tid` must be one of the
 * tenants; the signature must verify with a key the tenant's issuer publishes (jwks-cache.ts); `iss` must be that
 * tenant's v1.0 (`https://sts.windows.net/{tid}/`) or v2.0 (`{authorityHost}/{tid}/v2.0`) issuer; `aud` one of the
 * audiences; `exp` and `nbf` hold within `CLOCK_SKEW_SECONDS`. A verified token is cached until it expires
 * (token-cache.ts). Every failure is the same 401 but for an expired or not-yet-valid token; when the tenant's keys
 * could never be fetched, the answer is a 503 (the caller may retry), not a 401.
 */
export class EntraVerifier {
  private readonly tenants: ReadonlySet<string>;
  private readonly cache = new TokenCache();
  private readonly jwks: JwksCache;

  constructor(
    private readonly options: EntraOptions,
    fetchJson: JsonFetch,
    private readonly clock: Pick<Clock, 'now'>,
  ) {
    this.tenants = new Set(options.tenants.map((t) => t.toLowerCase()));
    this.jwks = new JwksCache(options.authorityHost, fetchJson, clock, (tenant) => this.cache.forgetTenant(tenant));
  }

  /** The identity a token proves, or a 401 `AppError`. */
  async verify(token: string): Promise<Identity> {
    const now = this.clock.now();
    const cached = this.cache.get(token, now.getTime());
    if (cached !== undefined) return cached;
    let tenant: string;
    let kid: string | undefined;
    try {
      const claims = decodeJwt(token);
      kid = decodeProtectedHeader(token).kid;
      tenant = typeof claims.tid === 'string' ? claims.tid.toLowerCase() : '';
    } catch {
      throw unauthenticated('invalid');
    }
    if (!this.tenants.has(tenant)) throw unauthenticated('invalid');
    let getKey: Awaited<ReturnType<JwksCache['keysFor']>>;
    try {
      getKey = await this.jwks.keysFor(tenant, kid);
    } catch (error) {
      // No keys were ever fetched for the tenant: nothing can be verified, which is no fault of the caller's.
      throw new AppError('serviceNotAvailable', "The token issuer's signing keys could not be fetched.", undefined, {
        cause: error,
      });
    }
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, getKey, {
        algorithms: ACCEPTED_ALGORITHMS,
        issuer: [`https://sts.windows.net/${tenant}/`, `${this.options.authorityHost}/${tenant}/v2.0`],
        audience: [...this.options.audiences],
        clockTolerance: CLOCK_SKEW_SECONDS,
        currentDate: now,
        requiredClaims: ['exp'],
      }));
    } catch (error) {
      throw unauthenticated(outOfTime(error) ? 'expired' : 'invalid');
    }
    const identity = identityOf(payload);
    this.cache.set(token, tenant, identity, (payload.exp! + CLOCK_SKEW_SECONDS) * 1000);
    return identity;
  }
}

function outOfTime(error: unknown): boolean {
  if (error instanceof errors.JWTExpired) return true;
  return error instanceof errors.JWTClaimValidationFailed && error.claim === 'nbf';
}

/** Who a verified token names: its object id (the app's service principal for app-only tokens) and its roles. */
function identityOf(payload: JWTPayload): Identity {
  const text = (name: string): string | undefined =>
    typeof payload[name] === 'string' ? (payload[name] as string) : undefined;
  const roles = Array.isArray(payload.roles) ? payload.roles.filter((r): r is string => typeof r === 'string') : [];
  return {
    id: text('oid') ?? payload.sub ?? 'unknown',
    kind: 'entra',
    name: text('app_displayname') ?? text('name') ?? text('azp') ?? text('appid') ?? 'unknown',
    roles,
  };
}
