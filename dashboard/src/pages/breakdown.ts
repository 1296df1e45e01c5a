import { allOf, analyticsUrl, type AnalyticsQuery } from '../analytics.js';
import { saveText } from '../csv-download.js';
import { h, replace } from '../dom.js';
import { periodControls } from '../filters.js';
import type { Page, PageContext } from '../page.js';
import { periodFilter } from '../period.js';
import { csvFileName, filterProblem, pivotStateOf, sortParam, type PivotState } from '../pivot.js';
import { dimensionLabel, measureLabel, queryCatalog, type QueryCatalog } from '../query-catalog.js';
import { describeError, heading, showError, showLoading, showReady } from '../states.js';
import { dimensionPickers, filterForm, measurePickers } from './breakdown-controls.js';
import { drawResult, measureOf, orderbyOf, TABLE_ROWS } from './breakdown-result.js';

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
  let state: PivotState = pivotStateOf(context.params, catalog);
  const { element: periodBar, period } = periodControls(context);
  const filter = allOf(periodFilter(period), state.filter && `(${state.filter})`);
  // The table's question: the first TABLE_ROWS rows in the sort shown; the CSV asks the same order without a cut.
  const tableQuery = (): AnalyticsQuery => ({
    measures: state.measures,
    by: state.by,
    filter,
    orderby: orderbyOf(state),
    top: TABLE_ROWS,
  });
  // Commas left as they are: the URL is for people to read and copy (the API takes `by=a,b` as is).
  const shownUrl = () => `${location.origin}${analyticsUrl(tableQuery()).replace(/%2C/g, ',')}`;
  const apiUrl = h('code', { id: 'pivot-api-url' }, shownUrl());
  const csvButton = h('button', { type: 'button', id: 'pivot-csv' }, 'Download CSV');
  const csvStatus = h('span', { id: 'pivot-csv-status', role: 'status' });
  csvButton.addEventListener('click', () => {
    csvStatus.textContent = 'Preparing the CSV…';
    api
      .text(analyticsUrl({ ...tableQuery(), top: undefined }, 'csv'), 'text/csv')
      .then((text) => {
        saveText(text, csvFileName(state.by, period.from, period.to));
        csvStatus.textContent = 'CSV downloaded.';
      })
      .catch((error: unknown) => {
        csvStatus.textContent = `The CSV could not be made: ${describeError(error)}`;
      });
  });
  const title = `${state.measures.map((m) => measureLabel(measureOf(catalog, m), m)).join(', ')} by ${state.by
    .map((d) => dimensionLabel(catalog, d))
    .join(', ')}`;
  const result = h(
    'section',
    { class: 'panel', id: 'pivot-result', 'aria-labelledby': 'pivot-result-title' },
    h('h2', { id: 'pivot-result-title' }, title),
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
      h('p', { class: 'api-url' }, 'Same data from the API: ', apiUrl),
    ),
    result,
  );

  const problem = filterProblem(state.filter);
  if (problem !== undefined) {
    csvButton.disabled = true;
    replace(resultBody, h('div', { class: 'state error', role: 'alert' }, h('p', {}, problem)));
    return;
  }
  // A new sort asks the API again (the true first rows in that order), redrawing only the result panel.
  const draw = async (focus?: string): Promise<void> => {
    await drawResult({ context, state, catalog, query: tableQuery(), body: resultBody, onSort });
    if (focus !== undefined) document.getElementById(`sort-${focus}`)?.focus();
  };
  const onSort = (column: string, descending: boolean): void => {
    state = { ...state, sort: { column, descending } };
    context.setParams({ sort: sortParam(state.sort) }, { redraw: false });
    apiUrl.textContent = shownUrl();
    void draw(column);
  };
  await draw();
}
