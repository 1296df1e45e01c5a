import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/**
 * Headless Chromium from Debian's `chromium` package (.ci/run installs it), driven by playwright-core: the browser
 * builds Playwright downloads cannot be fetched here (dependencies.md). `CHROMIUM_PATH` names another binary.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * The flags this machine needs (dependencies.md): no sandbox as root, no GPU, and none of Chromium's own calls
 * home, which the closed network would refuse. Playwright gives each launch a new empty profile.
 */
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ARGS });
}

/** A phone-width screen and the desktop width the issue names. */
export const VIEWPORTS = {
  desktop: { width: 1280, height: 900 },
  phone: { width: 390, height: 844 },
} as const;

/** A page and what went wrong on it: console errors, uncaught exceptions, failed requests, answers ≥ 400. */
export interface WatchedPage {
  context: BrowserContext;
  page: Page;
  problems: string[];
}

/**
 * Opens a new context (its own cookies and storage) and page, and records every problem a person's browser would
 * show in its console or network panel. `expectedStatus` lists `METHOD path status` answers a test provokes on
 * purpose (a 400 for a bad upload), which are not problems.
 */
export async function watchedPage(
  browser: Browser,
  options: { viewport?: { width: number; height: number }; expectedStatus?: RegExp[] } = {},
): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: options.viewport ?? VIEWPORTS.desktop });
  const page = await context.newPage();
  const problems: string[] = [];
  const expected = options.expectedStatus ?? [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    // Chromium logs each answer ≥ 400 as a console error too; those are judged by the response handler below.
    if (/Failed to load resource: the server responded with a status of/.test(message.text())) return;
    problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`exception: ${error.message}`));
  page.on('requestfailed', (request) =>
    problems.push(`failed: ${request.method()} ${request.url()} ${request.failure()?.errorText ?? ''}`),
  );
  page.on('response', (response) => {
    if (response.status() < 400) return;
    const line = `${response.request().method()} ${new URL(response.url()).pathname} ${response.status()}`;
    if (!expected.some((pattern) => pattern.test(line))) problems.push(`status: ${line}`);
  });
  return { context, page, problems };
}

/** Where the test run writes its screenshots (not committed; docs/dashboard.md links them). */
export const SCREENSHOT_DIR = join(import.meta.dirname, '..', '..', 'test-output', 'screenshots');

/** Writes a full-page screenshot `test-output/screenshots/<name>.png`. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Waits until `charts` charts on the page have drawn (figure.ts sets `data-drawn`) and no panel is still loading.
 * (Expressions that run in the page are strings: the tests are compiled without the DOM's types.)
 */
export async function settled(page: Page, charts = 1): Promise<void> {
  await until(
    page,
    `document.querySelectorAll('figure.chart[data-drawn]').length >= ${charts} &&
     document.querySelectorAll('[aria-busy="true"]').length === 0`,
  );
}

/**
 * Waits until an expression is true in the page, polling from here: Playwright's `waitForFunction` with a string
 * would `eval` inside the page, which the dashboard's Content-Security-Policy forbids, as it should.
 */
export async function until(page: Page, expression: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${expression}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The value of a JavaScript expression in the page. */
export function inPage<T>(page: Page, expression: string): Promise<T> {
  return page.evaluate(expression) as Promise<T>;
}
