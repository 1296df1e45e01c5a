import type { ApiClient } from './api.js';
import type { DashboardConfig } from './config.js';

/** What a page is given to draw itself. */
export interface PageContext {
  api: ApiClient;
  config: DashboardConfig;
  /** Where the page draws (the `<main>` element, emptied before). */
  root: HTMLElement;
  /** The URL's query: the page's state (period, filters), so that a link reopens the same view. */
  params: URLSearchParams;
  /** Path parameters (`/calls/:id` → `{ id }`), decoded. */
  path: Record<string, string>;
  /**
   * Changes some query parameters (undefined or '' removes one) and draws the page again for them: a new history
   * entry, so Back returns to the previous view. With `redraw: false` only the URL (and `params`) change: the page
   * redraws the one panel concerned itself (a re-sorted table, another pair of versions to compare).
   */
  setParams(changes: Record<string, string | undefined>, options?: { redraw?: boolean }): void;
  /** Draws the page again for the same URL, adding no history entry (a retry after an error). */
  redraw(): void;
  /** Opens another page of the dashboard (`/calls/abc`). */
  navigate(url: string): void;
  /** False once the person has moved on (another page or other parameters): late answers must not be drawn. */
  isCurrent(): boolean;
  /**
   * Aborted when the person moves on: `api` already sends every request with it, so a page left behind stops asking
   * (a meeting's remaining session pages, say); pass it to any other long-running work.
   */
  signal: AbortSignal;
}

/** A page: its title (the document title and the heading) and how it draws. */
export interface Page {
  title: string;
  render(context: PageContext): Promise<void> | void;
}
