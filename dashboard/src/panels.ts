import { h } from './dom.js';

/**
 * A titled panel of a page: a `<section>` named by its `<h2>` for screen readers, and the body its states and
 * content go into (states.ts). `wide` spans the whole width instead of a grid cell.
 */
export function panel(
  id: string,
  title: string,
  options: { wide?: boolean } = {},
): { section: HTMLElement; body: HTMLElement } {
  const body = h('div', { class: 'panel-body' });
  const section = h(
    'section',
    { class: options.wide === true ? 'panel wide' : 'panel', id, 'aria-labelledby': `${id}-title` },
    h('h2', { id: `${id}-title` }, title),
    body,
  );
  return { section, body };
}

/** A headline figure: its label and its value (`id` names the value, which the tests read). */
export function tile(
  id: string,
  label: string,
  value = '…',
  warn = false,
): { element: HTMLElement; value: HTMLElement } {
  const text = h('p', { class: 'tile-value', id, 'aria-live': 'polite' }, value);
  return {
    element: h('div', { class: warn ? 'tile warn' : 'tile' }, h('p', { class: 'tile-label' }, label), text),
    value: text,
  };
}

/**
 * A cell of `dataTable`: text, or a node; `numeric` right-aligns it; `value` (any JSON value) is kept raw in
 * `data-value`, so a test can compare the cell with the API's answer without parsing the text shown.
 */
export type TableCell = string | Node | { text: string | Node; numeric?: boolean; className?: string; value?: unknown };

/**
 * A table in a sideways-scrolling frame (so a phone-width screen never scrolls the page): a caption, header cells
 * with `scope`, and the rows (cells, or rows a page built itself).
 */
export function dataTable(options: {
  id?: string;
  caption: string;
  header: TableCell[];
  /** Cells, or a `<tr>` a page built itself (for a row's own class or data attributes). */
  rows: (TableCell[] | HTMLElement)[];
}): HTMLElement {
  const cell = (tag: 'th' | 'td', value: TableCell): HTMLElement => {
    if (typeof value === 'string' || value instanceof Node) return h(tag, tag === 'th' ? { scope: 'col' } : {}, value);
    const classes = [value.numeric === true ? 'num' : '', value.className ?? ''].filter((c) => c !== '').join(' ');
    return h(
      tag,
      {
        class: classes === '' ? undefined : classes,
        scope: tag === 'th' ? 'col' : undefined,
        'data-value': 'value' in value ? JSON.stringify(value.value ?? null) : undefined,
      },
      value.text,
    );
  };
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      { id: options.id },
      h('caption', {}, options.caption),
      h('thead', {}, h('tr', {}, ...options.header.map((c) => cell('th', c)))),
      h(
        'tbody',
        {},
        ...options.rows.map((row) => (Array.isArray(row) ? h('tr', {}, ...row.map((c) => cell('td', c))) : row)),
      ),
    ),
  );
}
