/**
 * Signing in to the dashboard (issue 13, point 3): with `--auth` on, a page shows only the sign-in view and asks the
 * API nothing; an API key is checked before it is kept; "Sign in with Microsoft" runs the authorization code flow
 * with PKCE against a fake Entra tenant and lands on the page first asked for, every API request carrying its token.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page, Request } from 'playwright-core';
import { createApiKey } from '../src/auth/api-keys.js';
import { createAuthenticator } from '../src/auth/auth-config.js';
import { httpsJsonFetch, jsonFetchOf } from '../src/auth/json-fetch.js';
import { systemClock } from '../src/clock.js';
import { dashboardEntra } from '../src/dashboard/dashboard-settings.js';
import { inPage, launchBrowser, screenshot, settled, until, VIEWPORTS, watchedPage } from './helpers/browser.js';
import { generatedPeriod, startDashboardServer, type DashboardServer } from './helpers/dashboard-server.js';
import { FAKE_USER, FakeOidc } from './helpers/fake-oidc.js';

const { from: FROM, to: TO } = generatedPeriod();
const OVERVIEW = `/overview?from=${FROM}&to=${TO}`;

/** The requests a page made to the API (`/api`, Graph's `/v1.0`), with their `Authorization` header. */
function apiRequests(page: Page): { path: string; authorization: string | undefined }[] {
  const seen: { path: string; authorization: string | undefined }[] = [];
  page.on('request', (request: Request) => {
    const url = new URL(request.url());
    if (/^\/(api|v1\.0)\//.test(url.pathname)) {
      seen.push({ path: url.pathname, authorization: request.headers().authorization });
    }
  });
  return seen;
}

/** Asserts that the page shows the sign-in view and nothing of the dashboard. */
async function showsOnlySignIn(page: Page): Promise<void> {
  await page.locator('h1', { hasText: 'Sign in' }).waitFor();
  assert.equal(await page.locator('#nav').isHidden(), true, 'no navigation before sign-in');
  assert.equal(await page.locator('figure.chart, table, #sign-out').count(), 0, 'no data, no account');
}

describe('dashboard sign-in with API keys (Chromium)', () => {
  let server: DashboardServer;
  let browser: Browser;
  let key: string;

  before(async () => {
    server = await startDashboardServer({
      calls: 100,
      authenticator: (db) =>
        createAuthenticator(
          { keys: true },
          { keys: db.keys, clock: systemClock, fetchJson: jsonFetchOf(globalThis.fetch) },
        ),
    });
    key = (
      await createApiKey(server.db.keys, systemClock, {
        role: 'CallRecords.Read.All',
        name: 'dashboard test',
        expiresAt: undefined,
      })
    ).key;
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows only the sign-in form before, refuses a wrong key, opens the page with a good one, signs out', async () => {
    // The 401s: the wrong key's verification, and the overview's reads once the key is revoked.
    const { page, problems, context } = await watchedPage(browser, { expectedStatus: [/^GET \/api\/[a-z/]+ 401$/] });
    const requests = apiRequests(page);
    await page.goto(`${server.url}${OVERVIEW}`);
    await showsOnlySignIn(page);
    assert.equal(await page.locator('#sign-in-entra').count(), 0, 'keys only: no Microsoft button');
    assert.equal(await page.getByLabel('API key', { exact: true }).getAttribute('type'), 'password');
    assert.equal(requests.length, 0, 'no API request before sign-in');
    await page.setViewportSize(VIEWPORTS.phone);
    assert.equal(
      await inPage(page, 'document.documentElement.scrollWidth'),
      VIEWPORTS.phone.width,
      'no sideways scroll',
    );
    await page.setViewportSize(VIEWPORTS.desktop);

    // A key the server does not know: an error, and the person stays on the form.
    await page.getByLabel('API key', { exact: true }).fill(`cr_0123456789abcdef_${'x'.repeat(43)}`);
    await page.getByRole('button', { name: 'Sign in with the key' }).click();
    await page.locator('#api-key-error:not([hidden])').waitFor();
    assert.match((await page.locator('#api-key-error').textContent()) ?? '', /refused this key/);
    await showsOnlySignIn(page);
    assert.deepEqual(
      requests.map((r) => r.path),
      ['/api/health'],
      'only the verification was asked before sign-in',
    );

    await page.getByLabel('API key', { exact: true }).fill(key);
    await page.getByRole('button', { name: 'Sign in with the key' }).click();
    await settled(page, 3);
    assert.equal(new URL(page.url()).pathname + new URL(page.url()).search, OVERVIEW, 'the page first asked for');
    assert.equal(await page.locator('#nav').isVisible(), true);
    assert.equal(await page.locator('#account .who').textContent(), 'API key');
    const afterSignIn = requests.slice(1);
    assert.ok(afterSignIn.length > 1, 'the overview read the API');
    for (const request of afterSignIn) assert.equal(request.authorization, `Bearer ${key}`, request.path);
    assert.equal(await inPage(page, 'localStorage.length'), 0, 'nothing kept in localStorage');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((url) => url.pathname === '/sign-in');
    await showsOnlySignIn(page);
    assert.equal(await inPage(page, `sessionStorage.getItem('callrecords.credential')`), null);

    // Signed in again (from /sign-in: the overview), then the key is revoked: the next reads are refused, and the
    // page goes back to sign-in, to return to the same page after.
    await page.getByLabel('API key', { exact: true }).fill(key);
    await page.getByRole('button', { name: 'Sign in with the key' }).click();
    await settled(page, 3);
    assert.equal(new URL(page.url()).pathname, '/overview');
    assert.equal(await server.db.keys.revokeKey(key.split('_')[1]!, new Date().toISOString()), true);
    assert.deepEqual(problems, []);
    await page.reload();
    await page.waitForURL((url) => url.pathname === '/sign-in');
    await showsOnlySignIn(page);
    assert.equal(await inPage(page, `sessionStorage.getItem('callrecords.askedFor')`), '/overview');
    // Leaving for /sign-in at the first 401 cancels the page's other reads, which would be refused too.
    for (const problem of problems) assert.match(problem, /^failed: GET \S+\/api\/\S+ net::ERR_ABORTED$/);
    await context.close();
  });
});

