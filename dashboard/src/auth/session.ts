import type { Credentials } from '../api.js';
import type { DashboardConfig } from '../config.js';
import { h, replace } from '../dom.js';
import { completeEntraSignIn, isSignInAnswer, SIGN_IN_PATH, SignInError } from './entra-sign-in.js';
import { showSignIn } from './sign-in-view.js';
import {
  clearCredential,
  forgetAskedFor,
  isExpired,
  readCredential,
  rememberAskedFor,
  saveCredential,
  takeAskedFor,
  type Credential,
} from './stored-session.js';

/** The signed-in person's credential for the API, and how to leave. */
export interface Session extends Credentials {
  /** Who is signed in, for the header (empty when the server asks nobody to sign in). */
  label: string;
  signOut(): void;
}

/**
 * Resolves with a session once the person may read: at once when the server runs without authentication; else from
 * the credential this tab holds, from Entra's answer at /sign-in, or after the sign-in view drawn into `root`. Nothing
 * else is drawn and no API request is made before (but the one that checks an API key). Once signed in, the URL is
 * the page first asked for.
 */
export async function ensureSignedIn(config: DashboardConfig, root: HTMLElement): Promise<Session> {
  if (config.auth.modes.length === 0) {
    leaveSignInPath('/overview');
    return { label: '', authorization: () => undefined, rejected: () => undefined, signOut: () => undefined };
  }
  let error: string | undefined;
  if (isSignInAnswer(new URL(location.href))) {
    const answer = new URLSearchParams(location.search);
    // The code is single-use, but it leaves the address bar (and the history) before anything else.
    history.replaceState(null, '', SIGN_IN_PATH);
    try {
      if (config.auth.entra === undefined)
        throw new SignInError('This server does not offer signing in with Microsoft.');
      replace(root, h('p', { class: 'state loading', role: 'status' }, 'Signing in…'));
      return signedIn(await completeEntraSignIn(config.auth.entra, answer));
    } catch (failure) {
      error = failure instanceof SignInError ? failure.message : String(failure);
    }
  }
  const held = error === undefined ? readCredential() : undefined;
  if (held !== undefined) {
    leaveSignInPath(takeAskedFor());
    return sessionOf(held);
  }
  if (location.pathname !== SIGN_IN_PATH) rememberAskedFor(location.pathname + location.search);
  return signedIn(await showSignIn(root, config.auth, error));
}

/** Keeps a new credential and goes (without a reload) to the page first asked for. */
function signedIn(credential: Credential): Session {
  saveCredential(credential);
  const target = takeAskedFor();
  const here = location.pathname + location.search;
  if (location.pathname === SIGN_IN_PATH || here !== target) history.replaceState(null, '', target);
  return sessionOf(credential);
}

/** /sign-in is no page of its own once signed in: show `target` instead. */
function leaveSignInPath(target: string): void {
  if (location.pathname === SIGN_IN_PATH) history.replaceState(null, '', target);
}

function sessionOf(credential: Credential): Session {
  let leaving = false;
  const toSignIn = (askedFor?: string): void => {
    if (leaving) return;
    leaving = true;
    clearCredential();
    if (askedFor === undefined) forgetAskedFor();
    else rememberAskedFor(askedFor);
    location.assign(SIGN_IN_PATH);
  };
  // Refused or expired: sign in again, then come back to this page.
  const rejected = (): void => toSignIn(location.pathname + location.search);
  return {
    label: credential.label,
    authorization: () => {
      if (!isExpired(credential)) return `Bearer ${credential.token}`;
      rejected();
      return undefined;
    },
    rejected,
    signOut: () => toSignIn(),
  };
}
