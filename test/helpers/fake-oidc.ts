import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issuerKey, signToken, type IssuerKey } from './test-issuer.js';
import { createSelfSignedCert } from './tls.js';

/** The person the fake tenant signs in. */
export const FAKE_USER = {
  oid: 'aaaaaaaa-0000-0000-0000-00000000d45b',
  name: 'Dana Dashboard',
  preferred_username: 'dana@contoso.example',
};

/** A code the authorize endpoint handed out, with what its redemption is checked against. */
interface IssuedCode {
  clientId: string;
  redirectUri: string;
  challenge: string;
  nonce: string | undefined;
  scope: string;
}

/**
 * A fake Entra tenant for the browser, over HTTPS on 127.0.0.1 (a self-signed certificate: the server's verifier is
 * given `ca`, the browser context ignores certificate errors). It serves the OpenID metadata and JWKS the server's
 * verifier reads, and the two endpoints of the authorization code flow with PKCE a single-page application uses
 * (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow): `authorize` checks the request and
 * sends the browser straight back with a code (the person consents at once); `token` (CORS, as Entra's for SPA
 * redirect URIs) checks the code, redirect URI and that SHA-256(code_verifier) is the challenge, and answers an
 * access token signed with the tenant's key whose claims the server accepts, and an ID token with the nonce.
 */
export class FakeOidc {
  /** The redirect URI registered for `clientId` (set once the dashboard's server has a port). */
  redirectUri = '';
  /** When set, codes are handed out with a challenge no verifier matches: the token request fails its PKCE check. */
  breakPkce = false;
  /** When set, authorize sends the browser back with another `state` than the one it was given (a forged answer). */
  tamperState = false;
  /** When set, the ID token carries another `nonce` than the authorize request's (a replayed or injected token). */
  wrongNonce = false;
  /** When set, authorize answers with this error instead of a code, as Entra does when the person declines. */
  deny: { error: string; description: string } | undefined;
  /** How many requests reached the token endpoint (preflights included). */
  tokenRequests = 0;
  /** Each authorize request's query, in order. */
  readonly authorizeRequests: URLSearchParams[] = [];
  /** Each access token issued, in order. */
  readonly accessTokens: string[] = [];
  private readonly codes = new Map<string, IssuedCode>();

  private constructor(
    private readonly server: Server,
    private readonly dir: string,
    /** `https://127.0.0.1:<port>`: the authority host. */
    readonly host: string,
    /** The certificate the server's verifier must trust. */
    readonly ca: Buffer,
    readonly key: IssuerKey,
    readonly options: { tenant: string; clientId: string; audience: string; roles: string[] },
  ) {}

