/** The poor % trend drawn with uPlot (its own axes, legend and cursor); marks `chart-drawn` after the first draw. */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { markDrawn, markStart, poorTrend } from './series.js';

markStart();

const trend = poorTrend();
const root = document.getElementById('chart')!;
new uPlot(
  {
    width: 1200,
    height: 400,
    scales: { x: { time: true }, y: { range: [0, 10] } },
    axes: [{}, { label: 'Poor streams (%)', values: (_u, ticks) => ticks.map((t) => `${t} %`) }],
    series: [
      { label: 'Day' },
      ...trend.series.map((s) => ({
        label: s.label,
        stroke: s.color,
        width: 2,
        value: (_u: uPlot, v: number | null) => (v === null ? '–' : `${v} %`),
      })),
    ],
    hooks: { draw: [markDrawn] },
  },
  [trend.days, ...trend.series.map((s) => s.values)],
  root,
);
