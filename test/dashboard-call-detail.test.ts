import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { generateRecords } from '../src/generate/index.js';
import { inPage, launchBrowser, screenshot, until, VIEWPORTS, watchedPage } from './helpers/browser.js';
import { DAY_MS, startDashboardServer, type DashboardServer } from './helpers/dashboard-server.js';

/** One generated call, shaped by `sessions` (1: two people; more: a meeting of that many sessions). */
function generatedCall(sessions: number, seed: number, media: boolean): Record<string, unknown> {
  const [record] = [
    ...generateRecords({
      calls: 1,
      seed,
      from: new Date(Date.now() - 3 * DAY_MS),
      days: 1,
      versions: false,
      sessions,
      media,
    }),
  ];
  return record!;
}

describe('dashboard call detail (Chromium)', () => {
  let server: DashboardServer;
  let browser: Browser;
  const meeting = generatedCall(65, 11, false);
  // A two-person call received twice: version 2 ends its first session later than version 1 said.
  const versioned = generatedCall(1, 12, false);
  const firstVersion = structuredClone(versioned) as Record<string, unknown> & {
    sessions: { endDateTime: string }[];
  };
  const lastVersion = structuredClone(firstVersion);
  firstVersion.version = 1;
  firstVersion.lastModifiedDateTime = '2026-01-01T00:00:00Z';
  firstVersion.sessions[0]!.endDateTime = firstVersion.startDateTime as string;
  lastVersion.version = 2;
  lastVersion.lastModifiedDateTime = '2026-01-01T00:30:00Z';

  async function post(record: Record<string, unknown>): Promise<void> {
    const response = await fetch(`${server.url}/api/callRecords`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(record),
    });
    assert.equal(response.status, 200, await response.text());
  }

  before(async () => {
    server = await startDashboardServer({ calls: 100 });
    browser = await launchBrowser();
    await post(meeting);
    await post(firstVersion);
    await post(lastVersion);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function drawn(page: Page): Promise<void> {
    await page.waitForSelector('#call-summary, #call .state');
    await until(page, `document.querySelectorAll('[aria-busy="true"]').length === 0`);
  }

  it('shows every session of a meeting of more than 60 (following sessions@odata.nextLink)', async () => {
    const { page, problems, context } = await watchedPage(browser);
    const sessionPages: string[] = [];
    page.on('request', (request) => {
      if (/\/sessions\?/.test(request.url())) sessionPages.push(request.url());
    });
    await page.goto(`${server.url}/calls/${meeting.id as string}`);
    await drawn(page);
    const ids = await inPage<string[]>(
      page,
      `[...new Set([...document.querySelectorAll('.timeline-bar')].map((b) => b.dataset.session))]`,
    );
    const expected = (meeting.sessions as { id: string }[]).map((s) => s.id);
    assert.equal(expected.length, 65);
    assert.deepEqual([...ids].sort(), [...expected].sort());
    assert.ok(sessionPages.length >= 1, 'the second page of sessions was asked for');
    // The later pages keep the inner $expand: every session's segments are drawn inside its bar.
    const withoutSegments = await inPage<number>(
      page,
      `[...document.querySelectorAll('.timeline-bar')].filter((b) => !b.querySelector('.timeline-segment')).length`,
    );
    assert.equal(withoutSegments, 0);
    assert.match((await page.locator('#call-summary').textContent()) ?? '', /Sessions65/);
    // The timeline is one Tab stop; arrow keys move between bars, and the focused bar's details show as text.
    const label = (await page.locator('.timeline-bar').first().getAttribute('aria-label')) ?? '';
    assert.match(label, /^Session \d+: .+ → .+; .*audio.*; \d{4}-\d{2}-\d{2} /);
    assert.equal(await page.locator('.timeline-bar[tabindex="0"]').count(), 1);
    await page.locator('.timeline-bar').first().focus();
    const details = page.locator('#timeline-details');
    assert.ok(((await details.textContent()) ?? '').endsWith(label), 'the focused bar is described under the timeline');
    await page.keyboard.press('ArrowRight');
    const second = (await page.locator('.timeline-bar').nth(1).getAttribute('aria-label')) ?? '';
    assert.notEqual(second, label);
    assert.equal(await inPage<string>(page, `document.activeElement.getAttribute('aria-label')`), second);
    assert.ok(((await details.textContent()) ?? '').endsWith(second));
    assert.equal(await page.locator('.timeline-bar[tabindex="0"]').count(), 1);
    assert.equal(await page.locator('.timeline-bar').nth(1).getAttribute('tabindex'), '0');
    await page.keyboard.press('End');
    assert.equal(
      await inPage<string | undefined>(page, `document.activeElement.dataset.session`),
      await page.locator('.timeline-bar').last().getAttribute('data-session'),
    );
    // Tab leaves the timeline at once (not after 65 bars).
    await page.keyboard.press('Tab');
    assert.equal(await inPage<boolean>(page, `document.activeElement.classList.contains('timeline-bar')`), false);
    // A tap (click) selects a bar too: no tooltip is needed on a phone.
    await page.locator('.timeline-bar').nth(2).click();
    assert.ok(
      ((await details.textContent()) ?? '').endsWith(
        (await page.locator('.timeline-bar').nth(2).getAttribute('aria-label')) ?? '?',
      ),
    );
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('lists the differences between two versions, with the changed field', async () => {
    const { page, problems, context } = await watchedPage(browser);
    await page.goto(`${server.url}/calls/${versioned.id as string}`);
    await drawn(page);
    assert.equal(await page.locator('#version-table tbody tr').count(), 2);
    const changed = page.locator('#diff-table tr', { hasText: 'sessions[0].endDateTime' });
    assert.equal(await changed.count(), 1);
    const cells = await changed.locator('td').allTextContents();
    assert.deepEqual(cells, [
      'sessions[0].endDateTime',
      'changed',
      JSON.stringify(firstVersion.sessions[0]!.endDateTime),
      JSON.stringify(lastVersion.sessions[0]!.endDateTime),
    ]);
    // Comparing a version with itself goes into the URL and finds nothing; only the two versions are asked for
    // (not the record, its streams or the version list again), and the page around the diff stays as it was.
    const asked: string[] = [];
    page.on('request', (request) => asked.push(new URL(request.url()).pathname));
    await page.click('#raw summary');
    const historyLength = await inPage<number>(page, 'history.length');
    await page.selectOption('#diff-from', '2');
    await page.click('#diff-form button[type=submit]');
    await page.waitForURL((url) => url.searchParams.get('diff') === '2..2');
    await page.waitForSelector('#version-diff .state.empty');
    assert.match((await page.locator('#version-diff').textContent()) ?? '', /Versions 2 and 2 are the same/);
    const versions = `/api/callRecords/${versioned.id as string}/versions`;
    assert.deepEqual([...new Set(asked)], [`${versions}/2`]);
    assert.equal(await page.locator('#raw[open]').count(), 1, 'the raw JSON stays open: the page was not redrawn');
    assert.equal(await inPage<number>(page, 'history.length'), historyLength + 1);
    // Back returns to the first pair (a full draw for the URL).
    await page.goBack();
    await page.waitForSelector('#diff-table');
    assert.equal(await page.locator('#diff-table tr', { hasText: 'sessions[0].endDateTime' }).count(), 1);
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('highlights poor streams and the metric behind each reason, and shows the raw Graph JSON', async () => {
    const search = (await (await fetch(`${server.url}/api/analytics/calls?poorOnly=true&top=1`)).json()) as {
      value: { id: string }[];
    };
    const id = search.value[0]!.id;
    const streams = (await (await fetch(`${server.url}/api/analytics/calls/${id}/streams`)).json()) as {
      value: { classification: string; poorReasons: string }[];
    };
    const poor = streams.value.filter((s) => s.classification === 'Poor');
    assert.ok(poor.length > 0);
    const { page, problems, context } = await watchedPage(browser);
    await page.goto(`${server.url}/calls/${id}`);
    await drawn(page);
    assert.equal(await page.locator('#stream-table tbody tr').count(), streams.value.length);
    assert.equal(await page.locator('#stream-table tbody tr.poor-row').count(), poor.length);
    const reasons = await page.locator('#stream-table tbody tr.poor-row td.reasons').allTextContents();
    assert.ok(
      reasons.every((r) => r !== ''),
      'every poor stream says why',
    );
    // One highlighted metric per reason (each reason is one metric over its threshold).
    const highlighted = await page.locator('#stream-table tbody tr.poor-row td.num.poor').count();
    assert.equal(
      highlighted,
      poor.reduce((n, s) => n + s.poorReasons.split(';').length, 0),
    );
    assert.equal(await page.locator('#stream-table tbody tr:not(.poor-row) td.poor').count(), 0);
    // The picture shows a selected session's details under the timeline.
    await page.locator('.timeline-bar').first().click();
    await screenshot(page, 'call-detail');
    await page.click('#raw summary');
    const raw = JSON.parse((await page.locator('#raw-json').textContent()) ?? '') as { id: string };
    assert.equal(raw.id, id);
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('says clearly when no such call is archived', async () => {
    const { page, problems, context } = await watchedPage(browser, {
      expectedStatus: [/^GET \/(v1\.0\/communications|api\/analytics\/calls|api\/callRecords)\/.*no-such-call.* 404$/],
    });
    await page.goto(`${server.url}/calls/no-such-call`);
    await page.waitForSelector('#call .not-found');
    assert.match((await page.locator('#call').textContent()) ?? '', /No call record with this id is archived/);
    assert.equal(await page.locator('#call-summary').count(), 0);
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('retries a failed load in place: no extra history entry, so Back still leaves the page', async () => {
    const { page, problems, context } = await watchedPage(browser, {
      expectedStatus: [/^GET \/v1\.0\/communications\/callRecords\/[^/]+ 503$/],
    });
    let failed = 0;
    await page.route(/\/v1\.0\/communications\/callRecords\/[^/?]+\?/, async (route) => {
      if (failed++ > 0) return route.continue();
      await route.fulfill({
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'serviceNotAvailable', message: 'Try later.' } }),
      });
    });
    await page.goto(`${server.url}/calls`);
    await page.waitForSelector('#nav');
    // Opened from inside the dashboard (as a click on the list does), so that Back has a page to return to.
    const detail = JSON.stringify(`/calls/${versioned.id as string}`);
    await inPage(page, `history.pushState(null, '', ${detail}); dispatchEvent(new PopStateEvent('popstate'))`);
    await page.waitForSelector('#call .state.error button');
    const before = await inPage<number>(page, 'history.length');
    await page.click('#call .state.error button');
    await drawn(page);
    assert.equal(await page.locator('#call-summary').count(), 1);
    assert.equal(await inPage<number>(page, 'history.length'), before);
    await page.goBack();
    await page.waitForURL((url) => url.pathname === '/calls');
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('fits a phone-width screen', async () => {
    const { page, problems, context } = await watchedPage(browser, { viewport: VIEWPORTS.phone });
    await page.goto(`${server.url}/calls/${versioned.id as string}`);
    await drawn(page);
    const overflow = await inPage<number>(page, 'document.documentElement.scrollWidth - window.innerWidth');
    assert.ok(overflow <= 0, `the page is ${overflow} px wider than the screen`);
    assert.deepEqual(problems, []);
    await context.close();
  });
});
