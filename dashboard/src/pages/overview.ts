import { allOf, askAnalytics, literal, type AnalyticsTable } from '../analytics.js';
import { timeChart } from '../charts/time-chart.js';
import { h } from '../dom.js';
import { fillOptions, labelled, paramSelect, periodControls } from '../filters.js';
import { count, percent } from '../format.js';
import type { Page, PageContext } from '../page.js';
import { daysOf, periodFilter } from '../period.js';
import { heading, showEmpty, showError, showLoading, showReady } from '../states.js';

const MEDIA = [
  { type: 'audio', label: 'Audio' },
  { type: 'video', label: 'Video' },
  { type: 'vbss', label: 'Screen sharing' },
];

const REASONS: Record<string, string> = {
  poorDueToJitter: 'Jitter',
  poorDueToPacketLoss: 'Packet loss',
  poorDueToRoundTrip: 'Round trip',
  poorDueToDegradation: 'Degradation',
  poorDueToConcealedRatio: 'Concealed samples',
  poorDueToFrameLoss: 'Video frame loss',
  poorDueToFrameRate: 'Frame rate',
  poorDueToPostFecPacketLoss: 'Packet loss after FEC',
};

/** The value of `column` per day of the period, from rows grouped by day (and filtered by `keep`). */
function perDay(
  table: AnalyticsTable,
  days: string[],
  column: string,
  keep: (row: AnalyticsTable['rows'][number]) => boolean = () => true,
): (number | null)[] {
  const byDay = new Map<string, number | null>();
  for (const row of table.rows) if (keep(row)) byDay.set(String(row.day), row[column] as number | null);
  return days.map((d) => byDay.get(d) ?? null);
}

function panel(id: string, title: string): HTMLElement {
  return h('section', { class: 'panel', id, 'aria-labelledby': `${id}-title` }, h('h2', { id: `${id}-title` }, title));
}

function body(section: HTMLElement): HTMLElement {
  const element = h('div', { class: 'panel-body' });
  section.append(element);
  return element;
}

