import { createServer, type Server } from 'node:https';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { createSelfSignedCert, type SelfSignedCert } from './tls.js';

/** A signing key of the test issuer: its `kid`, private key (to sign) and public JWK (to publish). */
export interface IssuerKey {
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

/** Generates an RS256 key pair with a `kid`. */
export async function issuerKey(kid: string): Promise<IssuerKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, use: 'sig', alg: 'RS256' };
  return { kid, privateKey, jwk };
}

/**
 * An Entra-like issuer on 127.0.0.1 over HTTPS (a self-signed certificate, the only CA a client needs): the OpenID
 * metadata at `/{tenant}/v2.0/.well-known/openid-configuration` names a JWKS whose keys the test changes at will
 * (`publish`), and counts how often each was fetched.
 */
export class TestIssuer {
  /** The keys the JWKS serves now. */
  published: IssuerKey[] = [];
  /** How many times the JWKS was fetched. */
  jwksFetches = 0;

  private constructor(
    private readonly server: Server,
    private readonly dir: string,
    /** `https://127.0.0.1:<port>`: the authority host. */
    readonly host: string,
    /** The certificate clients must trust. */
    readonly ca: Buffer,
  ) {}

  /** Starts an issuer publishing `keys`, with its own certificate unless one is given (for 127.0.0.1). */
  static async start(keys: IssuerKey[], given?: SelfSignedCert): Promise<TestIssuer> {
    const dir = mkdtempSync(join(tmpdir(), 'callrecords-issuer-'));
    const cert = given ?? createSelfSignedCert(dir);
    // The handler answers only after start() has set the issuer.
    const self: { issuer?: TestIssuer } = {};
    const server = createServer({ cert: cert.cert, key: readFileSync(cert.keyFile) }, (req, res) => {
      const url = req.url ?? '';
      const metadata = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(url);
      res.setHeader('content-type', 'application/json');
      if (metadata !== null) {
        const tenant = metadata[1]!;
        res.end(
          JSON.stringify({
            issuer: `${self.issuer!.host}/${tenant}/v2.0`,
            jwks_uri: `${self.issuer!.host}/${tenant}/discovery/v2.0/keys`,
          }),
        );
      } else if (/^\/[^/]+\/discovery\/v2\.0\/keys$/.test(url)) {
        self.issuer!.jwksFetches++;
        res.end(JSON.stringify({ keys: self.issuer!.published.map((k) => k.jwk) }));
      } else {
        res.statusCode = 404;
        res.end('{}');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const issuer = new TestIssuer(server, dir, `https://127.0.0.1:${port}`, cert.cert);
    issuer.published = keys;
    self.issuer = issuer;
    return issuer;
  }

  /** The v2.0 issuer of a tenant (`iss` of its v2 tokens). */
  issuerOf(tenant: string): string {
    return `${this.host}/${tenant}/v2.0`;
  }

  /** Stops the server and removes its certificate. */
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** What a test token carries beyond its claims: the key that signs it and its validity relative to `now`. */
export interface TokenSpec {
  key: IssuerKey;
  claims: JWTPayload;
  now: Date;
  /** Seconds from `now` (default 3600). */
  expiresIn?: number;
  /** Seconds from `now` the token becomes valid (default: at once, no `nbf` beyond `iat`). */
  notBefore?: number;
  /** A `kid` other than the key's (a token naming a key it was not signed with). */
  kid?: string;
}

/** Signs a token with RS256, as Entra would. */
export async function signToken(spec: TokenSpec): Promise<string> {
  const seconds = Math.floor(spec.now.getTime() / 1000);
  return new SignJWT(spec.claims)
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: spec.kid ?? spec.key.kid })
    .setIssuedAt(seconds)
    .setNotBefore(seconds + (spec.notBefore ?? 0))
    .setExpirationTime(seconds + (spec.expiresIn ?? 3600))
    .sign(spec.key.privateKey);
}

/** A token with `alg: none` and no signature, the classic forgery. */
export function unsignedToken(claims: JWTPayload, kid: string): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT', kid })}.${part(claims)}.`;
}
