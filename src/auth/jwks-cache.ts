import { createLocalJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import type { Clock } from '../clock.js';
import type { JsonFetch } from './json-fetch.js';

/** How long a tenant's keys are used before they are fetched again (Entra rotates with weeks of overlap). */
export const JWKS_MAX_AGE_MS = 60 * 60 * 1000;
/** The least time between two fetches for a tenant: a token with an unknown `kid` cannot make the server fetch more. */
export const JWKS_REFRESH_COOLDOWN_MS = 60 * 1000;

interface TenantKeys {
  getKey: JWTVerifyGetKey;
  kids: ReadonlySet<string>;
  fetchedAt: number;
}

/**
 * The signing keys of each tenant's issuer: the OpenID metadata at
 * `{authorityHost}/{tenant}/v2.0/.well-known/openid-configuration` names `jwks_uri`
 * (https://learn.microsoft.com/entra/identity-platform/access-tokens#validate-the-signature), whose keys are kept for
 * `JWKS_MAX_AGE_MS` and fetched again at once for an unknown `kid` (a rotation), at most once per
 * `JWKS_REFRESH_COOLDOWN_MS`. Concurrent requests share one fetch; a failed fetch keeps the keys held before.
 * `onRefresh` is told each time a tenant's key set changes (the token cache forgets tokens of removed keys).
 */
export class JwksCache {
  private readonly tenants = new Map<string, TenantKeys>();
  private readonly inFlight = new Map<string, Promise<TenantKeys>>();
  private readonly lastAttempt = new Map<string, number>();

  constructor(
    private readonly authorityHost: string,
    private readonly fetchJson: JsonFetch,
    private readonly clock: Pick<Clock, 'now'>,
    private readonly onRefresh: (tenant: string) => void = () => undefined,
  ) {}

  /** The key resolver for a tenant's tokens (jose's `JWTVerifyGetKey`), fetching the keys first if needed. */
  async keysFor(tenant: string, kid: string | undefined): Promise<JWTVerifyGetKey> {
    const held = this.tenants.get(tenant);
    const now = this.clock.now().getTime();
    const stale = held === undefined || now - held.fetchedAt >= JWKS_MAX_AGE_MS;
    const unknownKid = held !== undefined && kid !== undefined && !held.kids.has(kid);
    const mayFetch = now - (this.lastAttempt.get(tenant) ?? -Infinity) >= JWKS_REFRESH_COOLDOWN_MS;
    if (held === undefined || ((stale || unknownKid) && mayFetch)) {
      try {
        return (await this.refresh(tenant)).getKey;
      } catch (error) {
        if (held === undefined) throw error;
      }
    }
    return held.getKey;
  }

  private refresh(tenant: string): Promise<TenantKeys> {
    const pending = this.inFlight.get(tenant);
    if (pending !== undefined) return pending;
    this.lastAttempt.set(tenant, this.clock.now().getTime());
    const fetching = this.fetchKeys(tenant).finally(() => this.inFlight.delete(tenant));
    this.inFlight.set(tenant, fetching);
    return fetching;
  }

  private async fetchKeys(tenant: string): Promise<TenantKeys> {
    const metadataUrl = `${this.authorityHost}/${encodeURIComponent(tenant)}/v2.0/.well-known/openid-configuration`;
    const metadata = (await this.fetchJson(metadataUrl)) as { jwks_uri?: unknown };
    if (typeof metadata.jwks_uri !== 'string' || !metadata.jwks_uri.startsWith('https://')) {
      throw new Error(`${metadataUrl} names no https jwks_uri`);
    }
    const jwks = (await this.fetchJson(metadata.jwks_uri)) as JSONWebKeySet;
    if (!Array.isArray(jwks.keys)) throw new Error(`${metadata.jwks_uri} holds no keys`);
    const kids = new Set(jwks.keys.map((k) => k.kid).filter((k): k is string => typeof k === 'string'));
    const keys = { getKey: createLocalJWKSet(jwks), kids, fetchedAt: this.clock.now().getTime() };
    this.tenants.set(tenant, keys);
    this.onRefresh(tenant);
    return keys;
  }
}
