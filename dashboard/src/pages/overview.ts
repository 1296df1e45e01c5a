import { allOf, askAnalytics, literal } from '../analytics.js';
import { h } from '../dom.js';
import { fillOptions, labelled, paramSelect, periodControls } from '../filters.js';
import type { Page, PageContext } from '../page.js';
import { panel, tile } from '../panels.js';
import { daysOf, periodFilter } from '../period.js';
import { heading, showLoading } from '../states.js';
import {
  drawFailures,
  drawHeadline,
  drawReasons,
  drawTrend,
  drawVolume,
  type OverviewPanels,
} from './overview-panels.js';

/**
 * Overview: CQD's first screen. Poor % per day for audio, video and screen sharing; call and stream volume; the most
 * frequent reasons streams were poor; failures. The period and the building and platform filters live in the URL.
 */
export const overviewPage: Page = {
  title: 'Overview',
  async render(context: PageContext) {
    const { api, root, params } = context;
    const { element: periodBar, period } = periodControls(context);
    const building = paramSelect(context, 'building', 'Building');
    const platform = paramSelect(context, 'platform', 'Platform');
    const filter = allOf(
      periodFilter(period),
      params.get('building') && `building eq ${literal(params.get('building') ?? '')}`,
      params.get('platform') && `platform eq ${literal(params.get('platform') ?? '')}`,
    );
    const tiles = [
      tile('kpi-poor-audio', 'Poor audio streams'),
      tile('kpi-calls', 'Calls'),
      tile('kpi-streams', 'Streams'),
      tile('kpi-failures', 'Failed segments'),
    ];
    const trend = panel('trend', 'Poor streams per day');
    const volume = panel('volume', 'Calls and streams per day');
    const reasons = panel('reasons', 'Why streams were poor');
    const failures = panel('failures', 'Failures per day');
    const o: OverviewPanels = {
      context,
      filter,
      days: daysOf(period),
      tiles,
      trendBody: trend.body,
      volumeBody: volume.body,
      reasonsBody: reasons.body,
      failuresBody: failures.body,
    };
    root.append(
      heading('Overview'),
      h('div', { class: 'filters' }, periodBar, labelled(building), labelled(platform)),
      h('div', { class: 'tiles' }, ...tiles.map((t) => t.element)),
      h('div', { class: 'grid' }, trend.section, volume.section, reasons.section, failures.section),
    );
    for (const [target, what] of [
      [o.trendBody, 'the poor stream trend'],
      [o.volumeBody, 'call volume'],
      [o.reasonsBody, 'poor reasons'],
      [o.failuresBody, 'failures'],
    ] as const) {
      showLoading(target, what);
    }
    // The trend first and alone: it is answered from a rollup, and the first chart should not wait behind the
    // questions that read every stream (distinct calls, failures).
    await Promise.all([drawTrend(o), drawHeadline(o)]);
    if (!context.isCurrent()) return;

    const fillFilters = async (): Promise<void> => {
      try {
        const table = await askAnalytics(api, {
          measures: ['streams'],
          by: ['building'],
          filter: periodFilter(period),
        });
        const clients = await askAnalytics(api, {
          measures: ['streams'],
          by: ['platform'],
          filter: periodFilter(period),
        });
        if (!context.isCurrent()) return;
        fillOptions(
          building,
          table.rows.map((r) => r.building).filter((v): v is string => typeof v === 'string'),
        );
        fillOptions(
          platform,
          clients.rows.map((r) => r.platform).filter((v): v is string => typeof v === 'string'),
        );
      } catch {
        // The filters keep only "All" and the current choice; the charts say what failed.
      }
    };
    await Promise.all([drawVolume(o), drawReasons(o), drawFailures(o), fillFilters()]);
  },
};