  /** Starts the tenant `tenant`, whose app `clientId` gets tokens for `audience` with `roles`. */
  static async start(options: {
    tenant: string;
    clientId: string;
    audience: string;
    roles?: string[];
  }): Promise<FakeOidc> {
    const dir = mkdtempSync(join(tmpdir(), 'callrecords-fake-oidc-'));
    const cert = createSelfSignedCert(dir);
    const key = await issuerKey('fake-oidc-key');
    const self: { fake?: FakeOidc } = {};
    const server = createServer({ cert: cert.cert, key: readFileSync(cert.keyFile) }, (req, res) => {
      self.fake!.handle(req, res).catch((error: unknown) => {
        res.statusCode = 500;
        res.end(String(error));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const fake = new FakeOidc(server, dir, `https://127.0.0.1:${port}`, cert.cert, key, {
      roles: ['CallRecords.Read.All'],
      ...options,
    });
    self.fake = fake;
    return fake;
  }

  /** The v2.0 issuer of the tenant (`iss` of its tokens). */
  get issuer(): string {
    return `${this.host}/${this.options.tenant}/v2.0`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.host);
    const base = `/${this.options.tenant}`;
    if (req.method === 'GET' && url.pathname === `${base}/v2.0/.well-known/openid-configuration`) {
      return json(res, 200, {
        issuer: this.issuer,
        jwks_uri: `${this.host}${base}/discovery/v2.0/keys`,
        authorization_endpoint: `${this.host}${base}/oauth2/v2.0/authorize`,
        token_endpoint: `${this.host}${base}/oauth2/v2.0/token`,
      });
    }
    if (req.method === 'GET' && url.pathname === `${base}/discovery/v2.0/keys`) {
      return json(res, 200, { keys: [this.key.jwk] });
    }
    if (req.method === 'GET' && url.pathname === `${base}/oauth2/v2.0/authorize`) return this.authorize(url, res);
    if (url.pathname === `${base}/oauth2/v2.0/token`) {
      this.tokenRequests += 1;
      // A form POST is a simple CORS request; a preflight is answered all the same.
      res.setHeader('access-control-allow-origin', req.headers.origin ?? '*');
      if (req.method === 'OPTIONS') {
        res.setHeader('access-control-allow-methods', 'POST');
        res.setHeader('access-control-allow-headers', 'content-type');
        res.statusCode = 204;
        return void res.end();
      }
      if (req.method === 'POST') return this.token(new URLSearchParams(await bodyOf(req)), res);
    }
    json(res, 404, { error: 'not_found' });
  }

  private authorize(url: URL, res: ServerResponse): void {
    const query = url.searchParams;
    this.authorizeRequests.push(query);
    const redirect = query.get('redirect_uri') ?? '';
    // An unknown client or redirect URI is shown on the tenant's page, never sent back to an unchecked address.
    if (query.get('client_id') !== this.options.clientId || redirect !== this.redirectUri) {
      res.statusCode = 400;
      res.setHeader('content-type', 'text/plain');
      return void res.end('AADSTS50011: The redirect URI or client does not match the application registration.');
    }
    const back = new URL(redirect);
    const state = query.get('state');
    if (state !== null) back.searchParams.set('state', this.tamperState ? `${state}x` : state);
    const challenge = query.get('code_challenge') ?? '';
    if (this.deny !== undefined) {
      back.searchParams.set('error', this.deny.error);
      back.searchParams.set('error_description', this.deny.description);
    } else if (
      query.get('response_type') !== 'code' ||
      query.get('code_challenge_method') !== 'S256' ||
      !/^[A-Za-z0-9_-]{43}$/.test(challenge)
    ) {
      back.searchParams.set('error', 'invalid_request');
      back.searchParams.set('error_description', 'AADSTS9002325: Proof Key for Code Exchange is required (S256).');
    } else {
      const code = randomBytes(24).toString('base64url');
      this.codes.set(code, {
        clientId: this.options.clientId,
        redirectUri: redirect,
        challenge: this.breakPkce ? `${challenge.slice(0, -1)}${challenge.endsWith('A') ? 'B' : 'A'}` : challenge,
        nonce: this.wrongNonce ? randomBytes(16).toString('base64url') : (query.get('nonce') ?? undefined),
        scope: query.get('scope') ?? '',
      });
      back.searchParams.set('code', code);
    }
    res.statusCode = 302;
    res.setHeader('location', back.toString());
    res.end();
  }

  private async token(form: URLSearchParams, res: ServerResponse): Promise<void> {
    const code = form.get('code') ?? '';
    const issued = this.codes.get(code);
    this.codes.delete(code); // a code is redeemed once
    const refuse = (description: string) => json(res, 400, { error: 'invalid_grant', error_description: description });
    if (form.get('grant_type') !== 'authorization_code' || issued === undefined) {
      return refuse('AADSTS70000: The provided authorization code is invalid or has expired.');
    }
    if (form.get('client_id') !== issued.clientId || form.get('redirect_uri') !== issued.redirectUri) {
      return refuse('AADSTS50148: The client or redirect URI does not match the authorization request.');
    }
    const verifier = form.get('code_verifier') ?? '';
    if (createHash('sha256').update(verifier).digest('base64url') !== issued.challenge) {
      return refuse(
        'AADSTS501481: The Code_Verifier does not match the code_challenge supplied in the authorization request.',
      );
    }
    const now = new Date();
    const person = { tid: this.options.tenant, oid: FAKE_USER.oid, name: FAKE_USER.name };
    const accessToken = await signToken({
      key: this.key,
      now,
      claims: {
        ...person,
        iss: this.issuer,
        aud: this.options.audience,
        azp: issued.clientId,
        preferred_username: FAKE_USER.preferred_username,
        roles: this.options.roles,
        ver: '2.0',
      },
    });
    const idToken = await signToken({
      key: this.key,
      now,
      claims: { ...person, iss: this.issuer, aud: issued.clientId, nonce: issued.nonce, sub: FAKE_USER.oid },
    });
    this.accessTokens.push(accessToken);
    json(res, 200, {
      token_type: 'Bearer',
      scope: issued.scope,
      expires_in: 3600,
      access_token: accessToken,
      id_token: idToken,
    });
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.setHeader('cache-control', 'no-store');
  res.end(JSON.stringify(body));
}

async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
