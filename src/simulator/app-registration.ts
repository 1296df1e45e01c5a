import { constants, createHmac, timingSafeEqual, verify, X509Certificate, type KeyObject } from 'node:crypto';

/**
 * The one app registered in the simulated tenant: its client id, and a secret and/or a certificate it proves itself
 * with (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow).
 */
export interface AppRegistration {
  tenantId: string;
  clientId: string;
  clientSecret?: string | undefined;
  /** The app's certificate (PEM): a client assertion must be signed with its private key. */
  certificate?: string | undefined;
}

/** The claims of an access token the simulator issued. */
export interface TokenClaims {
  tid: string;
  appid: string;
  exp: number;
}

/** How long an access token lasts, in seconds (Entra's tokens last about an hour). */
export const TOKEN_LIFETIME_SECONDS = 3599;

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/**
 * Issues and checks the simulator's access tokens: JWT-shaped (`header.claims.signature`, HS256 with a key kept in
 * the database, so tokens outlive a restart) and opaque to clients, as Graph's tokens are meant to be.
 */
export class TokenIssuer {
  constructor(private readonly key: Buffer) {}

  issue(registration: AppRegistration, nowMs: number): { token: string; expiresIn: number } {
    const iat = Math.floor(nowMs / 1000);
    const claims = {
      aud: 'https://graph.microsoft.com',
      iss: `https://sts.windows.net/${registration.tenantId}/`,
      tid: registration.tenantId,
      appid: registration.clientId,
      roles: ['CallRecords.Read.All'],
      iat,
      nbf: iat,
      exp: iat + TOKEN_LIFETIME_SECONDS,
    };
    const body = `${b64url(JSON.stringify({ typ: 'JWT', alg: 'HS256' }))}.${b64url(JSON.stringify(claims))}`;
    return { token: `${body}.${this.#sign(body)}`, expiresIn: TOKEN_LIFETIME_SECONDS };
  }

  /** The claims of a token this issuer made and that has not expired at `nowMs`; undefined otherwise. */
  check(token: string, nowMs: number): TokenClaims | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const expected = Buffer.from(this.#sign(`${parts[0]}.${parts[1]}`));
    const given = Buffer.from(parts[2]!);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as TokenClaims;
    return claims.exp * 1000 > nowMs ? claims : undefined;
  }

  #sign(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}

/**
 * Checks a client assertion (RFC 7523, the JWT MSAL signs with the app's certificate,
 * https://learn.microsoft.com/entra/identity-platform/certificate-credentials): RS256 or PS256 signed by the
 * registered certificate's key, issued by and about the client, not expired. Returns why it fails, or undefined.
 */
export function assertionProblem(assertion: string, registration: AppRegistration, nowMs: number): string | undefined {
  if (registration.certificate === undefined) return 'the app has no certificate registered';
  const parts = assertion.split('.');
  if (parts.length !== 3) return 'the client assertion is not a JWT';
  let header: { alg?: string };
  let claims: { iss?: string; sub?: string; exp?: number; aud?: string };
  try {
    header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as typeof header;
    claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as typeof claims;
  } catch {
    return 'the client assertion is not a JWT';
  }
  const key: KeyObject = new X509Certificate(registration.certificate).publicKey;
  const data = Buffer.from(`${parts[0]}.${parts[1]}`);
  const signature = Buffer.from(parts[2]!, 'base64url');
  const valid =
    header.alg === 'RS256'
      ? verify('sha256', data, key, signature)
      : header.alg === 'PS256'
        ? verify('sha256', data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, signature)
        : false;
  if (!valid) return 'the client assertion is not signed by the registered certificate';
  if (claims.iss !== registration.clientId || claims.sub !== registration.clientId)
    return 'the client assertion is not issued by this client';
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= nowMs) return 'the client assertion has expired';
  return undefined;
}

/** Whether two secrets are equal, in time independent of where they differ. */
export function sameSecret(a: string, b: string): boolean {
  const [x, y] = [Buffer.from(a), Buffer.from(b)];
  return x.length === y.length && timingSafeEqual(x, y);
}
