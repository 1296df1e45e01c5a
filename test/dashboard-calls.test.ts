import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { inPage, launchBrowser, screenshot, until, VIEWPORTS, watchedPage } from './helpers/browser.js';
import { generatedPeriod, startDashboardServer, type DashboardServer } from './helpers/dashboard-server.js';

interface ApiCall {
  id: string;
  participants: { id: string; displayName: string | null }[];
  poor: boolean;
}

describe('dashboard calls (Chromium)', () => {
  let server: DashboardServer;
  let browser: Browser;
  const { from, to } = generatedPeriod();

  before(async () => {
    server = await startDashboardServer({ calls: 130 });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Every call the search API answers for a query, following its next links: the page's reference. */
  async function apiCalls(query: Record<string, string>): Promise<ApiCall[]> {
    const calls: ApiCall[] = [];
    let url: string | undefined =
      `${server.url}/api/analytics/calls?${new URLSearchParams({ from, to, top: '200', ...query }).toString()}`;
    while (url !== undefined) {
      const response = await fetch(url);
      assert.equal(response.status, 200);
      const body = (await response.json()) as { value: ApiCall[]; '@odata.nextLink'?: string };
      calls.push(...body.value);
      url = body['@odata.nextLink'];
    }
    return calls;
  }

  /** Waits for the call list to be drawn (a table or an empty state). */
  async function listed(page: Page): Promise<void> {
    await until(
      page,
      `document.querySelector('#call-list [aria-busy="true"]') === null &&
       document.querySelector('#calls-table, #call-list .state') !== null`,
    );
  }

  /** The ids of the calls on the page, then on every next page, as a person clicking "Next page" sees them. */
  async function everyListedCall(page: Page): Promise<string[]> {
    const ids: string[] = [];
    for (let pages = 0; pages < 20; pages++) {
      await listed(page);
      ids.push(
        ...(await inPage<string[]>(
          page,
          `[...document.querySelectorAll('#calls-table tr[data-call]')].map((r) => r.dataset.call)`,
        )),
      );
      if ((await page.locator('#calls-next').count()) === 0) return ids;
      const url = page.url();
      await page.click('#calls-next');
      await page.waitForURL((u) => u.toString() !== url);
    }
    throw new Error('more than 20 pages');
  }

  it('pages through every call of the API once, and Back returns to the previous page', async () => {
    const { page, problems, context } = await watchedPage(browser);
    await page.goto(`${server.url}/calls?from=${from}&to=${to}`);
    await listed(page);
    const firstPage = await page.locator('#calls-table tbody tr').count();
    const ids = await everyListedCall(page);
    const expected = (await apiCalls({})).map((c) => c.id);
    assert.ok(expected.length > firstPage, `the tenant has more calls (${expected.length}) than one page`);
    assert.deepEqual(ids, expected, 'every call once, newest first, as the API lists them');
    assert.equal(new Set(ids).size, ids.length);
    assert.match(page.url(), /skiptoken=/, 'the page is in the URL');
    await page.goBack();
    await listed(page);
    assert.equal(await page.locator('#calls-page').textContent(), 'Page 2');
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('finds a person by part of the name and by id exactly as the API does', async () => {
    const all = await apiCalls({});
    const person = all.flatMap((c) => c.participants).find((p) => (p.displayName ?? '').includes(' '))!;
    assert.ok(person, 'the tenant has named people');
    const part = person.displayName!.split(' ')[1]!.slice(0, 4).toLowerCase();
    const { page, problems, context } = await watchedPage(browser);
    await page.goto(`${server.url}/calls?from=${from}&to=${to}`);
    await listed(page);
    await page.fill('#calls-user', part);
    await page.click('#calls-search button[type=submit]');
    await page.waitForURL((url) => url.searchParams.get('user') === part);
    const byName = await everyListedCall(page);
    const expectedByName = (await apiCalls({ user: part })).map((c) => c.id);
    assert.ok(expectedByName.length > 0 && expectedByName.length < all.length, 'the name narrows the search');
    assert.deepEqual(byName, expectedByName);

    await page.fill('#calls-user', person.id);
    await page.press('#calls-user', 'Enter');
    await page.waitForURL((url) => url.searchParams.get('user') === person.id);
    const byId = await everyListedCall(page);
    assert.deepEqual(
      byId,
      (await apiCalls({ user: person.id })).map((c) => c.id),
    );
    assert.ok(byId.length > 0);
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('keeps poor calls only, marked Poor, and a row opens the call detail', async () => {
    const { page, problems, context } = await watchedPage(browser);
    await page.goto(`${server.url}/calls?from=${from}&to=${to}`);
    await listed(page);
    await page.check('#calls-poor');
    await page.waitForURL((url) => url.searchParams.get('poorOnly') === 'true');
    await listed(page);
    await screenshot(page, 'calls');
    const poor = await everyListedCall(page);
    const expected = (await apiCalls({ poorOnly: 'true' })).map((c) => c.id);
    assert.ok(expected.length > 0, 'the tenant has poor calls');
    assert.deepEqual(poor, expected);
    const rows = await page.locator('#calls-table tbody tr').count();
    assert.equal(await page.locator('#calls-table tbody tr .badge.poor').count(), rows, 'each row is marked Poor');

    const id = await page.locator('#calls-table tbody tr').first().getAttribute('data-call');
    await page.locator('#calls-table tbody tr a').first().click();
    await page.waitForURL((url) => url.pathname === `/calls/${id}`);
    await page.waitForSelector('#call-summary');
    assert.equal(await page.locator('h1').textContent(), 'Call detail');
    await until(page, `document.querySelectorAll('[aria-busy="true"]').length === 0`);
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('says when nothing matches, and fits a phone-width screen', async () => {
    const { page, problems, context } = await watchedPage(browser, { viewport: VIEWPORTS.phone });
    await page.goto(`${server.url}/calls?from=${from}&to=${to}&user=nobody-has-this-name`);
    await listed(page);
    assert.match((await page.locator('#call-list').textContent()) ?? '', /No calls match/);
    await page.goto(`${server.url}/calls?from=${from}&to=${to}`);
    await listed(page);
    const overflow = await inPage<number>(page, 'document.documentElement.scrollWidth - window.innerWidth');
    assert.ok(overflow <= 0, `the page is ${overflow} px wider than the screen`);
    assert.deepEqual(problems, []);
    await context.close();
  });
});