describe('dashboard sign-in with Entra ID (Chromium, a fake tenant)', () => {
  const TENANT = '0b1a4b4e-1c4e-4f3e-9d7a-333333333333';
  const AUDIENCE = 'api://callrecords-dashboard-test';
  const CLIENT_ID = '5e1f0d2c-0000-4000-8000-00000000da5b';
  let fake: FakeOidc;
  let server: DashboardServer;
  let browser: Browser;

  before(async () => {
    fake = await FakeOidc.start({ tenant: TENANT, clientId: CLIENT_ID, audience: AUDIENCE });
    const entra = { authorityHost: fake.host, tenants: [TENANT], audiences: [AUDIENCE] };
    server = await startDashboardServer({
      calls: 100,
      authenticator: (db) =>
        createAuthenticator(
          { entra, keys: true },
          { keys: db.keys, clock: systemClock, fetchJson: httpsJsonFetch({ ca: fake.ca }) },
        ),
      entra: dashboardEntra(entra, CLIENT_ID),
    });
    fake.redirectUri = `${server.url}/sign-in`;
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await fake?.close();
  });

  it('goes through the tenant with PKCE, lands on the page asked for, sends the token, keeps it on reload', async () => {
    const { page, problems, context } = await watchedPage(browser, { ignoreHTTPSErrors: true });
    const requests = apiRequests(page);
    await page.goto(`${server.url}${OVERVIEW}`);
    await showsOnlySignIn(page);
    assert.equal(await page.getByLabel('API key', { exact: true }).count(), 1, 'entra,keys: the key form too');
    assert.equal(requests.length, 0, 'no API request before sign-in');
    await screenshot(page, 'sign-in');

    await page.getByRole('button', { name: 'Sign in with Microsoft' }).click();
    await page.waitForURL((url) => url.pathname === '/overview');
    await settled(page, 3);
    assert.equal(new URL(page.url()).search, `?from=${FROM}&to=${TO}`, 'the query first asked for, no code');
    const authorize = fake.authorizeRequests.at(-1)!;
    assert.equal(authorize.get('code_challenge_method'), 'S256');
    assert.equal(authorize.get('redirect_uri'), `${server.url}/sign-in`);
    assert.equal(authorize.get('response_mode'), 'query');
    assert.deepEqual(authorize.get('scope')?.split(' '), [`${AUDIENCE}/.default`, 'openid', 'profile']);
    assert.equal(await page.locator('#account .who').textContent(), FAKE_USER.name);
    const token = fake.accessTokens.at(-1)!;
    assert.ok(requests.length > 1, 'the overview read the API');
    for (const request of requests) assert.equal(request.authorization, `Bearer ${token}`, request.path);
    assert.equal(await inPage(page, 'localStorage.length'), 0, 'the token is not in localStorage');
    assert.match((await inPage<string>(page, `sessionStorage.getItem('callrecords.credential')`)) ?? '', /"entra"/);

    // A reload keeps the session: no new trip to the tenant.
    const trips = fake.authorizeRequests.length;
    await page.reload();
    await settled(page, 3);
    assert.equal(fake.authorizeRequests.length, trips);
    assert.equal(await page.locator('#account .who').textContent(), FAKE_USER.name);
    await screenshot(page, 'signed-in-entra');

    // An expired token is dropped: the page asks for sign-in again, and reads nothing meanwhile.
    await inPage(
      page,
      `(() => { const c = JSON.parse(sessionStorage.getItem('callrecords.credential'));
        c.expiresAt = Date.now() - 1000; sessionStorage.setItem('callrecords.credential', JSON.stringify(c)); })()`,
    );
    const before = requests.length;
    await page.reload();
    await showsOnlySignIn(page);
    assert.equal(requests.length, before, 'no request with the expired token');
    assert.deepEqual(problems, []);
    await context.close();
  });

  /**
   * Answers the dashboard must refuse (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow:
   * `state` against cross-site request forgery, `nonce` against token replay). Each starts in a fresh tab, and ends
   * on the sign-in view with the refusal, with no credential, no API request and only the token requests listed.
   */
  const refusals: {
    name: string;
    fake: Partial<Pick<FakeOidc, 'tamperState' | 'wrongNonce' | 'deny'>>;
    /** Opened as is (an answer nobody asked for); otherwise the person starts at /calls and signs in. */
    open?: string;
    message: RegExp;
    tokenRequests: number;
  }[] = [
    {
      name: 'an answer opened in a tab that started no sign-in (a forged link)',
      fake: {},
      open: '/sign-in?code=x&state=forged',
      message: /^This sign-in answer does not belong to a sign-in started in this tab\. Sign in again\.$/,
      tokenRequests: 0,
    },
    {
      name: 'an answer with another state than the sign-in this tab started',
      fake: { tamperState: true },
      message: /^This sign-in answer does not belong to a sign-in started in this tab\. Sign in again\.$/,
      tokenRequests: 0,
    },
    {
      name: 'an ID token with another nonce than this sign-in’s',
      fake: { wrongNonce: true },
      message: /^The ID token does not carry the nonce of this sign-in\. Sign in again\.$/,
      tokenRequests: 1,
    },
    {
      name: 'the tenant’s error, whose description is shown as text, not markup',
      fake: { deny: { error: 'access_denied', description: 'AADSTS65004: <b>Dana</b> declined to consent.' } },
      message: /^Signing in with Microsoft failed: AADSTS65004: <b>Dana<\/b> declined to consent\. \(access_denied\)$/,
      tokenRequests: 0,
    },
  ];
  for (const refusal of refusals) {
    it(`refuses ${refusal.name}: nothing kept, no API request`, async () => {
      const { page, problems, context } = await watchedPage(browser, { ignoreHTTPSErrors: true });
      const requests = apiRequests(page);
      const tokenRequests = fake.tokenRequests;
      const accessTokens = fake.accessTokens.length;
      Object.assign(fake, refusal.fake);
      try {
        if (refusal.open !== undefined) {
          await page.goto(`${server.url}${refusal.open}`);
        } else {
          await page.goto(`${server.url}/calls`);
          await page.getByRole('button', { name: 'Sign in with Microsoft' }).click();
        }
        await page.locator('#sign-in-error:not([hidden])').waitFor();
      } finally {
        Object.assign(fake, { tamperState: false, wrongNonce: false, deny: undefined });
      }
      assert.match((await page.locator('#sign-in-error').textContent()) ?? '', refusal.message);
      assert.equal(await page.locator('#sign-in-error *').count(), 0, 'the message is text, no element in it');
      assert.equal(new URL(page.url()).pathname + new URL(page.url()).search, '/sign-in', 'the answer left the bar');
      await showsOnlySignIn(page);
      assert.equal(fake.tokenRequests - tokenRequests, refusal.tokenRequests, 'token requests');
      if (refusal.tokenRequests === 0) assert.equal(fake.accessTokens.length, accessTokens, 'no token issued');
      assert.deepEqual(requests, [], 'no API request');
      assert.equal(await inPage(page, `sessionStorage.getItem('callrecords.credential')`), null, 'no credential');
      // The pending sign-in is used up: its verifier cannot redeem a code that comes later.
      assert.equal(await inPage(page, `sessionStorage.getItem('callrecords.pendingSignIn')`), null, 'nothing pending');
      assert.equal(await inPage(page, 'localStorage.length'), 0);
      assert.deepEqual(problems, []);
      await context.close();
    });
  }

  it('shows the tenant’s error when the PKCE verifier does not match, and stays signed out', async () => {
    const { page, problems, context } = await watchedPage(browser, {
      ignoreHTTPSErrors: true,
      expectedStatus: [/^POST \/[^/]+\/oauth2\/v2\.0\/token 400$/],
    });
    const requests = apiRequests(page);
    fake.breakPkce = true;
    try {
      await page.goto(`${server.url}/calls`);
      await page.getByRole('button', { name: 'Sign in with Microsoft' }).click();
      await page.locator('#sign-in-error:not([hidden])').waitFor();
    } finally {
      fake.breakPkce = false;
    }
    assert.match((await page.locator('#sign-in-error').textContent()) ?? '', /Code_Verifier does not match/);
    assert.equal(new URL(page.url()).pathname, '/sign-in');
    assert.equal(new URL(page.url()).search, '', 'the code left the address bar');
    await showsOnlySignIn(page);
    assert.equal(requests.length, 0, 'no API request');
    assert.equal(await inPage(page, `sessionStorage.getItem('callrecords.credential')`), null);
    // Trying again succeeds, and still lands on the page first asked for.
    await page.getByRole('button', { name: 'Sign in with Microsoft' }).click();
    await page.waitForURL((url) => url.pathname === '/calls');
    await until(page, `document.querySelector('#account .who') !== null`);
    assert.deepEqual(problems, []);
    await context.close();
  });
});
