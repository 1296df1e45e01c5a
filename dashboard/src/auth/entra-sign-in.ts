import type { DashboardEntra } from '../../../src/dashboard/dashboard-config.js';
import { canUsePkce, challengeOf, randomText } from './pkce.js';
import { savePending, takePending, type Credential } from './stored-session.js';
import { stringClaim, tokenClaims } from './token-claims.js';

/**
 * Signing in with Entra ID as a single-page application: the OAuth 2.0 authorization code flow with PKCE, a public
 * client with no secret (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow). The browser
 * goes to the tenant's authorize endpoint and comes back to /sign-in with a code, which it redeems with its PKCE
 * verifier at the token endpoint (a CORS request Entra allows for the SPA platform's redirect URIs).
 */

/** The path Entra sends the person back to: the redirect URI registered for the dashboard's app. */
export const SIGN_IN_PATH = '/sign-in';

/** A sign-in that did not succeed, with what the person reads. */
export class SignInError extends Error {
  override name = 'SignInError';
}

export function redirectUri(): string {
  return `${location.origin}${SIGN_IN_PATH}`;
}

/** Leaves for the authorize endpoint; `state`, `nonce` and the verifier stay in this tab's sessionStorage. */
export async function startEntraSignIn(entra: DashboardEntra): Promise<void> {
  if (!canUsePkce()) {
    throw new SignInError('Signing in with Microsoft needs the dashboard served over HTTPS (or on localhost).');
  }
  const pending = { state: randomText(16), nonce: randomText(16), verifier: randomText(32) };
  savePending(pending);
  const url = new URL(entra.authorizeUrl);
  url.search = new URLSearchParams({
    client_id: entra.clientId,
    response_type: 'code',
    redirect_uri: redirectUri(),
    response_mode: 'query',
    scope: entra.scopes.join(' '),
    state: pending.state,
    nonce: pending.nonce,
    code_challenge: await challengeOf(pending.verifier),
    code_challenge_method: 'S256',
  }).toString();
  location.assign(url.toString());
}

/** Whether the URL is Entra's answer to the authorize request (a code or an error). */
export function isSignInAnswer(url: URL): boolean {
  return url.pathname === SIGN_IN_PATH && (url.searchParams.has('code') || url.searchParams.has('error'));
}

/**
 * Checks Entra's answer (`code`, `state`, or `error` and `error_description`) against the sign-in this tab started
 * and redeems the code for an access token. Throws a SignInError saying what went wrong.
 */
export async function completeEntraSignIn(entra: DashboardEntra, answer: URLSearchParams): Promise<Credential> {
  const pending = takePending();
  if (pending === undefined || answer.get('state') !== pending.state) {
    throw new SignInError('This sign-in answer does not belong to a sign-in started in this tab. Sign in again.');
  }
  const error = answer.get('error');
  if (error !== null) throw new SignInError(describeOAuthError(error, answer.get('error_description')));
  const code = answer.get('code') ?? '';
  const response = await fetch(entra.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({
      client_id: entra.clientId,
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri(),
      code_verifier: pending.verifier,
      scope: entra.scopes.join(' '),
    }),
  }).catch((cause: unknown) => {
    throw new SignInError(`The sign-in service could not be reached: ${(cause as Error).message}`);
  });
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok || typeof body.access_token !== 'string') {
    const code = typeof body.error === 'string' ? body.error : `${response.status} ${response.statusText}`;
    throw new SignInError(
      describeOAuthError(code, typeof body.error_description === 'string' ? body.error_description : null),
    );
  }
  return credentialOf(body.access_token, body, pending.nonce);
}

/** The credential of a token answer; the ID token, when there is one, must carry this sign-in's nonce. */
function credentialOf(accessToken: string, body: Record<string, unknown>, nonce: string): Credential {
  const access = tokenClaims(accessToken);
  const id = typeof body.id_token === 'string' ? tokenClaims(body.id_token) : undefined;
  if (typeof body.id_token === 'string' && stringClaim(id, 'nonce') !== nonce) {
    throw new SignInError('The ID token does not carry the nonce of this sign-in. Sign in again.');
  }
  const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : Number(body.expires_in);
  const exp = access?.exp;
  const expiresAt = Number.isFinite(expiresIn)
    ? Date.now() + expiresIn * 1000
    : typeof exp === 'number'
      ? exp * 1000
      : undefined;
  const label =
    stringClaim(id, 'name') ??
    stringClaim(id, 'preferred_username') ??
    stringClaim(access, 'name') ??
    stringClaim(access, 'preferred_username') ??
    'Signed in';
  return { kind: 'entra', token: accessToken, expiresAt, label };
}

function describeOAuthError(error: string, description: string | null): string {
  return `Signing in with Microsoft failed: ${description ?? error} (${error})`;
}
