import { ApiClient } from './api.js';
import { ensureSignedIn } from './auth/session.js';
import { readConfig } from './config.js';
import { h, replace } from './dom.js';
import { notFoundPage } from './pages/not-found.js';
import { Router } from './router.js';
import { ROUTES } from './routes.js';

/**
 * Starts the dashboard: reads the server's configuration from the shell, has the person sign in when the server asks
 * for it (nothing else is drawn before), then routes.
 */
async function start(): Promise<void> {
  const config = readConfig();
  const main = document.getElementById('main') as HTMLElement;
  const version = document.getElementById('version');
  if (version !== null) version.textContent = config.version === '' ? '' : `callrecords ${config.version}`;
  const session = await ensureSignedIn(config, main);
  document.getElementById('nav')?.removeAttribute('hidden');
  const account = document.getElementById('account');
  if (account !== null && session.label !== '') {
    replace(
      account,
      h('span', { class: 'who' }, session.label),
      h('button', { type: 'button', id: 'sign-out', onclick: () => session.signOut() }, 'Sign out'),
    );
  }
  new Router(ROUTES, notFoundPage, { api: new ApiClient(session), config }, main).start();
}

void start();
