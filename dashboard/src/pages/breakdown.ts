import { allOf, analyticsUrl, askAnalytics, type AnalyticsQuery } from '../analytics.js';
import { categoryChart } from '../charts/category-chart.js';
import { saveText } from '../csv-download.js';
import { h, replace } from '../dom.js';
import { periodControls } from '../filters.js';
import type { Page, PageContext } from '../page.js';
import { periodFilter } from '../period.js';
import {
  csvFileName,
  filterProblem,
  dimensionText,
  measureText,
  nextSort,
  pivotStateOf,
  rowLabel,
  sortParam,
  sortRows,
  type PivotRow,
  type PivotState,
} from '../pivot.js';
import { measureLabel, queryCatalog, type CatalogMeasure, type QueryCatalog } from '../query-catalog.js';
import { describeError, heading, showEmpty, showError, showLoading, showReady } from '../states.js';
import { dimensionPickers, filterForm, measurePickers } from './breakdown-controls.js';

/** Bars in the chart: more would be unreadable; the table holds every row. */
const CHART_ROWS = 30;
/** Rows drawn in the table; the CSV download holds every row. */
const TABLE_ROWS = 500;

/** The results table: a header button per column sorts by it (again: the other way), `aria-sort` says how. */
function resultTable(
  context: PageContext,
  state: PivotState,
  catalog: QueryCatalog,
  rows: PivotRow[],
  total: number,
): HTMLElement {
  const columns = [...state.by, ...state.measures];
  const header = columns.map((column) => {
    const isMeasure = state.measures.includes(column);
    const sorted = state.sort.column === column;
    const label = isMeasure ? measureLabel(measureOf(catalog, column), column) : column;
    return h(
      'th',
      {
        scope: 'col',
        class: isMeasure ? 'num' : undefined,
        'aria-sort': sorted ? (state.sort.descending ? 'descending' : 'ascending') : 'none',
      },
      h(
        'button',
        {
          type: 'button',
          id: `sort-${column}`,
          class: 'sort',
          onclick: () => context.setParams({ sort: sortParam(nextSort(state.sort, column, isMeasure)) }),
        },
        label,
        h('span', { 'aria-hidden': 'true' }, sorted ? (state.sort.descending ? ' ▼' : ' ▲') : ''),
      ),
    );
  });
  const shown = rows.slice(0, TABLE_ROWS);
  const body = shown.map((row) =>
    h(
      'tr',
      {},
      ...state.by.map((d) => h('td', { 'data-value': JSON.stringify(row[d] ?? null) }, dimensionText(d, row[d]))),
      ...state.measures.map((m) =>
        h(
          'td',
          { class: 'num', 'data-value': JSON.stringify(row[m] ?? null) },
          measureText(measureOf(catalog, m), row[m]),
        ),
      ),
    ),
  );
  const caption =
    total > TABLE_ROWS
      ? `The first ${TABLE_ROWS} of ${total} rows; the CSV download holds them all.`
      : `${total} ${total === 1 ? 'row' : 'rows'}; choose a column heading to sort by it.`;
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      { id: 'pivot-rows' },
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, ...header)),
      h('tbody', {}, ...body),
    ),
  );
}

/** Asks the query API and draws the chart and the table, or the empty or error state. */
async function drawResult(
  context: PageContext,
  state: PivotState,
  catalog: QueryCatalog,
  query: AnalyticsQuery,
  resultBody: HTMLElement,
): Promise<void> {
  showLoading(resultBody, 'the breakdown');
  try {
    const table = await askAnalytics(context.api, query);
    if (!context.isCurrent()) return;
    if (table.rows.length === 0) {
      showEmpty(resultBody, 'No streams match this period and filter.', 'Choose another period or loosen the filter.');
      return;
    }
    const rows = sortRows(table.rows, state.sort);
    const charted = rows.slice(0, CHART_ROWS);
    const first = state.measures[0]!;
    const firstMeasure = measureOf(catalog, first);
    const firstLabel = measureLabel(firstMeasure, first);
    const sortLabel = state.sort.column;
    showReady(resultBody);
    categoryChart(resultBody, {
      title:
        rows.length > CHART_ROWS
          ? `${firstLabel}: the top ${CHART_ROWS} of ${rows.length} rows by ${sortLabel} (${state.sort.descending ? 'largest' : 'smallest'} first); the table has them all`
          : `${firstLabel} by ${state.by.join(' · ')}, ordered by ${sortLabel}`,
      xLabel: state.by.join(' · '),
      yLabel: firstLabel,
      format: (v) => measureText(firstMeasure, v),
      categories: charted.map((row) => rowLabel(state.by, row)),
      series: [
        {
          label: firstLabel,
          values: charted.map((row) => (typeof row[first] === 'number' ? (row[first] as number) : null)),
        },
      ],
    });
    resultBody.append(resultTable(context, state, catalog, rows, rows.length));
  } catch (error) {
    if (context.isCurrent()) {
      showError(resultBody, error, () => void drawResult(context, state, catalog, query, resultBody));
    }
  }
}

