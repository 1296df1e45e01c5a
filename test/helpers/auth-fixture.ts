import type { FastifyInstance } from 'fastify';
import type { JWTPayload } from 'jose';
import { createApiKey } from '../../src/auth/api-keys.js';
import { createAuthenticator } from '../../src/auth/auth-config.js';
import { httpsJsonFetch } from '../../src/auth/json-fetch.js';
import type { Role } from '../../src/auth/roles.js';
import { FakeClock } from '../../src/fake-clock.js';
import type { CallRecordDatabase } from '../../src/storage/roles.js';
import type { Backend } from './databases.js';
import { FIXED_NOW, createTestApp } from './test-app.js';
import { issuerKey, signToken, TestIssuer, type IssuerKey } from './test-issuer.js';

/** The tenant whose tokens the fixture's app accepts. */
export const TENANT = '0b1a4b4e-1c4e-4f3e-9d7a-111111111111';
/** Another tenant, whose tokens it refuses. */
export const OTHER_TENANT = '0b1a4b4e-1c4e-4f3e-9d7a-222222222222';
/** The audience the app accepts (the application id URI of its registration). */
export const AUDIENCE = 'api://callrecords-test';

/**
 * An app with `--auth entra,keys` over a test issuer (tls, on 127.0.0.1) and a database of `backend`, on a
 * FakeClock at FIXED_NOW; `token()` signs Entra-like tokens, `key()` creates API keys.
 */
export interface AuthFixture {
  app: FastifyInstance;
  db: CallRecordDatabase;
  clock: FakeClock;
  issuer: TestIssuer;
  /** The key the issuer publishes first (`kid` "key-a"). */
  keyA: IssuerKey;
  /** A v2 token of TENANT for AUDIENCE with `roles`, signed with `keyA` unless told; `claims` override any claim. */
  token(
    roles: readonly string[],
    options?: { claims?: JWTPayload; key?: IssuerKey; expiresIn?: number; notBefore?: number; kid?: string },
  ): Promise<string>;
  /** A new API key of `role`. */
  key(role: Role, expiresAt?: Date): Promise<string>;
  close(): Promise<void>;
}

/** Starts the issuer and the app. */
export async function startAuthFixture(backend?: Backend): Promise<AuthFixture> {
  const keyA = await issuerKey('key-a');
  const issuer = await TestIssuer.start([keyA]);
  const clock = new FakeClock(FIXED_NOW);
  const entra = { authorityHost: issuer.host, tenants: [TENANT], audiences: [AUDIENCE] };
  const fetchJson = httpsJsonFetch({ ca: issuer.ca });
  let test: Awaited<ReturnType<typeof createTestApp>>;
  try {
    test = await createTestApp({
      ...(backend === undefined ? {} : { backend }),
      clock,
      authenticator: (db) => createAuthenticator({ entra, keys: true }, { keys: db.keys, clock, fetchJson }),
    });
  } catch (error) {
    await issuer.close();
    throw error;
  }
  return {
    app: test.app,
    db: test.db,
    clock,
    issuer,
    keyA,
    token: (roles, options = {}) =>
      signToken({
        key: options.key ?? keyA,
        now: clock.now(),
        claims: {
          iss: issuer.issuerOf(TENANT),
          aud: AUDIENCE,
          tid: TENANT,
          oid: 'aaaaaaaa-0000-0000-0000-000000000001',
          azp: 'collector-app',
          roles: [...roles],
          ...options.claims,
        },
        ...(options.expiresIn === undefined ? {} : { expiresIn: options.expiresIn }),
        ...(options.notBefore === undefined ? {} : { notBefore: options.notBefore }),
        ...(options.kid === undefined ? {} : { kid: options.kid }),
      }),
    key: async (role, expiresAt) =>
      (await createApiKey(test.db.keys, clock, { role, name: `test ${role}`, expiresAt })).key,
    close: async () => {
      try {
        await test.close();
      } finally {
        await issuer.close();
      }
    },
  };
}

/** The `Authorization` header of a bearer credential. */
export function bearer(credential: string): { authorization: string } {
  return { authorization: `Bearer ${credential}` };
}
