import { announce } from './dom.js';
import type { Page, PageContext } from './page.js';

/** A route: a path pattern (`/calls/:id`) and the page it opens. */
export interface Route {
  pattern: string;
  page: Page;
}

function match(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const part = want[i] ?? '';
    const value = got[i] ?? '';
    if (part.startsWith(':')) {
      if (value === '') return undefined;
      params[part.slice(1)] = decodeURIComponent(value);
    } else if (part !== value) return undefined;
  }
  return params;
}

/**
 * Client-side navigation over real paths (the server answers the shell at each: src/http/dashboard-routes.ts): links
 * inside the dashboard change the URL with the History API and draw the page they name; Back and Forward redraw.
 * The focus moves to the page's heading after a navigation, and the new title is announced to screen readers.
 */
export class Router {
  private generation = 0;

  constructor(
    private readonly routes: readonly Route[],
    private readonly notFound: Page,
    private readonly base: Omit<PageContext, 'root' | 'params' | 'path' | 'setParams' | 'navigate' | 'isCurrent'>,
    private readonly root: HTMLElement,
  ) {}

  start(): void {
    window.addEventListener('popstate', () => void this.render(false));
    document.addEventListener('click', (event) => {
      const link = (event.target as Element | null)?.closest('a');
      if (link === null || link === undefined || event.defaultPrevented || event.button !== 0) return;
      if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || link.target !== '') return;
      if (link.hasAttribute('download')) return;
      const url = new URL(link.href, location.href);
      // An in-page link (the skip link) is the browser's to follow.
      if (url.hash !== '' && url.pathname === location.pathname && url.search === location.search) return;
      if (url.origin !== location.origin || !this.routes.some((r) => match(r.pattern, url.pathname) !== undefined)) {
        return;
      }
      event.preventDefault();
      this.navigate(url.pathname + url.search);
    });
    void this.render(false);
  }

  navigate(url: string): void {
    history.pushState(null, '', url);
    void this.render(true);
  }

  private async render(moveFocus: boolean): Promise<void> {
    const generation = ++this.generation;
    const path = location.pathname === '/' ? '/overview' : location.pathname;
    let page = this.notFound;
    let pathParams: Record<string, string> = {};
    for (const route of this.routes) {
      const params = match(route.pattern, path);
      if (params !== undefined) {
        page = route.page;
        pathParams = params;
        break;
      }
    }
    // Keep the focus on a control the person was using when only the parameters change (a filter).
    const focused = moveFocus ? undefined : document.activeElement?.id;
    document.title = `${page.title} · callrecords`;
    for (const link of document.querySelectorAll<HTMLAnchorElement>('#nav a')) {
      const here = path === link.pathname || path.startsWith(`${link.pathname}/`);
      if (here) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    this.root.replaceChildren();
    const context: PageContext = {
      ...this.base,
      root: this.root,
      params: new URLSearchParams(location.search),
      path: pathParams,
      setParams: (changes) => {
        const params = new URLSearchParams(location.search);
        for (const [name, value] of Object.entries(changes)) {
          if (value === undefined || value === '') params.delete(name);
          else params.set(name, value);
        }
        const query = params.toString();
        history.pushState(null, '', `${location.pathname}${query === '' ? '' : `?${query}`}`);
        void this.render(false);
      },
      navigate: (url) => this.navigate(url),
      isCurrent: () => generation === this.generation,
    };
    try {
      await page.render(context);
    } finally {
      if (generation === this.generation) {
        if (focused) document.getElementById(focused)?.focus();
        else if (moveFocus) (this.root.querySelector('h1') ?? this.root).focus();
        if (moveFocus) announce(page.title);
      }
    }
  }
}