/**
 * Breakdown: CQD's pivot. Up to three dimensions and any measures over a period and an optional filter, as a table
 * sortable by any column and a chart of the first measure, with the query API's URL and its CSV. Every choice lives
 * in the URL (`?by=building,platform&measures=poorStreamPct,streams&filter=…&from=&to=&sort=-streams`).
 */
export const breakdownPage: Page = {
  title: 'Breakdown',
  async render(context: PageContext) {
    const body = h('div', { id: 'pivot-page' });
    context.root.append(heading('Breakdown'), body);
    await drawPage(context, body);
  },
};

/**
 * The page below its heading, once the query API's catalog has come: the choices it offers are the catalog's names
 * (loading and error states until then; "Try again" asks again).
 */
async function drawPage(context: PageContext, body: HTMLElement): Promise<void> {
  showLoading(body, 'the query API’s dimensions and measures');
  let catalog: QueryCatalog;
  try {
    catalog = await queryCatalog(context.api);
  } catch (error) {
    if (context.isCurrent()) showError(body, error, () => void drawPage(context, body));
    return;
  }
  if (!context.isCurrent()) return;
  showReady(body);
  const { api } = context;
  const state = pivotStateOf(context.params, catalog);
  const { element: periodBar, period } = periodControls(context);
  const query: AnalyticsQuery = {
    measures: state.measures,
    by: state.by,
    filter: allOf(periodFilter(period), state.filter && `(${state.filter})`),
  };
  // Commas left as they are: the URL is for people to read and copy (the API takes `by=a,b` as is).
  const apiUrl = `${location.origin}${analyticsUrl(query).replace(/%2C/g, ',')}`;
  const csvButton = h('button', { type: 'button', id: 'pivot-csv' }, 'Download CSV');
  const csvStatus = h('span', { id: 'pivot-csv-status', role: 'status' });
  csvButton.addEventListener('click', () => {
    csvStatus.textContent = 'Preparing the CSV…';
    api
      .text(analyticsUrl(query, 'csv'), 'text/csv')
      .then((text) => {
        saveText(text, csvFileName(state.by, period.from, period.to));
        csvStatus.textContent = 'CSV downloaded.';
      })
      .catch((error: unknown) => {
        csvStatus.textContent = `The CSV could not be made: ${describeError(error)}`;
      });
  });
  const result = h(
    'section',
    { class: 'panel', id: 'pivot-result', 'aria-labelledby': 'pivot-result-title' },
    h(
      'h2',
      { id: 'pivot-result-title' },
      `${state.measures.map((m) => measureLabel(measureOf(catalog, m), m)).join(', ')} by ${state.by.join(', ')}`,
    ),
  );
  const resultBody = h('div', { class: 'panel-body' });
  result.append(resultBody);
  body.append(
    h('div', { class: 'filters' }, periodBar, dimensionPickers(context, state, catalog)),
    measurePickers(context, state, catalog),
    filterForm(context, state),
    h(
      'div',
      { class: 'pivot-actions' },
      csvButton,
      csvStatus,
      h('p', { class: 'api-url' }, 'Same data from the API: ', h('code', { id: 'pivot-api-url' }, apiUrl)),
    ),
    result,
  );

  const problem = filterProblem(state.filter);
  if (problem !== undefined) {
    csvButton.disabled = true;
    replace(resultBody, h('div', { class: 'state error', role: 'alert' }, h('p', {}, problem)));
    return;
  }
  await drawResult(context, state, catalog, query, resultBody);
}

/** A measure of the catalog by its name. */
function measureOf(catalog: QueryCatalog, name: string): CatalogMeasure | undefined {
  return catalog.measures.find((m) => m.name === name);
}
