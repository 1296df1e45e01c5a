import type { Identity } from '../http/identity.js';

/** The most tokens remembered; the oldest is forgotten first beyond it. */
export const TOKEN_CACHE_SIZE = 10_000;

interface Entry {
  identity: Identity;
  /** Milliseconds since the epoch after which the token is no longer valid (its `exp`). */
  expiresAt: number;
  tenant: string;
}

/**
 * Tokens already verified, so that a caller's next request with the same token costs a map lookup, not a signature
 * check (jose verifies a few thousand RS256 tokens a second). Bounded to `size` entries (the oldest go first); an
 * entry ends with its token's `exp`, and a tenant's entries are forgotten when its keys change.
 */
export class TokenCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly size = TOKEN_CACHE_SIZE) {}

  /** The identity of a verified token that has not expired at `now` (ms since the epoch), or undefined. */
  get(token: string, now: number): Identity | undefined {
    const entry = this.entries.get(token);
    if (entry === undefined) return undefined;
    if (now >= entry.expiresAt) {
      this.entries.delete(token);
      return undefined;
    }
    return entry.identity;
  }

  /** Remembers a verified token until `expiresAt` (ms since the epoch). */
  set(token: string, tenant: string, identity: Identity, expiresAt: number): void {
    if (this.entries.size >= this.size) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    this.entries.set(token, { identity, expiresAt, tenant });
  }

  /** Forgets every token of a tenant (its keys changed: a removed key must stop being accepted at once). */
  forgetTenant(tenant: string): void {
    for (const [token, entry] of this.entries) if (entry.tenant === tenant) this.entries.delete(token);
  }
}
