import uPlot from 'uplot';
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

/**
 * Draws a uPlot chart of `height` into a figure's plot, follows the plot's width, and registers it so that it is
 * destroyed when the figure leaves the page.
 */
export function mountChart(
  figure: HTMLElement,
  plot: HTMLElement,
  height: number,
  options: Omit<uPlot.Options, 'width' | 'height'>,
  data: uPlot.AlignedData,
): void {
  const chart = new uPlot({ ...options, width: Math.max(plot.clientWidth, 280), height }, data, plot);
  const observer = onWidth(plot, (width) => chart.setSize({ width, height }));
  track(figure, () => {
    observer.disconnect();
    chart.destroy();
  });
}

/** Charts on screen, each with what lets it go: uPlot keeps window listeners per chart until it is destroyed. */
const live = new Map<HTMLElement, () => void>();

/** Registers a drawn chart (its figure) and how to destroy it. */
export function track(figure: HTMLElement, destroy: () => void): void {
  releaseDetachedCharts();
  live.set(figure, destroy);
}

/**
 * Destroys every chart whose figure has left the page (the router calls this on each drawing, a chart on each new
 * one, so a panel redrawn in place releases its old chart too).
 */
export function releaseDetachedCharts(): void {
  for (const [figure, destroy] of live) {
    if (figure.isConnected) continue;
    live.delete(figure);
    destroy();
  }
}

/**
 * Calls `resize(width)` whenever the element's width changes (a phone turned, a window resized); returns the
 * observer, to disconnect with its chart.
 */
export function onWidth(element: HTMLElement, resize: (width: number) => void): ResizeObserver {
  let last = 0;
  const observer = new ResizeObserver((entries) => {
    const width = Math.floor(entries[0]?.contentRect.width ?? 0);
    if (width > 0 && width !== last) {
      last = width;
      resize(width);
    }
  });
  observer.observe(element);
  return observer;
}
