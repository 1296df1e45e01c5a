import { askAnalytics, type AnalyticsQuery } from '../analytics.js';
import { categoryChart } from '../charts/category-chart.js';
import { h } from '../dom.js';
import type { PageContext } from '../page.js';
import { dimensionText, measureText, nextSort, rowLabel, type PivotRow, type PivotState } from '../pivot.js';
import { dimensionLabel, measureLabel, type CatalogMeasure, type QueryCatalog } from '../query-catalog.js';
import { showEmpty, showError, showLoading, showReady } from '../states.js';

/** Bars in the chart: more would be unreadable. */
const CHART_ROWS = 30;
/** Rows the table asks for (`top`): the query API orders and cuts them, so a large grouping is never all sent. */
export const TABLE_ROWS = 500;

/** What the result panel draws: the page's choices, the question asked, and what a sort click does. */
export interface BreakdownResult {
  context: PageContext;
  state: PivotState;
  catalog: QueryCatalog;
  query: AnalyticsQuery;
  body: HTMLElement;
  /** Called with the new sort when a column heading is chosen. */
  onSort(column: string, descending: boolean): void;
}

/** The `orderby` of the query API for a sort (`streams desc`). */
export function orderbyOf(state: PivotState): string {
  return `${state.sort.column}${state.sort.descending ? ' desc' : ''}`;
}

/** A column's heading: the catalog's label (a measure with its unit). */
function columnLabel(catalog: QueryCatalog, state: PivotState, column: string): string {
  return state.measures.includes(column)
    ? measureLabel(measureOf(catalog, column), column)
    : dimensionLabel(catalog, column);
}

/** The results table: a header button per column sorts by it (again: the other way), `aria-sort` says how. */
function resultTable(result: BreakdownResult, rows: PivotRow[], truncated: boolean): HTMLElement {
  const { state, catalog } = result;
  const columns = [...state.by, ...state.measures];
  const header = columns.map((column) => {
    const isMeasure = state.measures.includes(column);
    const sorted = state.sort.column === column;
    const button = h(
      'button',
      { type: 'button', id: `sort-${column}`, class: 'sort' },
      columnLabel(catalog, state, column),
      h('span', { 'aria-hidden': 'true' }, sorted ? (state.sort.descending ? ' ▼' : ' ▲') : ''),
    );
    button.addEventListener('click', () => {
      const next = nextSort(state.sort, column, isMeasure);
      result.onSort(next.column, next.descending);
    });
    return h(
      'th',
      {
        scope: 'col',
        class: isMeasure ? 'num' : undefined,
        'aria-sort': sorted ? (state.sort.descending ? 'descending' : 'ascending') : 'none',
      },
      button,
    );
  });
  const body = rows.map((row) =>
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
  const sortedBy = columnLabel(catalog, state, state.sort.column);
  const caption = truncated
    ? `The first ${TABLE_ROWS} of more rows, by ${sortedBy}; the CSV download holds them all.`
    : `${rows.length} ${rows.length === 1 ? 'row' : 'rows'}; choose a column heading to sort by it.`;
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

// The answer drawn last in a result panel: an older one (a sort clicked twice quickly) arriving late is dropped.
const latest = new WeakMap<HTMLElement, number>();

/**
 * Asks the query API for the first TABLE_ROWS rows in the sort's order and draws the chart of the first measure and
 * the table, or the empty or error state ("Try again" asks again).
 */
export async function drawResult(result: BreakdownResult): Promise<void> {
  const { context, state, catalog, body } = result;
  const ticket = (latest.get(body) ?? 0) + 1;
  latest.set(body, ticket);
  const stillWanted = () => context.isCurrent() && latest.get(body) === ticket;
  showLoading(body, 'the breakdown');
  try {
    const table = await askAnalytics(context.api, result.query);
    if (!stillWanted()) return;
    if (table.rows.length === 0) {
      showEmpty(body, 'No streams match this period and filter.', 'Choose another period or loosen the filter.');
      return;
    }
    const rows = table.rows;
    const charted = rows.slice(0, CHART_ROWS);
    const first = state.measures[0]!;
    const firstMeasure = measureOf(catalog, first);
    const firstLabel = measureLabel(firstMeasure, first);
    const byLabel = state.by.map((d) => dimensionLabel(catalog, d)).join(' · ');
    const sortLabel = columnLabel(catalog, state, state.sort.column);
    const order = state.sort.descending ? 'largest' : 'smallest';
    showReady(body);
    categoryChart(body, {
      title:
        rows.length > CHART_ROWS || table.truncated === true
          ? `${firstLabel}: the first ${CHART_ROWS} rows by ${sortLabel} (${order} first); the table has more`
          : `${firstLabel} by ${byLabel}, ordered by ${sortLabel}`,
      xLabel: byLabel,
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
    body.append(resultTable(result, rows, table.truncated === true));
  } catch (error) {
    if (stillWanted()) showError(body, error, () => void drawResult(result));
  }
}

/** A measure of the catalog by its name. */
export function measureOf(catalog: QueryCatalog, name: string): CatalogMeasure | undefined {
  return catalog.measures.find((m) => m.name === name);
}
