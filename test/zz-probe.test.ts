import { it } from 'node:test';
import { inPage, launchBrowser, screenshot, until, VIEWPORTS, watchedPage } from '/work/wt-pages-b/test/helpers/browser.js';
import { startDashboardServer } from '/work/wt-pages-b/test/helpers/dashboard-server.js';
it('probe', async () => {
  const server = await startDashboardServer({ calls: 30 });
  const browser = await launchBrowser();
  const { page } = await watchedPage(browser, { viewport: VIEWPORTS.phone });
  await page.goto(`${server.url}/calls`);
  await until(page, `document.querySelector('#calls-table') !== null && document.documentElement.scrollWidth > 0`);
  console.log(await inPage(page, 'document.documentElement.scrollWidth'), await inPage(page, `[...document.querySelectorAll('body *')].filter(e => !e.closest('.table-scroll') && e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 8).map(e => e.tagName + '#' + e.id + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))`));
  await screenshot(page, 'probe-calls-phone');
  await browser.close(); await server.close();
});
