import { h } from './dom.js';
import type { PageContext } from './page.js';
import { addDays, day, periodOf, type Period } from './period.js';

/** The period presets offered beside the two dates. */
const PRESETS = [7, 30, 90];

/**
 * The period picker every analytics page shows: two date inputs (`to` shown inclusive, kept exclusive in the URL)
 * and presets; each change goes into the URL, so the view can be shared.
 */
export function periodControls(context: PageContext): { element: HTMLElement; period: Period } {
  const period = periodOf(context.params);
  const from = h('input', { type: 'date', id: 'period-from', value: period.from, max: addDays(period.to, -1) });
  const to = h('input', { type: 'date', id: 'period-to', value: addDays(period.to, -1), min: period.from });
  const apply = (): void => {
    if (from.value === '' || to.value === '' || from.value > to.value) return;
    context.setParams({ from: from.value, to: addDays(to.value, 1) });
  };
  from.addEventListener('change', apply);
  to.addEventListener('change', apply);
  const today = day(new Date());
  const presets = PRESETS.map((days) =>
    h(
      'button',
      {
        type: 'button',
        id: `period-${days}`,
        class: 'preset',
        onclick: () => context.setParams({ from: addDays(today, 1 - days), to: addDays(today, 1) }),
      },
      `Last ${days} days`,
    ),
  );
  const element = h(
    'fieldset',
    { class: 'period' },
    h('legend', {}, 'Period (UTC days)'),
    h('label', { for: 'period-from' }, 'From'),
    from,
    h('label', { for: 'period-to' }, 'To'),
    to,
    ...presets,
  );
  return { element, period };
}

/**
 * A select bound to a URL parameter: the first option (`All`) removes it. Options are filled later with
 * `fillOptions`, so the page does not wait for them.
 */
export function paramSelect(context: PageContext, name: string, label: string): HTMLSelectElement {
  const current = context.params.get(name) ?? '';
  const select = h('select', { id: `filter-${name}`, name }, h('option', { value: '' }, 'All'));
  if (current !== '') select.append(h('option', { value: current, selected: true }, current));
  select.addEventListener('change', () => context.setParams({ [name]: select.value }));
  select.dataset.label = label;
  return select;
}

/** Adds the known values to a select made by `paramSelect`, keeping the current choice. */
export function fillOptions(select: HTMLSelectElement, values: string[]): void {
  const current = select.value;
  for (const value of values) {
    if (value === current) continue;
    select.append(h('option', { value }, value));
  }
}

/** A select with its label, for a filter bar. */
export function labelled(select: HTMLSelectElement): HTMLElement {
  return h('span', { class: 'filter' }, h('label', { for: select.id }, select.dataset.label ?? select.name), select);
}
