import uPlot from 'uplot';
import { colour } from './palette.js';
import { chartFigure, markDrawn, mountChart, type Series } from './figure.js';

/** A chart of values per day. */
export interface TimeChartOptions {
  title: string;
  /** The y axis: what is counted and its unit (`Poor streams (%)`). */
  yLabel: string;
  /** Formats a value on the axis, in the legend and in the table. */
  format: (value: number | null) => string;
  /** yyyy-mm-dd, one per point. */
  days: string[];
  series: Series[];
  /** Bars (counts) rather than lines (rates); two series stand side by side. */
  bars?: boolean;
  /** Whole numbers only on the y axis (counts). */
  integer?: boolean;
}

/** Tick steps of a count axis: no fractions of a call. */
const INTEGER_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6, 1e7];

const HEIGHT = 260;

/**
 * Draws a per-day chart with uPlot into `target` (a time x axis in UTC days, a labelled y axis with units, a legend
 * with each series' value at the cursor) and returns its `<figure>`.
 */
export function timeChart(target: HTMLElement, options: TimeChartOptions): HTMLElement {
  const { days, series, format } = options;
  const header = ['Day', ...series.map((s) => s.label)];
  const rows = days.map((d, i) => [d, ...series.map((s) => format(s.values[i] ?? null))]);
  const summary = `Axes: Day (UTC) and ${options.yLabel}. ${options.yLabel} per day from ${days[0] ?? ''} to ${days[days.length - 1] ?? ''}, ${series
    .map((s) => s.label)
    .join(', ')}.`;
  const { figure, plot } = chartFigure(options.title, summary, header, rows);
  target.append(figure);
  const xs = days.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000);
  const pairs = options.bars === true && series.length === 2;
  const barsOf = (i: number): uPlot.Series.PathBuilder | undefined =>
    options.bars === true
      ? uPlot.paths.bars?.({ size: [pairs ? 0.35 : 0.7, 40], align: pairs ? (i === 0 ? -1 : 1) : 0 })
      : undefined;
  mountChart(
    figure,
    plot,
    HEIGHT,
    {
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      cursor: { drag: { x: false, y: false } },
      scales: { y: { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max * 1.1 : 1] } },
      axes: [
        { label: 'Day (UTC)', values: '{MMM} {D}' as unknown as uPlot.Axis.Values },
        {
          label: options.yLabel,
          values: (_u, ticks) => ticks.map((t) => format(t)),
          size: 70,
          incrs: options.integer === true ? INTEGER_STEPS : undefined,
        },
      ],
      series: [
        { label: 'Day', value: (_u, v) => (v == null ? '–' : new Date(v * 1000).toISOString().slice(0, 10)) },
        ...series.map((s, i) => ({
          label: s.label,
          stroke: colour(i),
          fill: options.bars === true ? `${colour(i)}aa` : undefined,
          width: 2,
          paths: barsOf(i),
          points: { show: options.bars !== true && days.length <= 45 },
          spanGaps: false,
          value: (_u: uPlot, v: number | null) => format(v),
        })),
      ],
      hooks: { draw: [() => markDrawn(figure)] },
    },
    [xs, ...series.map((s) => s.values)] as uPlot.AlignedData,
  );
  return figure;
}
