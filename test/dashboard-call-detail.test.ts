import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { generateRecords } from '../src/generate/index.js';
import { inPage, launchBrowser, screenshot, until, VIEWPORTS, watchedPage } from './helpers/browser.js';
import { startDashboardServer, type DashboardServer } from './helpers/dashboard-server.js';

const DAY_MS = 86_400_000;

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
    // Each bar can be reached from the keyboard and says who, what and when.
    const label = (await page.locator('.timeline-bar').first().getAttribute('aria-label')) ?? '';
    assert.match(label, /^Session \d+: .+ → .+; .*audio.*; \d{4}-\d{2}-\d{2} /);
    assert.equal(await page.locator('.timeline-bar').first().getAttribute('tabindex'), '0');
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
    // Comparing a version with itself goes into the URL and finds nothing.
    await page.selectOption('#diff-from', '2');
    await page.click('#diff-form button[type=submit]');
    await page.waitForURL((url) => url.searchParams.get('diff') === '2..2');
    await drawn(page);
    assert.match((await page.locator('#version-diff').textContent()) ?? '', /Versions 2 and 2 are the same/);
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
