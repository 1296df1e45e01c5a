import { allOf, askAnalytics } from '../analytics.js';
import { buildingUploadForm } from '../building-upload.js';
import { categoryChart } from '../charts/category-chart.js';
import { h } from '../dom.js';
import { periodControls } from '../filters.js';
import { count, percent } from '../format.js';
import type { Page, PageContext } from '../page.js';
import { periodFilter } from '../period.js';
import { dimensionText, rowLabel, sortRows, type Cell, type PivotRow } from '../pivot.js';
import { heading, showEmpty, showError, showLoading, showReady } from '../states.js';

/** Bars in the chart: the busiest networks; the table has every one. */
const CHART_ROWS = 30;

/** One network of the stored building file (`GET /api/buildings`). */
interface StoredBuilding {
  networkIp: string;
  networkName: string;
  networkRange: number;
  buildingName: string;
  city: string;
  country: string;
}

/** `GET /api/analytics/missing-subnets`. */
interface MissingSubnets {
  minAudioStreams: number;
  value: { subnet: string; audioStreams: number }[];
}

function panel(id: string, title: string): { section: HTMLElement; body: HTMLElement } {
  const body = h('div', { class: 'panel-body' });
  const section = h(
    'section',
    { class: 'panel', id, 'aria-labelledby': `${id}-title` },
    h('h2', { id: `${id}-title` }, title),
    body,
  );
  return { section, body };
}

function numberCell(value: Cell | undefined, text: string): HTMLElement {
  return h('td', { class: 'num', 'data-value': JSON.stringify(value ?? null) }, text);
}

function table(id: string, caption: string, header: string[], numeric: number, rows: HTMLElement[]): HTMLElement {
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      { id },
      h('caption', {}, caption),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...header.map((c, i) =>
            h('th', { scope: 'col', class: i >= header.length - numeric ? 'num' : undefined }, c),
          ),
        ),
      ),
      h('tbody', {}, ...rows),
    ),
  );
}

/**
 * Locations: CQD's building view. Poor % of audio streams by building and network over the period (streams whose
 * subnet is in no building show as "(no building)"), the missing-subnet report, and the building file: what is
 * stored, and an upload that shows every refused line.
 */
