import { h } from '../dom.js';
import type { Page } from '../page.js';
import { heading } from '../states.js';

/** Placeholder until this page is built (issue 13). */
export const locationsPage: Page = {
  title: 'Locations',
  render({ root }) {
    root.append(heading('Locations'), h('p', {}, 'This page is not built yet.'));
  },
};
