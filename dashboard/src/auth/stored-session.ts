/**
 * What this tab keeps of a sign-in, in sessionStorage: gone when the tab closes, never shared with other tabs or
 * written to disk as localStorage would be (docs/security.md, "The dashboard").
 */

/** The credential the API is called with, and what the header shows. */
export interface Credential {
  kind: 'entra' | 'key';
  /** The access token or API key, sent as `Authorization: Bearer …`. */
  token: string;
  /** Entra: when the access token expires (ms since the epoch); a key has no expiry the browser knows. */
  expiresAt?: number | undefined;
  label: string;
}

/** An Entra sign-in under way: what the answer to the authorize request is checked against. */
export interface PendingSignIn {
  state: string;
  nonce: string;
  verifier: string;
}

const CREDENTIAL = 'callrecords.credential';
const PENDING = 'callrecords.pendingSignIn';
const ASKED_FOR = 'callrecords.askedFor';

/** A token this close to its expiry is treated as expired: a request sent with it could arrive too late. */
const EXPIRY_MARGIN_MS = 30_000;

export function isExpired(credential: Credential, now = Date.now()): boolean {
  return credential.expiresAt !== undefined && credential.expiresAt - EXPIRY_MARGIN_MS <= now;
}

/** The credential this tab holds, unless it has expired (then it is dropped). */
export function readCredential(): Credential | undefined {
  const credential = readJson<Credential>(CREDENTIAL);
  if (credential === undefined || typeof credential.token !== 'string' || credential.token === '') return undefined;
  if (isExpired(credential)) {
    sessionStorage.removeItem(CREDENTIAL);
    return undefined;
  }
  return credential;
}

export function saveCredential(credential: Credential): void {
  sessionStorage.setItem(CREDENTIAL, JSON.stringify(credential));
}

export function clearCredential(): void {
  sessionStorage.removeItem(CREDENTIAL);
  sessionStorage.removeItem(PENDING);
}

export function savePending(pending: PendingSignIn): void {
  sessionStorage.setItem(PENDING, JSON.stringify(pending));
}

/** The sign-in under way, taken out: each answer is checked once. */
export function takePending(): PendingSignIn | undefined {
  const pending = readJson<PendingSignIn>(PENDING);
  sessionStorage.removeItem(PENDING);
  return pending;
}

/** The page (path and query) the person asked for, to return to after signing in. Only paths of this site. */
export function rememberAskedFor(url: string): void {
  if (isLocalPath(url)) sessionStorage.setItem(ASKED_FOR, url);
}

/** The page to go to after signing in (and forgets it): the one asked for, else the overview. */
export function takeAskedFor(): string {
  const url = sessionStorage.getItem(ASKED_FOR);
  sessionStorage.removeItem(ASKED_FOR);
  return url !== null && isLocalPath(url) ? url : '/overview';
}

export function forgetAskedFor(): void {
  sessionStorage.removeItem(ASKED_FOR);
}

// A path on this origin: `//host` or `/\host` would be read by the browser as another site.
function isLocalPath(url: string): boolean {
  return url.startsWith('/') && !url.startsWith('//') && !url.startsWith('/\\');
}

function readJson<T>(key: string): T | undefined {
  const text = sessionStorage.getItem(key);
  if (text === null) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    sessionStorage.removeItem(key);
    return undefined;
  }
}
