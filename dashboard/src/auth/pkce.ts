/**
 * Proof Key for Code Exchange (RFC 7636, https://www.rfc-editor.org/rfc/rfc7636): the secret the browser keeps while
 * it is away signing in, and its S256 challenge sent ahead in the authorize request. A code stolen on its way back is
 * useless without the verifier, which never leaves this tab's sessionStorage until the token request.
 */

/** `bytes` random bytes as base64url: 32 give a 43-character verifier, within RFC 7636's 43–128. */
export function randomText(bytes = 32): string {
  const random = new Uint8Array(bytes);
  crypto.getRandomValues(random);
  return base64url(random);
}

/** The S256 challenge of a verifier: BASE64URL(SHA-256(verifier)) (RFC 7636, section 4.2). */
export async function challengeOf(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

/** Whether this page may hash with Web Crypto: only in a secure context (HTTPS, or http on localhost/127.0.0.1). */
export function canUsePkce(): boolean {
  return typeof crypto !== 'undefined' && crypto.subtle !== undefined;
}

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
