import { allOf, analyticsUrl, askAnalytics, type AnalyticsQuery } from '../analytics.js';
import { categoryChart } from '../charts/category-chart.js';
import { saveText } from '../csv-download.js';
import { announce, h, replace } from '../dom.js';
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
import { dimensionLabel, MAX_PIVOT_DIMENSIONS, measureOf, PIVOT_DIMENSIONS, PIVOT_MEASURES } from '../pivot-catalog.js';
import { describeError, heading, showEmpty, showError, showLoading, showReady } from '../states.js';

/** Bars in the chart: more would be unreadable; the table holds every row. */
const CHART_ROWS = 30;
/** Rows drawn in the table; the CSV download holds every row. */
const TABLE_ROWS = 500;

/**
 * The URL's `sort` after the columns changed: kept while its column is shown, else dropped (the default, the first
 * measure largest first, applies again).
 */
function keptSort(context: PageContext, by: string[], measures: string[]): string | undefined {
  const sort = context.params.get('sort') ?? undefined;
  const column = sort?.replace(/^-/, '');
  return column !== undefined && (by.includes(column) || measures.includes(column)) ? sort : undefined;
}

/** The dimension pickers: the first is required, the others may be "(none)". */
function dimensionPickers(context: PageContext, state: PivotState): HTMLElement {
  const selects = Array.from({ length: MAX_PIVOT_DIMENSIONS }, (_v, i) => {
    const current = state.by[i] ?? '';
    return h(
      'select',
      { id: `pivot-by-${i + 1}` },
      i === 0 ? null : h('option', { value: '', selected: current === '' }, '(none)'),
      ...PIVOT_DIMENSIONS.map((d) => h('option', { value: d.name, selected: d.name === current }, d.label)),
    );
  });
  const apply = (): void => {
    const by = [...new Set(selects.map((s) => s.value).filter((v) => v !== ''))];
    context.setParams({ by: by.join(','), sort: keptSort(context, by, state.measures) });
  };
  for (const select of selects) select.addEventListener('change', apply);
  return h(
    'fieldset',
    { class: 'pivot-dimensions' },
    h('legend', {}, 'Group by'),
    ...selects.map((select, i) =>
      h('span', { class: 'filter' }, h('label', { for: select.id }, `Dimension ${i + 1}`), select),
    ),
  );
}

/** The measure checkboxes; the order chosen is kept (the first measure is the one charted). */
function measurePickers(context: PageContext, state: PivotState): HTMLElement {
  const boxes = PIVOT_MEASURES.map((m) => {
    const box = h('input', {
      type: 'checkbox',
      id: `measure-${m.name}`,
      value: m.name,
      checked: state.measures.includes(m.name),
    });
    box.addEventListener('change', () => {
      const measures = box.checked ? [...state.measures, m.name] : state.measures.filter((name) => name !== m.name);
      if (measures.length === 0) {
        box.checked = true;
        announce('Choose at least one measure.');
        return;
      }
      context.setParams({ measures: measures.join(','), sort: keptSort(context, state.by, measures) });
    });
    return h('span', { class: 'pivot-measure' }, box, h('label', { for: box.id }, m.label));
  });
  return h(
    'fieldset',
    { class: 'pivot-measures' },
    h('legend', {}, 'Measures (the first chosen is charted)'),
    h('div', { class: 'pivot-measure-list' }, ...boxes),
  );
}

/** The filter box: free text in the query API's filter grammar, applied on Enter or with the button. */
function filterForm(context: PageContext, state: PivotState): HTMLElement {
  const input = h('input', {
    type: 'text',
    id: 'pivot-filter',
    value: state.filter,
    placeholder: "mediaType eq 'audio' and platform ne 'web'",
    spellcheck: 'false',
    autocomplete: 'off',
  });
  const form = h(
    'form',
    { class: 'pivot-filter', role: 'search' },
    h('label', { for: input.id }, 'Filter (query API grammar, see docs/analytics.md “Filter”)'),
    h(
      'span',
      { class: 'pivot-filter-row' },
      input,
      h('button', { type: 'submit', id: 'pivot-filter-apply' }, 'Apply filter'),
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    context.setParams({ filter: input.value.trim() });
  });
  return form;
}

/** The results table: a header button per column sorts by it (again: the other way), `aria-sort` says how. */
function resultTable(context: PageContext, state: PivotState, rows: PivotRow[], total: number): HTMLElement {
  const columns = [...state.by, ...state.measures];
  const header = columns.map((column) => {
    const isMeasure = state.measures.includes(column);
    const sorted = state.sort.column === column;
    const label = isMeasure ? (measureOf(column)?.label ?? column) : dimensionLabel(column);
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
        h('td', { class: 'num', 'data-value': JSON.stringify(row[m] ?? null) }, measureText(m, row[m])),
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
    const firstLabel = measureOf(first)?.label ?? first;
    const sortLabel = state.by.includes(state.sort.column)
      ? dimensionLabel(state.sort.column)
      : (measureOf(state.sort.column)?.label ?? state.sort.column);
    showReady(resultBody);
    categoryChart(resultBody, {
      title:
        rows.length > CHART_ROWS
          ? `${firstLabel}: the top ${CHART_ROWS} of ${rows.length} rows by ${sortLabel.toLowerCase()} (${state.sort.descending ? 'largest' : 'smallest'} first); the table has them all`
          : `${firstLabel} by ${state.by.map(dimensionLabel).join(' · ').toLowerCase()}, ordered by ${sortLabel.toLowerCase()}`,
      xLabel: state.by.map(dimensionLabel).join(' · '),
      yLabel: firstLabel,
      format: (v) => measureText(first, v),
      categories: charted.map((row) => rowLabel(state.by, row)),
      series: [
        {
          label: firstLabel,
          values: charted.map((row) => (typeof row[first] === 'number' ? (row[first] as number) : null)),
        },
      ],
    });
    resultBody.append(resultTable(context, state, rows, rows.length));
  } catch (error) {
    if (context.isCurrent()) showError(resultBody, error, () => void drawResult(context, state, query, resultBody));
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
    const { api, root } = context;
    const state = pivotStateOf(context.params);
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
        `${state.measures.map((m) => measureOf(m)?.label ?? m).join(', ')} by ${state.by.map(dimensionLabel).join(', ').toLowerCase()}`,
      ),
    );
    const resultBody = h('div', { class: 'panel-body' });
    result.append(resultBody);
    root.append(
      heading('Breakdown'),
      h('div', { class: 'filters' }, periodBar, dimensionPickers(context, state)),
      measurePickers(context, state),
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
    await drawResult(context, state, query, resultBody);
  },
};
