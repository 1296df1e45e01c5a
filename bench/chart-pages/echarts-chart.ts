/**
 * The poor % trend drawn with ECharts, tree-shaken to what the chart uses (a line chart, a grid, a tooltip, a legend,
 * the canvas renderer); marks `chart-drawn` when ECharts says it has finished rendering. Animation is off: uPlot has
 * none, and an animated line is "finished" only once the animation ends.
 */
import * as echarts from 'echarts/core';
import { LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { markDrawn, markStart, poorTrend } from './series.js';

markStart();

echarts.use([LineChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

const trend = poorTrend();
const chart = echarts.init(document.getElementById('chart')!, undefined, { width: 1200, height: 400 });
chart.on('finished', markDrawn);
chart.setOption({
  animation: false,
  tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => `${String(v)} %` },
  legend: { data: trend.series.map((s) => s.label) },
  xAxis: { type: 'time' },
  yAxis: { type: 'value', name: 'Poor streams (%)', min: 0, max: 10, axisLabel: { formatter: '{value} %' } },
  series: trend.series.map((s) => ({
    name: s.label,
    type: 'line',
    showSymbol: false,
    color: s.color,
    data: trend.days.map((d, i) => [d * 1000, s.values[i]]),
  })),
});
