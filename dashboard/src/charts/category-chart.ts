import uPlot from 'uplot';
import { colour } from './palette.js';
import { chartFigure, markDrawn, mountChart, type Series } from './figure.js';

/** A bar chart of values per category (a building, a platform, a dimension combination). */
export interface CategoryChartOptions {
  title: string;
  /** What the categories are (`Building`). */
  xLabel: string;
  /** The y axis: what is counted and its unit. */
  yLabel: string;
  format: (value: number | null) => string;
  categories: string[];
  series: Series[];
}

const HEIGHT = 280;

/** Draws grouped bars with uPlot, one group per category, into `target`, and returns its `<figure>`. */
export function categoryChart(target: HTMLElement, options: CategoryChartOptions): HTMLElement {
  const { categories, series, format } = options;
  const header = [options.xLabel, ...series.map((s) => s.label)];
  const rows = categories.map((c, i) => [c, ...series.map((s) => format(s.values[i] ?? null))]);
  const summary = `Axes: ${options.xLabel} and ${options.yLabel}. ${options.yLabel} by ${options.xLabel.toLowerCase()}: ${categories.length} categories.`;
  const { figure, plot } = chartFigure(options.title, summary, header, rows);
  target.append(figure);
  const xs = categories.map((_c, i) => i);
  const groups = series.length;
  const label = (i: number): string => {
    const text = categories[i] ?? '';
    return text.length > 14 ? `${text.slice(0, 13)}…` : text;
  };
  mountChart(
    figure,
    plot,
    HEIGHT,
    {
      cursor: { drag: { x: false, y: false } },
      scales: {
        x: { time: false, range: [-0.5, categories.length - 0.5] },
        y: { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max * 1.1 : 1] },
      },
      axes: [
        {
          label: options.xLabel,
          values: (_u, ticks) => ticks.map((t) => (Number.isInteger(t) ? label(t) : '')),
          space: 30,
          rotate: categories.length > 6 ? -35 : 0,
          size: categories.length > 6 ? 90 : 50,
        } as uPlot.Axis,
        { label: options.yLabel, values: (_u, ticks) => ticks.map((t) => format(t)), size: 70 },
      ],
      series: [
        { label: options.xLabel, value: (_u, v) => (v == null ? '–' : (categories[v] ?? '')) },
        ...series.map((s, i) => ({
          label: s.label,
          stroke: colour(i),
          fill: `${colour(i)}cc`,
          width: 1,
          paths: uPlot.paths.bars?.({ size: [0.8 / groups, 60], align: 0 }),
          points: { show: false },
          value: (_u: uPlot, v: number | null) => format(v),
        })),
      ],
      hooks: { draw: [() => markDrawn(figure)] },
    },
    [xs, ...series.map((s) => s.values)] as uPlot.AlignedData,
  );
  return figure;
}
