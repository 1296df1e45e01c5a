import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Identity } from '../http/identity.js';
import type { KeyStore, StoredKey } from '../storage/roles.js';
import { unauthenticated } from './auth-errors.js';
import type { Role } from './roles.js';

/** Every API key starts with this, so a key is recognised in a header, a log or a secret scanner. */
export const KEY_PREFIX = 'cr_';

// `cr_<id>_<secret>`: a 16-hex-digit id (public: listed, audited) and 32 random bytes in base64url (43 characters).
const KEY_FORMAT = /^cr_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

/** A newly created key: the text handed to the caller once, and what is stored of it. */
export interface CreatedKey {
  key: string;
  stored: StoredKey;
}

/** The SHA-256 of a key, lower-case hex: all that is stored (a 256-bit random secret needs no slow hash). */
export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/**
 * Creates an API key (`cr_<id>_<secret>`) for a role, stores only its hash with its name and expiry, and returns the
 * key, which is never seen again.
 */
export async function createApiKey(
  store: Pick<KeyStore, 'createKey'>,
  clock: Pick<Clock, 'now'>,
  options: { role: Role; name: string; expiresAt: Date | undefined },
): Promise<CreatedKey> {
  const id = randomBytes(8).toString('hex');
  const key = `${KEY_PREFIX}${id}_${randomBytes(32).toString('base64url')}`;
  const stored: StoredKey = {
    id,
    hash: hashKey(key),
    name: options.name,
    role: options.role,
    createdAt: clock.now().toISOString(),
    expiresAt: options.expiresAt?.toISOString() ?? null,
    revokedAt: null,
  };
  await store.createKey(stored);
  return { key, stored };
}

/** Whether a bearer credential has the shape of an API key (rather than a JWT). */
export function looksLikeApiKey(credential: string): boolean {
  return credential.startsWith(KEY_PREFIX);
}

/**
 * Verifies API keys against the store on every request, so a revocation holds from the next request on, on every
 * instance: the key must exist, its hash match (compared in constant time), and it must be neither revoked nor
 * expired. Any failure is the same 401 (auth-errors.ts).
 */
export class ApiKeyVerifier {
  constructor(
    private readonly store: Pick<KeyStore, 'getKey'>,
    private readonly clock: Pick<Clock, 'now'>,
  ) {}

  /** The identity a key proves (`key:<id>`, the key's name and role), or a 401 `AppError`. */
  async verify(key: string): Promise<Identity> {
    const match = KEY_FORMAT.exec(key);
    if (match === null) throw unauthenticated('invalid');
    const stored = await this.store.getKey(match[1]!);
    if (stored === undefined) throw unauthenticated('invalid');
    const expected = Buffer.from(stored.hash, 'hex');
    const actual = Buffer.from(hashKey(key), 'hex');
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) throw unauthenticated('invalid');
    const now = this.clock.now().toISOString();
    if (stored.revokedAt !== null) throw unauthenticated('invalid');
    if (stored.expiresAt !== null && stored.expiresAt <= now) throw unauthenticated('expired');
    return { id: `key:${stored.id}`, kind: 'key', name: stored.name, roles: [stored.role] };
  }
}
