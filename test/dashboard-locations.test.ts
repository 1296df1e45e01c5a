import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { inPage, launchBrowser, screenshot, settled, until, VIEWPORTS, watchedPage } from './helpers/browser.js';
import type { Building } from '../src/analytics/building-file.js';
import { generatedPeriod, startDashboardServer, type DashboardServer } from './helpers/dashboard-server.js';

/** A stored network as a line of CQD's building file (15 columns). */
function fileLine(b: Building): string {
  const flag = (v: boolean): string => (v ? '1' : '0');
  return [
    b.networkIp,
    b.networkName,
    b.networkRange,
    b.buildingName,
    b.ownershipType,
    b.buildingType,
    b.buildingOfficeType,
    b.city,
    b.zipCode,
    b.country,
    b.state,
    b.region,
    flag(b.insideCorp),
    flag(b.expressRoute),
    flag(b.vpn),
  ].join(',');
}

describe('dashboard locations (Chromium)', () => {
  let server: DashboardServer;
  let browser: Browser;
  const { from, to } = generatedPeriod();
  const url = (): string => `${server.url}/locations?from=${from}&to=${to}`;

  before(async () => {
    server = await startDashboardServer({ calls: 150 });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function getJson<T>(path: string): Promise<T> {
    return (await (await fetch(`${server.url}${path}`)).json()) as T;
  }

  async function byBuildingFromApi(): Promise<string[]> {
    const filter = `date ge ${from} and date lt ${to} and mediaType eq 'audio'`;
    const answer = await getJson<{ rows: Record<string, unknown>[] }>(
      `/api/analytics?measures=poorStreamPct,poorStreams,streams&by=building,network&filter=${encodeURIComponent(filter)}`,
    );
    return answer.rows
      .map((r) => JSON.stringify([r.building, r.network, r.poorStreamPct, r.poorStreams, r.streams]))
      .sort();
  }

  /** The raw values of a table's cells, one JSON array per row, sorted. */
  async function tableValues(page: Page, id: string): Promise<string[]> {
    const json = await inPage<string>(
      page,
      `JSON.stringify([...document.querySelectorAll('#${id} tbody tr')].map((tr) =>
         JSON.stringify([...tr.querySelectorAll('td')].map((td) => JSON.parse(td.dataset.value)))))`,
    );
    return (JSON.parse(json) as string[]).sort();
  }

  it('shows poor % by building and network and the missing subnets as the API answers them', async () => {
    const { page, problems, context } = await watchedPage(browser);
    await page.goto(url());
    await settled(page, 1);
    const expected = await byBuildingFromApi();
    assert.ok(expected.length > 2, 'the tenant has several networks');
    assert.deepEqual(await tableValues(page, 'building-rows'), expected);
    // Streams whose subnet is in no building are a row of their own.
    assert.ok(
      expected.some((r) => r.startsWith('[null,')),
      'the generated building file leaves some subnets out',
    );
    assert.ok((await page.locator('#building-rows').textContent())?.includes('(no building)'));

    const missing = await getJson<{ value: { subnet: string; audioStreams: number }[] }>(
      '/api/analytics/missing-subnets',
    );
    if (missing.value.length === 0) {
      await page.waitForSelector('#missing-subnets .state.empty');
    } else {
      const rows = await page.locator('#missing-rows tbody tr').allTextContents();
      assert.deepEqual(
        rows,
        missing.value.map((s) => `${s.subnet}${s.audioStreams.toLocaleString('en-US')}`),
      );
    }
    const stored = await getJson<{ value: Building[] }>('/api/buildings');
    assert.match(
      (await page.locator('#building-count').textContent()) ?? '',
      new RegExp(`^${stored.value.length} networks in `),
    );
    await screenshot(page, 'locations');
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('lists every line of a refused building file and changes nothing', async () => {
    const { page, problems, context } = await watchedPage(browser, {
      expectedStatus: [/^PUT \/api\/buildings 400$/],
    });
    const before = await getJson<unknown>('/api/buildings');
    await page.goto(url());
    await settled(page, 1);
    const good = '10.200.0.0,Lab,24,Lab building,Owned,Office,Lab,Oslo,0150,NO,Oslo,EMEA,1,0,0';
    const bad = [
      '10.201.0.0,Too few columns,24,Lab',
      good,
      '10.300.0.0,Bad address,24,Lab building,Owned,Office,Lab,Oslo,0150,NO,Oslo,EMEA,1,0,0',
      '10.202.0.0,Bad flag,24,Lab building,Owned,Office,Lab,Oslo,0150,NO,Oslo,EMEA,2,0,0',
    ].join('\n');
    // The server's own list of problems, for the same file (it refuses it and keeps the stored one).
    const refused = await fetch(`${server.url}/api/buildings`, {
      method: 'PUT',
      headers: { 'content-type': 'text/csv' },
      body: bad,
    });
    assert.equal(refused.status, 400);
    const { error } = (await refused.json()) as { error: { details: { message: string; target: string }[] } };
    assert.deepEqual(
      error.details.map((d) => d.target),
      ['line 1', 'line 3', 'line 4'],
    );

    await page.fill('#building-text', bad);
    await page.click('#building-upload');
    await page.waitForSelector('#building-errors li');
    const listed = await page.locator('#building-errors li').allTextContents();
    assert.deepEqual(
      listed,
      error.details.map((d) => d.message),
    );
    for (const [i, line] of [1, 3, 4].entries()) assert.match(listed[i] ?? '', new RegExp(`^line ${line}: `));
    assert.deepEqual(await getJson<unknown>('/api/buildings'), before, 'the stored file is unchanged');
    await screenshot(page, 'locations-refused');
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('loads a good building file from a file input and redraws the table', async () => {
    const { page, problems, context } = await watchedPage(browser);
    await page.goto(url());
    await settled(page, 1);
    const beforeRows = await tableValues(page, 'building-rows');
    // Keep only the first two networks of the stored file: their streams keep their building, others lose it.
    const stored = await getJson<{ value: Building[] }>('/api/buildings');
    const kept = stored.value.slice(0, 2);
    await page.setInputFiles('#building-file', {
      name: 'buildings.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(kept.map(fileLine).join('\r\n')),
    });
    await page.click('#building-upload');
    await page.waitForSelector('#building-loaded');
    assert.match((await page.locator('#building-loaded').textContent()) ?? '', /^Loaded 2 networks; /);
    await until(page, `document.querySelector('#building-count')?.textContent?.startsWith('2 networks') === true`);
    await settled(page, 1);
    const afterRows = await tableValues(page, 'building-rows');
    assert.notDeepEqual(afterRows, beforeRows);
    assert.deepEqual(afterRows, await byBuildingFromApi());
    const buildings = new Set(afterRows.map((r) => (JSON.parse(r) as unknown[])[0]));
    assert.deepEqual(buildings, new Set([...kept.map((b) => b.buildingName), null]));
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('keeps the numbers of a new building file when an answer asked before the upload arrives after it', async () => {
    const { page, problems, context } = await watchedPage(browser);
    const oldAnswer = await getJson<unknown>(
      `/api/analytics?measures=poorStreamPct,poorStreams,streams&by=building,network&filter=${encodeURIComponent(
        `date ge ${from} and date lt ${to} and mediaType eq 'audio'`,
      )}`,
    );
    // The first load's by-building question is held until after the upload, then answered with the old mapping.
    let release: (() => Promise<void>) | undefined;
    await page.route(
      (u) => u.pathname === '/api/analytics' && u.searchParams.get('by') === 'building,network',
      async (route) => {
        if (release === undefined) release = () => route.fulfill({ json: oldAnswer });
        else await route.continue();
      },
    );
    await page.goto(url());
    await until(page, `document.querySelector('#building-count') !== null`);
    const stored = await getJson<{ value: Building[] }>('/api/buildings');
    await page.setInputFiles('#building-file', {
      name: 'buildings.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(stored.value.slice(0, 1).map(fileLine).join('\r\n')),
    });
    await page.click('#building-upload');
    await until(page, `document.querySelector('#building-count')?.textContent?.startsWith('1 networks') === true`);
    await settled(page, 1);
    const newRows = await byBuildingFromApi();
    assert.deepEqual(await tableValues(page, 'building-rows'), newRows);
    assert.ok(release, 'the first load asked');
    const late = page.waitForResponse((r) => r.url().includes('by=building%2Cnetwork'));
    await release();
    await late;
    // The page has the late answer; give its handler a moment to (wrongly) draw it.
    await page.waitForTimeout(200);
    assert.deepEqual(await tableValues(page, 'building-rows'), newRows, 'the late, older answer is not drawn');
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('fits a phone-width screen without sideways scrolling', async () => {
    const { page, problems, context } = await watchedPage(browser, { viewport: VIEWPORTS.phone });
    await page.goto(url());
    await settled(page, 1);
    const overflow = await inPage<number>(page, 'document.documentElement.scrollWidth - window.innerWidth');
    assert.ok(overflow <= 0, `the page is ${overflow} px wider than the screen`);
    assert.deepEqual(problems, []);
    await context.close();
  });
});

describe('dashboard locations with authentication on (Chromium)', () => {
  let server: DashboardServer;
  let browser: Browser;
  let readerKey = '';

  before(async () => {
    server = await startDashboardServer({ calls: 0, readerKey: true });
    readerKey = server.readerKey ?? '';
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('tells a reader that only an administrator may replace the building file', async () => {
    const { page, problems, context } = await watchedPage(browser, {
      expectedStatus: [/^PUT \/api\/buildings 403$/],
    });
    await page.goto(`${server.url}/locations`);
    await page.fill('#api-key', readerKey);
    await page.press('#api-key', 'Enter');
    await page.waitForSelector('#building-text');
    await until(page, `document.querySelectorAll('[aria-busy="true"]').length === 0`);
    await page.fill('#building-text', '10.200.0.0,Lab,24,Lab,Owned,Office,Lab,Oslo,0150,NO,Oslo,EMEA,1,0,0');
    await page.click('#building-upload');
    await page.waitForSelector('#building-outcome [role=alert]');
    assert.match(
      (await page.locator('#building-outcome').textContent()) ?? '',
      /Only an administrator \(the CallRecords\.Admin role\) may replace the building file; nothing changed\./,
    );
    const stored = await fetch(`${server.url}/api/buildings`, { headers: { authorization: `Bearer ${readerKey}` } });
    assert.deepEqual(((await stored.json()) as { value: unknown[] }).value, []);
    assert.deepEqual(problems, []);
    await context.close();
  });
});
