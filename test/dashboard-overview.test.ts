import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { inPage, launchBrowser, screenshot, settled, VIEWPORTS, watchedPage } from './helpers/browser.js';
import {
  generatedPeriod,
  day,
  DAY_MS,
  startDashboardServer,
  type DashboardServer,
} from './helpers/dashboard-server.js';

describe('dashboard overview (Chromium)', () => {
  let server: DashboardServer;
  let browser: Browser;
  const { from, to } = generatedPeriod();

  before(async () => {
    server = await startDashboardServer({ calls: 150 });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function apiPoorPct(filter: string): Promise<number | null> {
    const url = `${server.url}/api/analytics?measures=poorStreamPct&filter=${encodeURIComponent(filter)}`;
    const body = (await (await fetch(url)).json()) as { rows: { poorStreamPct: number | null }[] };
    return body.rows[0]?.poorStreamPct ?? null;
  }

  /**
   * The trend's "Show the numbers" table as the API answers it: one row per day of the period, the poor % of audio,
   * video and screen sharing formatted as the page does (two decimals at most, `–` for no classified stream).
   */
  async function apiTrend(filter: string): Promise<string[][]> {
    const query = new URLSearchParams({
      measures: 'poorStreamPct',
      by: 'day,mediaType',
      filter: `${filter} and mediaType in ('audio','video','vbss')`,
    });
    const body = (await (await fetch(`${server.url}/api/analytics?${query.toString()}`)).json()) as {
      rows: { day: string; mediaType: string; poorStreamPct: number | null }[];
    };
    const cell = (d: string, media: string) => {
      const v = body.rows.find((r) => r.day === d && r.mediaType === media)?.poorStreamPct ?? null;
      return v === null ? '–' : `${Number(v.toFixed(2))} %`;
    };
    const rows: string[][] = [];
    for (let ms = Date.parse(from); day(ms) < to; ms += DAY_MS) {
      const d = day(ms);
      rows.push([d, cell(d, 'audio'), cell(d, 'video'), cell(d, 'vbss')]);
    }
    return rows;
  }

  async function shownTrend(page: Page): Promise<string[][]> {
    const header = await page.locator('#trend table.data thead th').allTextContents();
    assert.deepEqual(header, ['Day', 'Audio', 'Video', 'Screen sharing']);
    const json = await inPage<string>(
      page,
      `JSON.stringify([...document.querySelectorAll('#trend table.data tbody tr')].map((tr) =>
         [...tr.querySelectorAll('td')].map((td) => td.textContent)))`,
    );
    return JSON.parse(json) as string[][];
  }

  it('draws every panel with no console error or failed request, and its poor % is the API’s', async () => {
    const { page, problems, context } = await watchedPage(browser);
    await page.goto(`${server.url}/overview?from=${from}&to=${to}`);
    await settled(page, 3);
    const expected = await apiPoorPct(`mediaType eq 'audio' and date ge ${from} and date lt ${to}`);
    assert.notEqual(expected, null, 'the generated tenant has classified audio streams');
    assert.equal(await page.locator('#kpi-poor-audio').textContent(), `${expected!.toFixed(2)} %`);
    // The trend, day by day and media type by media type, is the API's answer.
    const trendRows = await shownTrend(page);
    assert.deepEqual(trendRows, await apiTrend(`date ge ${from} and date lt ${to}`));
    assert.ok(
      trendRows.some((r) => r.slice(1).some((c) => c !== '–')),
      'the trend has numbers, not only empty days',
    );
    // Every chart has a caption, axis labels and a legend with each series.
    const trend = page.locator('#trend figure.chart');
    assert.match((await trend.locator('figcaption').textContent()) ?? '', /Poor ÷ \(Poor \+ Good\)/);
    const legend = await trend.locator('.u-legend .u-label').allTextContents();
    assert.deepEqual(legend.slice(1), ['Audio', 'Video', 'Screen sharing']);
    // uPlot draws its axes on the canvas; the drawing's label names them, with their units.
    assert.match(
      (await trend.locator('.plot').getAttribute('aria-label')) ?? '',
      /Axes: Day \(UTC\) and Poor streams \(%\)/,
    );
    assert.deepEqual(problems, []);
    await screenshot(page, 'overview');
    await context.close();
  });

  it('puts a changed filter into the URL, and the chart and headline follow it', async () => {
    const { page, problems, context } = await watchedPage(browser);
    await page.goto(`${server.url}/overview?from=${from}&to=${to}`);
    await settled(page, 3);
    const before = await page.locator('#trend figure.chart table.data').textContent();
    const options = await page.locator('#filter-building option').allTextContents();
    const building = options.find((o) => o !== 'All');
    assert.ok(building, 'the building filter lists the tenant’s buildings');
    await page.selectOption('#filter-building', building);
    await page.waitForURL((url) => url.searchParams.get('building') === building);
    await settled(page, 1);
    const after = await page.locator('#trend figure.chart table.data').textContent();
    assert.notEqual(after, before);
    assert.deepEqual(
      await shownTrend(page),
      await apiTrend(`date ge ${from} and date lt ${to} and building eq '${building.replace(/'/g, "''")}'`),
    );
    const expected = await apiPoorPct(
      `mediaType eq 'audio' and date ge ${from} and date lt ${to} and building eq '${building.replace(/'/g, "''")}'`,
    );
    assert.equal(
      await page.locator('#kpi-poor-audio').textContent(),
      expected === null ? '–' : `${expected.toFixed(2)} %`,
    );
    // The URL opens the same view on its own: a shared link.
    const shared = await context.newPage();
    await shared.goto(page.url());
    await settled(shared, 1);
    assert.equal(await shared.locator('#filter-building').inputValue(), building);
    assert.equal(await shared.locator('#trend figure.chart table.data').textContent(), after);
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('shows an empty state for a period without calls', async () => {
    const { page, problems, context } = await watchedPage(browser);
    await page.goto(`${server.url}/overview?from=2001-01-01&to=2001-01-08`);
    await page.waitForSelector('#trend .state.empty');
    assert.match((await page.locator('#trend').textContent()) ?? '', /No streams in this period/);
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('fits a phone-width screen without sideways scrolling, and is usable from the keyboard', async () => {
    const { page, problems, context } = await watchedPage(browser, { viewport: VIEWPORTS.phone });
    await page.goto(`${server.url}/overview?from=${from}&to=${to}`);
    await settled(page, 3);
    const overflow = await inPage<number>(page, 'document.documentElement.scrollWidth - window.innerWidth');
    assert.ok(overflow <= 0, `the page is ${overflow} px wider than the screen`);
    await page.keyboard.press('Tab');
    assert.equal(await inPage(page, 'document.activeElement?.textContent'), 'Skip to content');
    await page.keyboard.press('Enter');
    assert.equal(await inPage(page, 'document.activeElement?.id'), 'main');
    await screenshot(page, 'overview-phone');
    assert.deepEqual(problems, []);
    await context.close();
  });
});