export const locationsPage: Page = {
  title: 'Locations',
  async render(context: PageContext) {
    const { api, root } = context;
    const { element: periodBar, period } = periodControls(context);
    const byBuilding = panel('by-building', 'Poor audio streams by building and network');
    const missing = panel('missing-subnets', 'Subnets in no building (missing-subnet report)');
    const file = panel('buildings', 'Building file');
    const stored = h('div', { id: 'building-summary' });
    root.append(
      heading('Locations'),
      h('div', { class: 'filters' }, periodBar),
      byBuilding.section,
      h('div', { class: 'grid' }, missing.section, file.section),
    );
    file.body.append(stored);

    const drawByBuilding = async (): Promise<void> => {
      const target = byBuilding.body;
      showLoading(target, 'poor streams by building');
      try {
        const answer = await askAnalytics(api, {
          measures: ['poorStreamPct', 'poorStreams', 'streams'],
          by: ['building', 'network'],
          filter: allOf(periodFilter(period), `mediaType eq 'audio'`),
        });
        if (!context.isCurrent()) return;
        if (answer.rows.length === 0) {
          return showEmpty(target, 'No audio streams in this period.', 'Choose another period.');
        }
        const rows: PivotRow[] = answer.rows;
        const busiest = sortRows(rows, { column: 'streams', descending: true }).slice(0, CHART_ROWS);
        showReady(target);
        categoryChart(target, {
          title:
            rows.length > CHART_ROWS
              ? `Poor ÷ (Poor + Good) audio streams, the ${CHART_ROWS} networks with most streams of ${rows.length}`
              : 'Poor ÷ (Poor + Good) audio streams per building and network, most streams first',
          xLabel: 'Building · network',
          yLabel: 'Poor audio streams (%)',
          format: (v) => percent(v),
          categories: busiest.map((row) => rowLabel(['building', 'network'], row)),
          series: [
            {
              label: 'Poor audio streams (%)',
              values: busiest.map((row) => (typeof row.poorStreamPct === 'number' ? row.poorStreamPct : null)),
            },
          ],
        });
        target.append(
          table(
            'building-rows',
            'Audio streams per building and network; a subnet in no building counts as “(no building)”.',
            ['Building', 'Network', 'Poor streams (%)', 'Poor streams', 'Streams'],
            3,
            rows.map((row) =>
              h(
                'tr',
                {},
                h(
                  'td',
                  { 'data-value': JSON.stringify(row.building ?? null) },
                  dimensionText('building', row.building),
                ),
                h('td', { 'data-value': JSON.stringify(row.network ?? null) }, dimensionText('network', row.network)),
                numberCell(row.poorStreamPct, percent(row.poorStreamPct as number | null)),
                numberCell(row.poorStreams, count(row.poorStreams as number | null)),
                numberCell(row.streams, count(row.streams as number | null)),
              ),
            ),
          ),
        );
      } catch (error) {
        if (context.isCurrent()) showError(target, error, () => void drawByBuilding());
      }
    };

    const drawMissing = async (): Promise<void> => {
      const target = missing.body;
      showLoading(target, 'the missing-subnet report');
      try {
        const answer = await api.json<MissingSubnets>('/api/analytics/missing-subnets');
        if (!context.isCurrent()) return;
        if (answer.value.length === 0) {
          return showEmpty(
            target,
            `Every subnet with at least ${answer.minAudioStreams} audio streams maps to a building.`,
          );
        }
        showReady(
          target,
          table(
            'missing-rows',
            `Subnets with at least ${answer.minAudioStreams} audio stream endpoints that no network of the building file contains, most first (all time): add them to the file.`,
            ['Subnet', 'Audio streams'],
            1,
            answer.value.map((s) =>
              h('tr', {}, h('td', {}, s.subnet), numberCell(s.audioStreams, count(s.audioStreams))),
            ),
          ),
        );
      } catch (error) {
        if (context.isCurrent()) showError(target, error, () => void drawMissing());
      }
    };

    const drawStored = async (): Promise<void> => {
      showLoading(stored, 'the building file');
      try {
        const answer = await api.json<{ value: StoredBuilding[] }>('/api/buildings');
        if (!context.isCurrent()) return;
        const networks = answer.value;
        if (networks.length === 0) {
          return showEmpty(
            stored,
            'No building file is stored: every stream counts as “(no building)”.',
            'Upload one below.',
          );
        }
        const buildings = new Set(networks.map((n) => n.buildingName));
        showReady(
          stored,
          h('p', { id: 'building-count' }, `${count(networks.length)} networks in ${count(buildings.size)} buildings.`),
          h(
            'details',
            {},
            h('summary', {}, 'Show the networks'),
            table(
              'network-rows',
              'The stored building file, in file order',
              ['Network', 'Name', 'Building', 'City', 'Country'],
              0,
              networks.map((n) =>
                h(
                  'tr',
                  {},
                  h('td', {}, `${n.networkIp}/${n.networkRange}`),
                  h('td', {}, n.networkName),
                  h('td', {}, n.buildingName),
                  h('td', {}, n.city),
                  h('td', {}, n.country),
                ),
              ),
            ),
          ),
        );
      } catch (error) {
        if (context.isCurrent()) showError(stored, error, () => void drawStored());
      }
    };

    file.body.append(
      h('h3', {}, 'Upload a new building file'),
      buildingUploadForm(api, () => {
        // A new file re-maps every stream: every figure on the page changes.
        if (context.isCurrent()) void Promise.all([drawByBuilding(), drawMissing(), drawStored()]);
      }),
    );
    await Promise.all([drawByBuilding(), drawMissing(), drawStored()]);
  },
};
