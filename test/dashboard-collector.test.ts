import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { inPage, launchBrowser, screenshot, until, VIEWPORTS, watchedPage } from './helpers/browser.js';
import { startDashboardServer, type DashboardServer } from './helpers/dashboard-server.js';
import { STATE, EVENT } from '../src/collector/state-keys.js';

const MIN = 60_000;

describe('dashboard collector status (Chromium)', () => {
  let idle: DashboardServer;
  let busy: DashboardServer;
  let guarded: DashboardServer;
  let readerKey = '';
  let browser: Browser;
  const now = Date.now();
  // The state a running collector leaves (src/collector): its subscription, the last sweep, a queue, a record given
  // up on, and lag measurements; written through db.sync as the collector writes it.
  const subscription = {
    id: 'sub-7f3a',
    expirationDateTime: new Date(now + 40 * 3_600_000).toISOString(),
    notificationUrl: 'https://archive.example.com/api/graph/notifications',
    lifecycleNotificationUrl: 'https://archive.example.com/api/graph/lifecycle',
    createdDateTime: new Date(now - 3_600_000).toISOString(),
    verifiedDateTime: new Date(now - 10 * MIN).toISOString(),
  };
  const sweep = {
    from: new Date(now - 70 * MIN).toISOString(),
    to: new Date(now - 60 * MIN).toISOString(),
    startedAt: new Date(now - 5 * MIN).toISOString(),
    finishedAt: new Date(now - 4 * MIN).toISOString(),
    listed: 42,
    missing: 3,
    newer: 1,
    partial: 0,
    queued: 4,
  };

  before(async () => {
    idle = await startDashboardServer({ calls: 0 });
    busy = await startDashboardServer({
      calls: 0,
      prepare: async (db) => {
        await db.sync.setState(STATE.subscription, JSON.stringify(subscription));
        await db.sync.setState(STATE.lastSweep, JSON.stringify(sweep));
        await db.sync.enqueue(
          ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id: `rec-${id}`, reason: 'created' })),
          now - 20 * MIN,
        );
        await db.sync.enqueue([{ id: 'rec-late', reason: 'sweep', notBefore: now + 30 * MIN }], now - 2 * MIN);
        await db.sync.claim('instance-1', 1, now - 15 * MIN, 60 * MIN);
        await db.sync.enqueue([{ id: 'rec-gone', reason: 'updated' }], now - 30 * MIN);
        const [gone] = (await db.sync.claim('instance-2', 5, now - 12 * MIN, MIN)).filter((c) => c.id === 'rec-gone');
        if (gone !== undefined) await db.sync.fail('rec-gone', 'instance-2', now - 11 * MIN, 'HTTP 404 after 6 h');
        await db.sync.recordEvents([
          { kind: EVENT.lag, at: now - 10 * MIN, value: 300_000 },
          { kind: EVENT.lag, at: now - 9 * MIN, value: 600_000 },
          { kind: EVENT.throttled, at: now - 8 * MIN },
        ]);
      },
    });
    // API keys on: a key of the read role may read calls but not the collector's status (CallRecords.Admin).
    guarded = await startDashboardServer({ calls: 0, readerKey: true });
    readerKey = guarded.readerKey ?? '';
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await idle?.close();
    await busy?.close();
    await guarded?.close();
  });

  async function drawn(page: Page): Promise<void> {
    await until(
      page,
      `document.querySelector('#collector .state, #collector .tiles') !== null &&
      document.querySelectorAll('[aria-busy="true"]').length === 0`,
    );
  }

  it('says the collector is not configured, and how to configure it', async () => {
    const { page, problems, context } = await watchedPage(browser);
    await page.goto(`${idle.url}/collector`);
    await drawn(page);
    const text = (await page.locator('#collector').textContent()) ?? '';
    assert.match(text, /The Graph collector is not configured/);
    assert.match(text, /--sync/);
    assert.match(text, /docs\/graph-sync\.md/);
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('shows the subscription, queue, lag and failures exactly as the status API reports them', async () => {
    const status = (await (await fetch(`${busy.url}/api/sync/status`)).json()) as {
      subscription: typeof subscription;
      queue: { queued: number; due: number; inProgress: number; failed: number };
      lag: { p50Seconds: number; p95Seconds: number };
      throttledLastHour: number;
      failed: { id: string }[];
    };
    // The prepared state is what the API answers (else the test would compare two empty pages).
    assert.equal(status.subscription.id, subscription.id);
    assert.ok(status.queue.queued > 0 && status.queue.inProgress > 0 && status.queue.failed > 0);
    const { page, problems, context } = await watchedPage(browser);
    await page.goto(`${busy.url}/collector`);
    await drawn(page);
    const tile = (id: string) => page.locator(`#${id}`).textContent();
    assert.equal(await tile('collector-queued'), String(status.queue.queued));
    assert.equal(await tile('collector-due'), String(status.queue.due));
    assert.equal(await tile('collector-in-progress'), String(status.queue.inProgress));
    assert.equal(await tile('collector-failed'), String(status.queue.failed));
    assert.equal(await tile('collector-lag'), `${status.lag.p50Seconds} s / ${status.lag.p95Seconds} s`);
    assert.equal(await tile('collector-throttled'), String(status.throttledLastHour));
    assert.equal(await page.locator('#subscription-facts dd[data-field=id]').textContent(), subscription.id);
    assert.equal(
      await page.locator('#subscription-facts dd[data-field=notificationUrl]').textContent(),
      subscription.notificationUrl,
    );
    assert.match((await page.locator('#subscription-expiry').textContent()) ?? '', /^Expires in (39|40) h/);
    assert.equal(await page.locator('#sweep-facts dd[data-field=listed]').textContent(), String(sweep.listed));
    const failedIds = await page.locator('#collector-failed-table tbody tr td:first-child').allTextContents();
    assert.deepEqual(
      failedIds,
      status.failed.map((f) => f.id),
    );
    await screenshot(page, 'collector');
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('tells a person without the Admin role that the status needs it', async () => {
    const { page, problems, context } = await watchedPage(browser, {
      expectedStatus: [/^GET \/api\/sync\/status 403$/],
    });
    await page.goto(`${guarded.url}/collector`);
    await page.fill('#api-key', readerKey);
    await page.click('form.sign-in button[type=submit]');
    await page.waitForSelector('#collector-forbidden');
    assert.match((await page.locator('#collector').textContent()) ?? '', /needs the Admin role \(CallRecords\.Admin\)/);
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('draws the latest Refresh, even when an older answer arrives after it', async () => {
    const { page, problems, context } = await watchedPage(browser);
    let asked = 0;
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let staleSent: () => void = () => undefined;
    const staleDone = new Promise<void>((resolve) => (staleSent = resolve));
    await page.route('**/api/sync/status', async (route) => {
      asked += 1;
      if (asked !== 2) return route.continue();
      // The first Refresh's answer is slow, and says something the second one does not.
      const response = await route.fetch();
      const body = (await response.json()) as { queue: { queued: number } };
      body.queue.queued = 987_654;
      await held;
      await route.fulfill({ response, json: body });
      staleSent();
    });
    await page.goto(`${busy.url}/collector`);
    await drawn(page);
    const fresh = await page.locator('#collector-queued').textContent();
    await page.click('#collector-refresh');
    await page.click('#collector-refresh');
    await drawn(page);
    assert.equal(asked, 3);
    release();
    await staleDone;
    // Give the page time to (wrongly) draw the late answer.
    await inPage(page, 'new Promise((resolve) => setTimeout(resolve, 300))');
    assert.equal(await page.locator('#collector-queued').textContent(), fresh);
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('fits a phone-width screen', async () => {
    const { page, problems, context } = await watchedPage(browser, { viewport: VIEWPORTS.phone });
    await page.goto(`${busy.url}/collector`);
    await drawn(page);
    const overflow = await inPage<number>(page, 'document.documentElement.scrollWidth - window.innerWidth');
    assert.ok(overflow <= 0, `the page is ${overflow} px wider than the screen`);
    await screenshot(page, 'collector-phone');
    assert.deepEqual(problems, []);
    await context.close();
  });
});
