import { allOf, askAnalytics } from '../analytics.js';
import { buildingUploadForm } from '../building-upload.js';
import { categoryChart } from '../charts/category-chart.js';
import { h } from '../dom.js';
import { periodControls } from '../filters.js';
import { count, percent } from '../format.js';
import type { Page, PageContext } from '../page.js';
import { periodFilter } from '../period.js';
import { dimensionText, rowLabel, sortRows, type Cell, type PivotRow } from '../pivot.js';
import { dataTable, panel, type TableCell } from '../panels.js';
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

/**
 * Tickets for one panel's answers: a draw takes one, and draws its answer only while it holds the newest, so an
 * answer that arrives late (the first load, outrun by the redraw after an upload) cannot cover newer numbers.
 */
function newestOnly(): () => () => boolean {
  let issued = 0;
  return () => {
    const ticket = ++issued;
    return () => ticket === issued;
  };
}

const num = (value: Cell | undefined, text: string): TableCell => ({ text, numeric: true, value: value ?? null });
const raw = (value: Cell | undefined, text: string): TableCell => ({ text, value: value ?? null });

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
    const [byBuildingTurn, missingTurn, storedTurn] = [newestOnly(), newestOnly(), newestOnly()];

    const drawByBuilding = async (): Promise<void> => {
      const newest = byBuildingTurn();
      const target = byBuilding.body;
      showLoading(target, 'poor streams by building');
      try {
        const answer = await askAnalytics(api, {
          measures: ['poorStreamPct', 'poorStreams', 'streams'],
          by: ['building', 'network'],
          filter: allOf(periodFilter(period), `mediaType eq 'audio'`),
        });
        if (!context.isCurrent() || !newest()) return;
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
          dataTable({
            id: 'building-rows',
            caption: 'Audio streams per building and network; a subnet in no building counts as “(no building)”.',
            header: [
              'Building',
              'Network',
              { text: 'Poor streams (%)', numeric: true },
              { text: 'Poor streams', numeric: true },
              { text: 'Streams', numeric: true },
            ],
            rows: rows.map((row) => [
              raw(row.building, dimensionText('building', row.building)),
              raw(row.network, dimensionText('network', row.network)),
              num(row.poorStreamPct, percent(row.poorStreamPct as number | null)),
              num(row.poorStreams, count(row.poorStreams as number | null)),
              num(row.streams, count(row.streams as number | null)),
            ]),
          }),
        );
      } catch (error) {
        if (context.isCurrent() && newest()) showError(target, error, () => void drawByBuilding());
      }
    };

    const drawMissing = async (): Promise<void> => {
      const newest = missingTurn();
      const target = missing.body;
      showLoading(target, 'the missing-subnet report');
      try {
        const answer = await api.json<MissingSubnets>('/api/analytics/missing-subnets');
        if (!context.isCurrent() || !newest()) return;
        if (answer.value.length === 0) {
          return showEmpty(
            target,
            `Every subnet with at least ${answer.minAudioStreams} audio streams maps to a building.`,
          );
        }
        showReady(
          target,
          dataTable({
            id: 'missing-rows',
            caption: `Subnets with at least ${answer.minAudioStreams} audio stream endpoints that no network of the building file contains, most first (all time): add them to the file.`,
            header: ['Subnet', { text: 'Audio streams', numeric: true }],
            rows: answer.value.map((s) => [s.subnet, num(s.audioStreams, count(s.audioStreams))]),
          }),
        );
      } catch (error) {
        if (context.isCurrent() && newest()) showError(target, error, () => void drawMissing());
      }
    };

    const drawStored = async (): Promise<void> => {
      const newest = storedTurn();
      showLoading(stored, 'the building file');
      try {
        const answer = await api.json<{ value: StoredBuilding[] }>('/api/buildings');
        if (!context.isCurrent() || !newest()) return;
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
            dataTable({
              id: 'network-rows',
              caption: 'The stored building file, in file order',
              header: ['Network', 'Name', 'Building', 'City', 'Country'],
              rows: networks.map((n) => [
                `${n.networkIp}/${n.networkRange}`,
                n.networkName,
                n.buildingName,
                n.city,
                n.country,
              ]),
            }),
          ),
        );
      } catch (error) {
        if (context.isCurrent() && newest()) showError(stored, error, () => void drawStored());
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
