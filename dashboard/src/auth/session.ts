import type { Credentials } from '../api.js';
import type { DashboardConfig } from '../config.js';
import { h, replace } from '../dom.js';

/** The signed-in person's credential for the API, and how to leave. */
export interface Session extends Credentials {
  /** Who is signed in, for the header (empty when the server asks nobody to sign in). */
  label: string;
  signOut(): void;
}

const KEY_STORAGE = 'callrecords.apiKey';

/**
 * Resolves with a session once the person may read: at once when the server runs without authentication; else from
 * the credential this tab already holds, or after the sign-in form drawn into `root`. Nothing else is drawn before.
 */
export function ensureSignedIn(config: DashboardConfig, root: HTMLElement): Promise<Session> {
  if (config.auth.modes.length === 0) {
    return Promise.resolve({
      label: '',
      authorization: () => undefined,
      rejected: () => undefined,
      signOut: () => undefined,
    });
  }
  const stored = sessionStorage.getItem(KEY_STORAGE);
  if (stored !== null) return Promise.resolve(keySession(stored));
  return new Promise((resolve) => {
    const input = h('input', { id: 'api-key', type: 'password', autocomplete: 'off', required: true });
    const form = h(
      'form',
      {
        class: 'sign-in',
        onsubmit: (event: Event) => {
          event.preventDefault();
          sessionStorage.setItem(KEY_STORAGE, input.value.trim());
          resolve(keySession(input.value.trim()));
        },
      },
      h('h1', { tabindex: -1 }, 'Sign in'),
      h('label', { for: 'api-key' }, 'API key'),
      input,
      h('button', { type: 'submit' }, 'Sign in'),
    );
    replace(root, form);
    input.focus();
  });
}

function keySession(key: string): Session {
  const signOut = (): void => {
    sessionStorage.removeItem(KEY_STORAGE);
    location.assign('/');
  };
  return { label: 'API key', authorization: () => `Bearer ${key}`, rejected: signOut, signOut };
}
