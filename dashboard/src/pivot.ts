import { count, decimal, percent } from './format.js';
import { MAX_PIVOT_DIMENSIONS, measureOf, PIVOT_DIMENSIONS, PIVOT_MEASURES } from './pivot-catalog.js';

/** A cell of the query API's answer. */
export type Cell = string | number | boolean | null;
export type PivotRow = Record<string, Cell>;

/** How rows are ordered: a column, and whether the largest (or last) comes first. */
export interface PivotSort {
  column: string;
  descending: boolean;
}

/** The Breakdown page's state, read from its URL (`by`, `measures`, `filter`, `sort`); unknown names are dropped. */
export interface PivotState {
  by: string[];
  measures: string[];
  filter: string;
  sort: PivotSort;
}

const DEFAULT_BY = ['building'];
const DEFAULT_MEASURES = ['poorStreamPct', 'streams'];

function names(raw: string | null, known: readonly { name: string }[]): string[] {
  const wanted = (raw ?? '').split(',').filter((n) => known.some((k) => k.name === n));
  return [...new Set(wanted)];
}

/** The state a URL names; without `sort`, the first measure, largest first (CQD's "worst first" habit). */
export function pivotStateOf(params: URLSearchParams): PivotState {
  const byNames = names(params.get('by'), PIVOT_DIMENSIONS).slice(0, MAX_PIVOT_DIMENSIONS);
  const by = byNames.length > 0 ? byNames : DEFAULT_BY;
  const measureNames = names(params.get('measures'), PIVOT_MEASURES);
  const measures = measureNames.length > 0 ? measureNames : DEFAULT_MEASURES;
  const rawSort = params.get('sort') ?? '';
  const column = rawSort.replace(/^-/, '');
  const sort =
    by.includes(column) || measures.includes(column)
      ? { column, descending: rawSort.startsWith('-') }
      : { column: measures[0]!, descending: true };
  return { by, measures, filter: params.get('filter') ?? '', sort };
}

/** The `sort` parameter for a sort (`-streams`, `building`). */
export function sortParam(sort: PivotSort): string {
  return `${sort.descending ? '-' : ''}${sort.column}`;
}

/**
 * The sort after a person chose `column`: the same column flips; a new measure starts largest first, a new dimension
 * in alphabetical order.
 */
export function nextSort(current: PivotSort, column: string, isMeasure: boolean): PivotSort {
  if (current.column === column) return { column, descending: !current.descending };
  return { column, descending: isMeasure };
}

function compareCells(a: Cell, b: Cell): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Rows in the sort's order; unknown values (null) last either way, ties in the API's order (by the dimensions). */
export function sortRows(rows: readonly PivotRow[], sort: PivotSort): PivotRow[] {
  return rows
    .map((row, index) => ({ row, index }))
    .sort((p, q) => {
      const a = p.row[sort.column] ?? null;
      const b = q.row[sort.column] ?? null;
      if (a === null || b === null) return a === b ? p.index - q.index : a === null ? 1 : -1;
      const order = compareCells(a, b);
      if (order !== 0) return sort.descending ? -order : order;
      return p.index - q.index;
    })
    .map((p) => p.row);
}

/** A dimension's value as shown: unknown values say so (a stream whose subnet is in no building has no building). */
export function dimensionText(name: string, value: Cell | undefined): string {
  if (value === null || value === undefined) {
    return name === 'building' || name === 'network' ? `(no ${name})` : '(unknown)';
  }
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

/** A measure's value as shown, by its kind. */
export function measureText(name: string, value: Cell | undefined): string {
  const number = typeof value === 'number' ? value : null;
  switch (measureOf(name)?.kind) {
    case 'percent':
      return percent(number);
    case 'count':
      return count(number);
    case 'rate':
      return decimal(number, 4);
    default:
      return decimal(number, 2);
  }
}

/** The label of a row in the chart: its dimension values joined with " · ". */
export function rowLabel(by: readonly string[], row: PivotRow): string {
  return by.map((d) => dimensionText(d, row[d] ?? null)).join(' · ');
}

/** The CSV file's name: `callrecords-<by>-<from>-<to>.csv` (`to` exclusive, as in the URL). */
export function csvFileName(by: readonly string[], from: string, to: string): string {
  return `callrecords-${by.join('+')}-${from}-${to}.csv`;
}

/**
 * Why a typed filter cannot be combined with the period, if it cannot: the page sends `<period> and (<filter>)`, so a
 * filter whose parentheses do not balance (outside quotes) could close the group and escape the period
 * (`a eq 'x') or (b eq 'y'`). Everything else is the API's to judge.
 */
export function filterProblem(filter: string): string | undefined {
  let depth = 0;
  let quoted = false;
  for (const char of filter) {
    if (char === "'") quoted = !quoted;
    else if (!quoted && char === '(') depth += 1;
    else if (!quoted && char === ')' && --depth < 0) break;
  }
  if (quoted) return 'The filter has a quote that is not closed.';
  if (depth !== 0) return 'The filter’s parentheses do not balance.';
  return undefined;
}