function tile(id: string, label: string): { element: HTMLElement; value: HTMLElement } {
  const value = h('p', { class: 'tile-value', id, 'aria-live': 'polite' }, '…');
  return { element: h('div', { class: 'tile' }, h('p', { class: 'tile-label' }, label), value), value };
}

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
    root.append(
      heading('Overview'),
      h('div', { class: 'filters' }, periodBar, labelled(building), labelled(platform)),
      h('div', { class: 'tiles' }, ...tiles.map((t) => t.element)),
      h('div', { class: 'grid' }, trend, volume, reasons, failures),
    );
    const days = daysOf(period);
    const trendBody = body(trend);
    const [volumeBody, reasonsBody, failuresBody] = [body(volume), body(reasons), body(failures)];
    for (const [target, what] of [
      [trendBody, 'the poor stream trend'],
      [volumeBody, 'call volume'],
      [reasonsBody, 'poor reasons'],
      [failuresBody, 'failures'],
    ] as const) {
      showLoading(target, what);
    }

    // The trend first and alone: it is answered from a rollup, and the first chart should not wait behind the
    // questions that read every stream (distinct calls, failures).
    const drawTrend = async (): Promise<void> => {
      showLoading(trendBody, 'the poor stream trend');
      try {
        const table = await askAnalytics(api, {
          measures: ['poorStreamPct', 'poorStreams', 'streams'],
          by: ['day', 'mediaType'],
          filter: allOf(filter, `mediaType in ('audio', 'video', 'vbss')`),
        });
        if (!context.isCurrent()) return;
        if (table.rows.length === 0) {
          showEmpty(trendBody, 'No streams in this period.', 'Choose another period, or import call records.');
          tiles[0]!.value.textContent = '–';
          return;
        }
        showReady(trendBody);
        timeChart(trendBody, {
          title: 'Poor ÷ (Poor + Good) streams, by media type; unclassified streams are left out',
          yLabel: 'Poor streams (%)',
          format: (v) => (v === null ? '–' : `${Number(v.toFixed(2))} %`),
          days,
          series: MEDIA.map((m) => ({
            label: m.label,
            values: perDay(table, days, 'poorStreamPct', (r) => r.mediaType === m.type),
          })),
        });
      } catch (error) {
        if (context.isCurrent()) showError(trendBody, error, () => void drawTrend());
      }
    };
    // The headline figure: the poor % of audio streams over the whole period, one question of the query API.
    const drawHeadline = async (): Promise<void> => {
      try {
        const table = await askAnalytics(api, {
          measures: ['poorStreamPct', 'poorStreams', 'streams'],
          filter: allOf(filter, `mediaType eq 'audio'`),
        });
        if (!context.isCurrent()) return;
        tiles[0]!.value.textContent = percent(table.rows[0]?.poorStreamPct as number | null);
      } catch {
        if (context.isCurrent()) tiles[0]!.value.textContent = 'unavailable';
      }
    };
    await Promise.all([drawTrend(), drawHeadline()]);
    if (!context.isCurrent()) return;

    const drawVolume = async (): Promise<void> => {
      try {
        const table = await askAnalytics(api, { measures: ['calls', 'streams', 'failures'], by: ['day'], filter });
        if (!context.isCurrent()) return;
        const total = (column: string): number => table.rows.reduce((s, r) => s + Number(r[column] ?? 0), 0);
        tiles[1]!.value.textContent = count(total('calls'));
        tiles[2]!.value.textContent = count(total('streams'));
        tiles[3]!.value.textContent = count(total('failures'));
        if (table.rows.length === 0) return showEmpty(volumeBody, 'No calls in this period.');
        showReady(volumeBody);
        timeChart(volumeBody, {
          title: 'Distinct calls and media streams that started each day',
          yLabel: 'Count',
          integer: true,
          format: (v) => count(v),
          days,
          bars: false,
          series: [
            { label: 'Calls', values: perDay(table, days, 'calls') },
            { label: 'Streams', values: perDay(table, days, 'streams') },
          ],
        });
      } catch (error) {
        if (context.isCurrent()) showError(volumeBody, error, () => void drawVolume());
      }
    };
    const drawReasons = async (): Promise<void> => {
      try {
        const table = await askAnalytics(api, { measures: Object.keys(REASONS), filter });
        if (!context.isCurrent()) return;
        const row = table.rows[0] ?? {};
        const ranked = Object.entries(REASONS)
          .map(([measure, label]) => ({ label, value: Number(row[measure] ?? 0) }))
          .filter((r) => r.value > 0)
          .sort((a, b) => b.value - a.value);
        if (ranked.length === 0) return showEmpty(reasonsBody, 'No poor streams in this period.');
        const top = ranked[0]?.value ?? 1;
        showReady(
          reasonsBody,
          h(
            'table',
            { class: 'bars' },
            h('caption', {}, 'Poor streams per reason (a stream can have several)'),
            h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Reason'), h('th', { scope: 'col' }, 'Poor streams'))),
            h(
              'tbody',
              {},
              ...ranked.map((r) =>
                h(
                  'tr',
                  {},
                  h('th', { scope: 'row' }, r.label),
                  h(
                    'td',
                    {},
                    h('span', { class: 'bar', 'data-width': Math.max(1, Math.round((r.value / top) * 100)) }),
                    count(r.value),
                  ),
                ),
              ),
            ),
          ),
        );
        for (const bar of reasonsBody.querySelectorAll<HTMLElement>('.bar')) bar.style.width = `${bar.dataset.width}%`;
      } catch (error) {
        if (context.isCurrent()) showError(reasonsBody, error, () => void drawReasons());
      }
    };
    const drawFailures = async (): Promise<void> => {
      try {
        const table = await askAnalytics(api, { measures: ['setupFailures', 'drops'], by: ['day'], filter });
        if (!context.isCurrent()) return;
        if (table.rows.every((r) => !r.setupFailures && !r.drops)) {
          return showEmpty(failuresBody, 'No failed or dropped segments in this period.');
        }
        showReady(failuresBody);
        timeChart(failuresBody, {
          title: 'Segments that failed at setup or dropped mid-call',
          yLabel: 'Segments',
          integer: true,
          format: (v) => count(v),
          days,
          bars: true,
          series: [
            { label: 'Setup failures', values: perDay(table, days, 'setupFailures') },
            { label: 'Drops (mid-call)', values: perDay(table, days, 'drops') },
          ],
        });
      } catch (error) {
        if (context.isCurrent()) showError(failuresBody, error, () => void drawFailures());
      }
    };
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
    await Promise.all([drawVolume(), drawReasons(), drawFailures(), fillFilters()]);
  },
};
