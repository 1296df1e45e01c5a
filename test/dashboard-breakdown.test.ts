import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { inPage, launchBrowser, screenshot, settled, until, VIEWPORTS, watchedPage } from './helpers/browser.js';
import { generatedPeriod, startDashboardServer, type DashboardServer } from './helpers/dashboard-server.js';

type Row = Record<string, unknown>;

describe('dashboard breakdown (Chromium)', () => {
  let server: DashboardServer;
  let browser: Browser;
  const { from, to } = generatedPeriod();
  const period = `date ge ${from} and date lt ${to}`;

  before(async () => {
    server = await startDashboardServer({ calls: 120 });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function api(query: Record<string, string>): Promise<Response> {
    return fetch(`${server.url}/api/analytics?${new URLSearchParams(query).toString()}`);
  }

  /** The table's cells as the API's values (each cell carries its raw value), one array per row in page order. */
  async function tableValues(page: Page): Promise<unknown[][]> {
    const json = await inPage<string>(
      page,
      `JSON.stringify([...document.querySelectorAll('#pivot-rows tbody tr')].map((tr) =>
         [...tr.querySelectorAll('td')].map((td) => JSON.parse(td.dataset.value))))`,
    );
    return JSON.parse(json) as unknown[][];
  }

  const canonical = (rows: unknown[][]): string[] => rows.map((r) => JSON.stringify(r)).sort();

  it('offers exactly the dimensions and measures the API’s catalog lists, asked once, with a retry on failure', async () => {
    const catalog = (await (await fetch(`${server.url}/api/analytics/catalog`)).json()) as {
      dimensions: { name: string; label: string; about: string }[];
      measures: { name: string; label: string; about: string; unit?: string }[];
      maxDimensions: number;
    };
    const { page, problems, context } = await watchedPage(browser, {
      expectedStatus: [/^GET \/api\/analytics\/catalog 503$/],
    });
    // The first answer fails: the page says so and offers to ask again.
    let asked = 0;
    let failNext = true;
    await page.route('**/api/analytics/catalog', async (route) => {
      asked += 1;
      if (failNext) {
        failNext = false;
        await route.fulfill({
          status: 503,
          contentType: 'application/json',
          body: JSON.stringify({ error: { code: 'serviceNotAvailable', message: 'The catalog is not there yet.' } }),
        });
      } else await route.continue();
    });
    await page.goto(`${server.url}/breakdown?from=${from}&to=${to}`);
    await page.waitForSelector('#pivot-page .state.error');
    assert.match((await page.locator('#pivot-page [role=alert]').textContent()) ?? '', /not there yet/);
    assert.equal(await page.locator('#pivot-by-1').count(), 0, 'no choices without the catalog');
    await page.click('#pivot-page .state.error button');
    await settled(page, 1);

    const options = await inPage<string[]>(
      page,
      `[...document.querySelectorAll('#pivot-by-1 option')].map((o) => o.value)`,
    );
    assert.deepEqual(
      options,
      catalog.dimensions.map((d) => d.name),
    );
    const second = await inPage<string[]>(
      page,
      `[...document.querySelectorAll('#pivot-by-2 option')].map((o) => o.value)`,
    );
    assert.deepEqual(second, ['', ...catalog.dimensions.map((d) => d.name)]);
    // People read the catalog's labels; the API names stay in the values.
    const optionText = await inPage<string[]>(
      page,
      `[...document.querySelectorAll('#pivot-by-1 option')].map((o) => o.textContent)`,
    );
    assert.deepEqual(
      optionText,
      catalog.dimensions.map((d) => d.label),
    );
    assert.equal(await page.locator('select[id^=pivot-by-]').count(), Math.min(3, catalog.maxDimensions));
    const boxes = await inPage<string[]>(
      page,
      `[...document.querySelectorAll('.pivot-measures input[type=checkbox]')].map((b) => b.value)`,
    );
    assert.deepEqual(
      boxes,
      catalog.measures.map((m) => m.name),
    );
    // Each measure is described by the catalog's words, and its unit heads its column.
    const jitter = catalog.measures.find((m) => m.name === 'avgJitter')!;
    assert.equal(await page.locator('#measure-avgJitter').getAttribute('aria-describedby'), 'measure-avgJitter-about');
    assert.equal(await page.locator('#measure-avgJitter-about').textContent(), `avgJitter: ${jitter.about}`);
    assert.equal(await page.locator('label[for=measure-avgJitter]').textContent(), `${jitter.label} (${jitter.unit})`);
    const building = catalog.dimensions.find((d) => d.name === 'building')!;
    const described = (await page.locator('#pivot-by-about').textContent()) ?? '';
    assert.ok(described.includes(`${building.label} (building): ${building.about}`), described);

    // Another choice draws the page again without asking for the catalog again.
    assert.equal(asked, 2);
    await page.selectOption('#pivot-by-1', 'platform');
    await page.waitForURL((url) => url.searchParams.get('by') === 'platform');
    await settled(page, 1);
    assert.equal(asked, 2);
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('pivots by the chosen dimensions and measures, equal to the API’s answer, sortable, as CSV', async () => {
    const { page, problems, context } = await watchedPage(browser);
    await page.goto(`${server.url}/breakdown?from=${from}&to=${to}`);
    await settled(page, 1);
    // A second dimension with the mouse, a third measure with the keyboard.
    await page.selectOption('#pivot-by-2', 'platform');
    await page.waitForURL((url) => url.searchParams.get('by') === 'building,platform');
    await settled(page, 1);
    await page.focus('#measure-calls');
    await page.keyboard.press('Space');
    await page.waitForURL((url) => url.searchParams.get('measures') === 'poorStreamPct,streams,calls');
    await settled(page, 1);

    const query = { measures: 'poorStreamPct,streams,calls', by: 'building,platform', filter: period };
    const columns = ['building', 'platform', 'poorStreamPct', 'streams', 'calls'];
    const inOrder = async (orderby: string) => {
      const body = (await (await api({ ...query, orderby, top: '500' })).json()) as { rows: Row[] };
      return body.rows.map((r) => columns.map((c) => r[c]));
    };
    const answer = (await (await api(query)).json()) as { rows: Row[] };
    assert.ok(answer.rows.length > 1, 'the tenant has several buildings and platforms');
    const expected = answer.rows.map((r) => columns.map((c) => r[c]));
    const shown = await tableValues(page);
    assert.deepEqual(canonical(shown), canonical(expected));
    // In the API's order for the sort shown (it orders and cuts; the page does not re-sort).
    assert.deepEqual(shown, await inOrder('poorStreamPct desc'));
    // Sorted by the first measure, largest first, unless told otherwise.
    assert.equal(await page.locator('th:has(#sort-poorStreamPct)').getAttribute('aria-sort'), 'descending');
    const pct = shown.map((r) => r[2]).filter((v): v is number => typeof v === 'number');
    assert.deepEqual(
      pct,
      [...pct].sort((a, b) => b - a),
    );
    // The chart: the first measure, one bar per row, labelled "building · platform".
    const chartRows = await page.locator('#pivot-result figure.chart table.data tbody tr').count();
    assert.equal(chartRows, Math.min(30, expected.length));
    const firstLabel = await page.locator('#pivot-result figure.chart table.data tbody tr td').first().textContent();
    assert.match(firstLabel ?? '', / · /);

    await screenshot(page, 'breakdown');

    // Sort by building: a click, then Enter on the same header button reverses it. Each asks the API for the first
    // rows in the new order, and only the result panel is drawn again (the filter box below is the same element).
    const asked: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.startsWith('/api/')) asked.push(request.url());
    });
    await inPage(page, `document.querySelector('#pivot-filter').dataset.kept = 'yes'`);
    await page.click('#sort-building');
    await page.waitForURL((url) => url.searchParams.get('sort') === 'building');
    await settled(page, 1);
    assert.equal(await page.locator('th:has(#sort-building)').getAttribute('aria-sort'), 'ascending');
    assert.equal(await page.locator('th:has(#sort-poorStreamPct)').getAttribute('aria-sort'), 'none');
    const ascending = (await tableValues(page)).map((r) => r[0]);
    assert.notDeepEqual(
      ascending,
      shown.map((r) => r[0]),
      'the order changed',
    );
    assert.deepEqual(await tableValues(page), await inOrder('building'));
    assert.equal(asked.length, 1, `one request per sort: ${asked.join(' ')}`);
    assert.match(asked[0]!, /orderby=building&top=500/);
    assert.equal(await inPage(page, `document.querySelector('#pivot-filter').dataset.kept`), 'yes');
    const known = ascending.filter((v) => v !== null) as string[];
    assert.deepEqual(known, [...known].sort());
    assert.equal(await inPage(page, 'document.activeElement?.id'), 'sort-building', 'the focus stays on the header');
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.searchParams.get('sort') === '-building');
    await settled(page, 1);
    assert.equal(await page.locator('th:has(#sort-building)').getAttribute('aria-sort'), 'descending');
    const descending = (await tableValues(page)).map((r) => r[0]).filter((v) => v !== null) as string[];
    assert.deepEqual(descending, [...known].reverse());

    assert.deepEqual(await tableValues(page), await inOrder('building desc'));

    // The CSV download is the API's CSV for the same question, in the table's order, uncut.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#pivot-csv')]);
    assert.equal(download.suggestedFilename(), `callrecords-building+platform-${from}-${to}.csv`);
    const csv = await readFile((await download.path())!, 'utf8');
    const apiCsv = await (await api({ ...query, orderby: 'building desc', format: 'csv' })).text();
    assert.equal(csv, apiCsv);
    assert.match(csv, /^building,platform,poorStreamPct,streams,calls\r\n/);
    assert.equal(csv.trim().split('\r\n').length, answer.rows.length + 1);
    // The URL shown to copy answers the same rows in the same order, and names the API's columns.
    const shownUrl = (await page.locator('#pivot-api-url').textContent()) ?? '';
    assert.match(shownUrl, /orderby=building%20desc&top=500/);
    const viaShown = (await (await fetch(shownUrl)).json()) as { rows: Row[] };
    assert.deepEqual(
      viaShown.rows.map((r) => columns.map((c) => r[c])),
      await inOrder('building desc'),
    );

    assert.deepEqual(problems, []);
    await context.close();
  });

  it('opens the same view from its URL, and applies a filter typed in the grammar', async () => {
    const { page, problems, context } = await watchedPage(browser);
    const filter = "mediaType eq 'audio'";
    await page.goto(`${server.url}/breakdown?from=${from}&to=${to}&by=callType&measures=streams,poorStreams`);
    await settled(page, 1);
    const unfiltered = await tableValues(page);
    await page.fill('#pivot-filter', filter);
    await page.press('#pivot-filter', 'Enter');
    await page.waitForURL((url) => url.searchParams.get('filter') === filter);
    await settled(page, 1);
    const filtered = await tableValues(page);
    assert.notDeepEqual(filtered, unfiltered);
    const answer = (await (
      await api({ measures: 'streams,poorStreams', by: 'callType', filter: `${period} and (${filter})` })
    ).json()) as { rows: Row[] };
    assert.deepEqual(canonical(filtered), canonical(answer.rows.map((r) => [r.callType, r.streams, r.poorStreams])));
    // A shared link: every control and the table come back.
    const shared = await context.newPage();
    await shared.goto(page.url());
    await settled(shared, 1);
    assert.equal(await shared.locator('#pivot-by-1').inputValue(), 'callType');
    assert.equal(await shared.locator('#pivot-by-2').inputValue(), '');
    assert.equal(await shared.locator('#pivot-filter').inputValue(), filter);
    assert.equal(await shared.locator('#measure-poorStreams').isChecked(), true);
    assert.equal(await shared.locator('#measure-poorStreamPct').isChecked(), false);
    assert.deepEqual(await tableValues(shared), filtered);
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('shows the API’s 400 message for a bad filter', async () => {
    const { page, problems, context } = await watchedPage(browser, {
      expectedStatus: [/^GET \/api\/analytics 400$/],
    });
    const filter = "platform eq 'web' and nosuch eq 1";
    const response = await api({
      measures: 'poorStreamPct,streams',
      by: 'building',
      filter: `${period} and (${filter})`,
    });
    assert.equal(response.status, 400);
    const { error } = (await response.json()) as { error: { message: string } };
    await page.goto(`${server.url}/breakdown?from=${from}&to=${to}&filter=${encodeURIComponent(filter)}`);
    await page.waitForSelector('#pivot-result .state.error');
    const text = (await page.locator('#pivot-result [role=alert]').textContent()) ?? '';
    assert.ok(text.includes(error.message), `${text} names ${error.message}`);

    // A filter whose parentheses would close the period's group is refused before it is sent.
    const asked: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/api/analytics') asked.push(request.url());
    });
    const escaping = "platform eq 'web') or (mediaType eq 'audio'";
    await page.goto(`${server.url}/breakdown?from=${from}&to=${to}&filter=${encodeURIComponent(escaping)}`);
    await page.waitForSelector('#pivot-result .state.error');
    assert.match((await page.locator('#pivot-result [role=alert]').textContent()) ?? '', /parentheses do not balance/);
    assert.deepEqual(asked, []);
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('asks for the first 500 rows only, and says when more exist', async () => {
    const by = 'callId,subnet,mediaLabel';
    const whole = (await (await api({ measures: 'streams', by, filter: period })).json()) as { rows: Row[] };
    assert.ok(whole.rows.length > 500, `the case needs more than 500 groups (${whole.rows.length})`);
    const { page, problems, context } = await watchedPage(browser);
    await page.goto(`${server.url}/breakdown?from=${from}&to=${to}&by=${by}&measures=streams&sort=-streams`);
    await settled(page, 1);
    assert.equal(await page.locator('#pivot-rows tbody tr').count(), 500);
    assert.match((await page.locator('#pivot-rows caption').textContent()) ?? '', /^The first 500 of more rows/);
    const most = Math.max(...whole.rows.map((r) => r.streams as number));
    assert.equal((await tableValues(page))[0]![3], most, 'the true top row, not the top of an arbitrary 500');
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('fits a phone-width screen without sideways scrolling', async () => {
    const { page, problems, context } = await watchedPage(browser, { viewport: VIEWPORTS.phone });
    await page.goto(`${server.url}/breakdown?from=${from}&to=${to}&by=building,platform,mediaType`);
    await settled(page, 1);
    await until(page, `document.querySelector('#pivot-rows') !== null`);
    const overflow = await inPage<number>(page, 'document.documentElement.scrollWidth - window.innerWidth');
    assert.ok(overflow <= 0, `the page is ${overflow} px wider than the screen`);
    assert.deepEqual(problems, []);
    await context.close();
  });
});
