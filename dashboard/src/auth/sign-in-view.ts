import { ApiClient, ApiError } from '../api.js';
import type { DashboardAuth } from '../../../src/dashboard/dashboard-config.js';
import { h, replace } from '../dom.js';
import { describeError } from '../states.js';
import { SignInError, startEntraSignIn } from './entra-sign-in.js';
import type { Credential } from './stored-session.js';

/**
 * The sign-in view: the modes the server offers — "Sign in with Microsoft" (Entra) and/or an API key — and nothing
 * else. Resolves with a key once the server has accepted it; Entra sign-in leaves the page (the answer comes back to
 * /sign-in). `error` is shown above (a failed Entra sign-in).
 */
export function showSignIn(root: HTMLElement, auth: DashboardAuth, error?: string): Promise<Credential> {
  return new Promise((resolve) => {
    const alert = h('p', { class: 'state error', id: 'sign-in-error', role: 'alert' }, error ?? '');
    alert.hidden = error === undefined;
    const heading = h('h1', { tabindex: -1 }, 'Sign in');
    const parts: Node[] = [];
    if (auth.modes.includes('entra')) parts.push(entraPart(auth, alert));
    if (auth.modes.includes('keys')) parts.push(keyPart(resolve));
    replace(
      root,
      h(
        'section',
        { class: 'sign-in-view', 'aria-labelledby': 'sign-in-title' },
        h('div', { class: 'page-head', id: 'sign-in-title' }, heading),
        h('p', {}, 'Call records are for signed-in people only.'),
        alert,
        ...parts,
      ),
    );
    heading.focus();
  });
}

function entraPart(auth: DashboardAuth, alert: HTMLElement): Node {
  const entra = auth.entra;
  if (entra === undefined) {
    return h(
      'p',
      { class: 'state empty', id: 'entra-unavailable' },
      'Signing in with Microsoft needs the server started with --dashboard-client-id (docs/dashboard.md).',
    );
  }
  const button = h(
    'button',
    {
      type: 'button',
      id: 'sign-in-entra',
      class: 'primary',
      onclick: () => {
        button.disabled = true;
        startEntraSignIn(entra).catch((error: unknown) => {
          button.disabled = false;
          alert.textContent = error instanceof SignInError ? error.message : String(error);
          alert.hidden = false;
        });
      },
    },
    'Sign in with Microsoft',
  );
  return h('div', { class: 'sign-in-entra' }, button);
}

function keyPart(resolve: (credential: Credential) => void): Node {
  const input = h('input', {
    id: 'api-key',
    name: 'api-key',
    type: 'password',
    autocomplete: 'off',
    spellcheck: 'false',
    required: true,
    'aria-describedby': 'api-key-help',
  });
  const message = h('p', { class: 'state error', id: 'api-key-error', role: 'alert' });
  message.hidden = true;
  const button = h('button', { type: 'submit', class: 'primary' }, 'Sign in with the key');
  const form = h(
    'form',
    {
      class: 'sign-in',
      'aria-label': 'Sign in with an API key',
      onsubmit: (event: Event) => {
        event.preventDefault();
        const key = input.value.trim();
        if (key === '') return;
        button.disabled = true;
        message.hidden = true;
        input.removeAttribute('aria-invalid');
        verifyKey(key).then(
          () => resolve({ kind: 'key', token: key, label: 'API key' }),
          (error: unknown) => {
            button.disabled = false;
            message.textContent = keyRefusal(error);
            message.hidden = false;
            input.setAttribute('aria-invalid', 'true');
            input.setAttribute('aria-describedby', 'api-key-help api-key-error');
            input.select();
            input.focus();
          },
        );
      },
    },
    h('label', { for: 'api-key' }, 'API key'),
    input,
    h('p', { class: 'hint', id: 'api-key-help' }, 'A key made with callrecords keys create (it starts with cr_).'),
    message,
    button,
  );
  return form;
}

/** Asks the server once with the key (a cheap authenticated request) before keeping it. */
async function verifyKey(key: string): Promise<void> {
  const client = new ApiClient({ authorization: () => `Bearer ${key}`, rejected: () => undefined });
  await client.json('/api/health');
}

function keyRefusal(error: unknown): string {
  if (error instanceof ApiError && error.status === 401) {
    return 'The server refused this key: it is unknown, revoked or expired.';
  }
  if (error instanceof ApiError && error.status === 403) {
    return 'This key may not read call records: it needs the role CallRecords.Read.All or CallRecords.Admin.';
  }
  return describeError(error);
}
