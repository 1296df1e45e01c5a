import { h } from '../dom.js';
import type { Page } from '../page.js';
import { heading } from '../states.js';

/** A dashboard path that names no page. */
export const notFoundPage: Page = {
  title: 'Not found',
  render({ root }) {
    root.append(
      heading('Not found'),
      h('p', {}, 'No page of the dashboard is at this address. '),
      h('a', { href: '/overview' }, 'Open the overview'),
    );
  },
};
