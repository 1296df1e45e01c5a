import { announce, h } from '../dom.js';
import type { PageContext } from '../page.js';
import { pivotDimensions, type PivotState } from '../pivot.js';
import { dimensionLabel, measureLabel, type QueryCatalog } from '../query-catalog.js';

/**
 * The Breakdown page's choices: dimensions, measures and a filter. Every name and its description come from the
 * query API's catalog (`GET /api/analytics/catalog`), so the page offers exactly what the API accepts, under the
 * names the API, its URL and its CSV use.
 */

/**
 * The URL's `sort` after the columns changed: kept while its column is shown, else dropped (the default, the first
 * measure largest first, applies again).
 */
function keptSort(context: PageContext, by: string[], measures: string[]): string | undefined {
  const sort = context.params.get('sort') ?? undefined;
  const column = sort?.replace(/^-/, '');
  return column !== undefined && (by.includes(column) || measures.includes(column)) ? sort : undefined;
}

/** The dimension pickers: the first is required, the others may be "(none)"; below, what the chosen ones are. */
export function dimensionPickers(context: PageContext, state: PivotState, catalog: QueryCatalog): HTMLElement {
  const selects = Array.from({ length: pivotDimensions(catalog) }, (_v, i) => {
    const current = state.by[i] ?? '';
    return h(
      'select',
      { id: `pivot-by-${i + 1}`, 'aria-describedby': 'pivot-by-about' },
      i === 0 ? null : h('option', { value: '', selected: current === '' }, '(none)'),
      ...catalog.dimensions.map((d) =>
        h('option', { value: d.name, selected: d.name === current, title: d.about }, d.label),
      ),
    );
  });
  const apply = (): void => {
    const by = [...new Set(selects.map((s) => s.value).filter((v) => v !== ''))];
    context.setParams({ by: by.join(','), sort: keptSort(context, by, state.measures) });
  };
  for (const select of selects) select.addEventListener('change', apply);
  const about = h(
    'ul',
    { class: 'pivot-about', id: 'pivot-by-about' },
    ...state.by.map((name) =>
      h(
        'li',
        {},
        dimensionLabel(catalog, name),
        ' (',
        h('code', {}, name),
        '): ',
        catalog.dimensions.find((d) => d.name === name)?.about ?? '',
      ),
    ),
  );
  return h(
    'fieldset',
    { class: 'pivot-dimensions' },
    h('legend', {}, 'Group by'),
    ...selects.map((select, i) =>
      h('span', { class: 'filter' }, h('label', { for: select.id }, `Dimension ${i + 1}`), select),
    ),
    about,
  );
}

/** The measure checkboxes, each with what it counts; the order chosen is kept (the first measure is charted). */
export function measurePickers(context: PageContext, state: PivotState, catalog: QueryCatalog): HTMLElement {
  const boxes = catalog.measures.map((m) => {
    const box = h('input', {
      type: 'checkbox',
      id: `measure-${m.name}`,
      value: m.name,
      checked: state.measures.includes(m.name),
      'aria-describedby': `measure-${m.name}-about`,
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
    return h(
      'span',
      { class: 'pivot-measure' },
      box,
      h(
        'span',
        {},
        h('label', { for: box.id }, measureLabel(m, m.name)),
        h('span', { class: 'pivot-about', id: `measure-${m.name}-about` }, h('code', {}, m.name), `: ${m.about}`),
      ),
    );
  });
  return h(
    'fieldset',
    { class: 'pivot-measures' },
    h('legend', {}, 'Measures (the first chosen is charted)'),
    h('div', { class: 'pivot-measure-list' }, ...boxes),
  );
}

/** The filter box: free text in the query API's filter grammar, applied on Enter or with the button. */
export function filterForm(context: PageContext, state: PivotState): HTMLElement {
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
