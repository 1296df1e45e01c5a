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
   * entry, so Back returns to the previous view.
   */
  setParams(changes: Record<string, string | undefined>): void;
  /** Opens another page of the dashboard (`/calls/abc`). */
  navigate(url: string): void;
  /** False once the person has moved on (another page or other parameters): late answers must not be drawn. */
  isCurrent(): boolean;
}

/** A page: its title (the document title and the heading) and how it draws. */
export interface Page {
  title: string;
  render(context: PageContext): Promise<void> | void;
}
