import { allOf, askAnalytics, type AnalyticsTable } from '../analytics.js';
import { timeChart } from '../charts/time-chart.js';
import { h } from '../dom.js';
import { count, percent } from '../format.js';
import type { PageContext } from '../page.js';
import { showEmpty, showError, showLoading, showReady } from '../states.js';

/**
 * The Overview's panel drawers (pages/overview.ts lays the page out): each asks the query API one question and draws
 * its chart or table, or its empty or error state with a retry that draws that panel alone.
 */

/** What the drawers share: the page, its filter and days, the headline tiles and each panel's body. */
export interface OverviewPanels {
  context: PageContext;
  /** The query API filter of the period and the building and platform chosen. */
  filter: string;
  days: string[];
  tiles: { value: HTMLElement }[];
  trendBody: HTMLElement;
  volumeBody: HTMLElement;
  reasonsBody: HTMLElement;
  failuresBody: HTMLElement;
}

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

/** The poor % trend per day and media type (answered from a rollup: it comes first and alone). */
export async function drawTrend(o: OverviewPanels): Promise<void> {
  const { context, filter, days, tiles } = o;
  const { api } = context;
  showLoading(o.trendBody, 'the poor stream trend');
  try {
    const table = await askAnalytics(api, {
      measures: ['poorStreamPct', 'poorStreams', 'streams'],
      by: ['day', 'mediaType'],
      filter: allOf(filter, `mediaType in ('audio', 'video', 'vbss')`),
    });
    if (!context.isCurrent()) return;
    if (table.rows.length === 0) {
      showEmpty(o.trendBody, 'No streams in this period.', 'Choose another period, or import call records.');
      tiles[0]!.value.textContent = '–';
      return;
    }
    showReady(o.trendBody);
    timeChart(o.trendBody, {
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
    if (context.isCurrent()) showError(o.trendBody, error, () => void drawTrend(o));
  }
}

/** The headline figure: the poor % of audio streams over the whole period, one question of the query API. */
export async function drawHeadline(o: OverviewPanels): Promise<void> {
  const { context, filter, tiles } = o;
  const { api } = context;
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
}

/** Calls and streams per day, and the call, stream and failure tiles. */
export async function drawVolume(o: OverviewPanels): Promise<void> {
  const { context, filter, days, tiles } = o;
  const { api } = context;
  try {
    const table = await askAnalytics(api, { measures: ['calls', 'streams', 'failures'], by: ['day'], filter });
    if (!context.isCurrent()) return;
    const total = (column: string): number => table.rows.reduce((s, r) => s + Number(r[column] ?? 0), 0);
    tiles[1]!.value.textContent = count(total('calls'));
    tiles[2]!.value.textContent = count(total('streams'));
    tiles[3]!.value.textContent = count(total('failures'));
    if (table.rows.length === 0) return showEmpty(o.volumeBody, 'No calls in this period.');
    showReady(o.volumeBody);
    timeChart(o.volumeBody, {
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
    if (context.isCurrent()) showError(o.volumeBody, error, () => void drawVolume(o));
  }
}

/** The reasons streams were poor, most frequent first, as bars. */
export async function drawReasons(o: OverviewPanels): Promise<void> {
  const { context, filter } = o;
  const { api } = context;
  try {
    const table = await askAnalytics(api, { measures: Object.keys(REASONS), filter });
    if (!context.isCurrent()) return;
    const row = table.rows[0] ?? {};
    const ranked = Object.entries(REASONS)
      .map(([measure, label]) => ({ label, value: Number(row[measure] ?? 0) }))
      .filter((r) => r.value > 0)
      .sort((a, b) => b.value - a.value);
    if (ranked.length === 0) return showEmpty(o.reasonsBody, 'No poor streams in this period.');
    const top = ranked[0]?.value ?? 1;
    showReady(
      o.reasonsBody,
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
    for (const bar of o.reasonsBody.querySelectorAll<HTMLElement>('.bar')) bar.style.width = `${bar.dataset.width}%`;
  } catch (error) {
    if (context.isCurrent()) showError(o.reasonsBody, error, () => void drawReasons(o));
  }
}

/** Setup failures and mid-call drops per day. */
export async function drawFailures(o: OverviewPanels): Promise<void> {
  const { context, filter, days } = o;
  const { api } = context;
  try {
    const table = await askAnalytics(api, { measures: ['setupFailures', 'drops'], by: ['day'], filter });
    if (!context.isCurrent()) return;
    if (table.rows.every((r) => !r.setupFailures && !r.drops)) {
      return showEmpty(o.failuresBody, 'No failed or dropped segments in this period.');
    }
    showReady(o.failuresBody);
    timeChart(o.failuresBody, {
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
    if (context.isCurrent()) showError(o.failuresBody, error, () => void drawFailures(o));
  }
}
