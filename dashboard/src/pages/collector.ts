import { h } from '../dom.js';
import type { Page } from '../page.js';
import { heading } from '../states.js';

/** Placeholder until this page is built (issue 13). */
export const collectorPage: Page = {
  title: 'Collector',
  render({ root }) {
    root.append(heading('Collector'), h('p', {}, 'This page is not built yet.'));
  },
};
