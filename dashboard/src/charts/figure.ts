import { h } from '../dom.js';

/** One series of a chart: its name (in the legend) and a value per point (null: nothing to show there). */
export interface Series {
  label: string;
  values: (number | null)[];
}

let firstDrawn = false;

/**
 * Marks the first chart the page drew (`performance.mark('first-chart')`): the bench measures time to it
 * (bench/dashboard.ts), and tests wait for it.
 */
export function markDrawn(figure: HTMLElement): void {
  figure.dataset.drawn = 'true';
  if (firstDrawn) return;
  firstDrawn = true;
  performance.mark('first-chart');
}

/**
 * A chart's frame: a `<figure>` with its caption, the drawing (an image to assistive technology, with a summary
 * as its label), and the same numbers as a table under a disclosure, for keyboard and screen-reader users and for
 * copying.
 */
export function chartFigure(
  title: string,
  summary: string,
  header: string[],
  rows: (string | number)[][],
): { figure: HTMLElement; plot: HTMLElement } {
  const plot = h('div', { class: 'plot', role: 'img', 'aria-label': `${title}. ${summary}` });
  const table = h(
    'table',
    { class: 'data' },
    h('thead', {}, h('tr', {}, ...header.map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, ...rows.map((row) => h('tr', {}, ...row.map((c) => h('td', {}, c))))),
  );
  const figure = h(
    'figure',
    { class: 'chart' },
    h('figcaption', {}, title),
    plot,
    h('details', {}, h('summary', {}, 'Show the numbers'), table),
  );
  return { figure, plot };
}

/** Calls `resize(width)` whenever the element's width changes (a phone turned, a window resized). */
export function onWidth(element: HTMLElement, resize: (width: number) => void): void {
  let last = 0;
  new ResizeObserver((entries) => {
    const width = Math.floor(entries[0]?.contentRect.width ?? 0);
    if (width > 0 && width !== last) {
      last = width;
      resize(width);
    }
  }).observe(element);
}
