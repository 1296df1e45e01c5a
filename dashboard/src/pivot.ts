import { count, decimal, percent } from './format.js';
import type { CatalogMeasure, QueryCatalog } from './query-catalog.js';

/** A cell of the query API's answer. */
export type Cell = string | number | boolean | null;
export type PivotRow = Record<string, Cell>;

/** How rows are ordered: a column, and whether the largest (or last) comes first. */
export interface PivotSort {
  column: string;
  descending: boolean;
}

/**
 * The Breakdown page's state, read from its URL (`by`, `measures`, `filter`, `sort`); names the query API's catalog
 * does not list are dropped.
 */
export interface PivotState {
  by: string[];
  measures: string[];
  filter: string;
  sort: PivotSort;
}

/** The query API takes up to `maxDimensions` (6); the page offers CQD's usual pivot of up to 3. */
export const PIVOT_DIMENSIONS = 3;

const DEFAULT_BY = ['building'];
const DEFAULT_MEASURES = ['poorStreamPct', 'streams'];

function names(raw: string | null, known: readonly { name: string }[]): string[] {
  const wanted = (raw ?? '').split(',').filter((n) => known.some((k) => k.name === n));
  return [...new Set(wanted)];
}

/** The page's usual choice, as far as the catalog lists it; else the catalog's first name. */
function defaults(wanted: readonly string[], known: readonly { name: string }[]): string[] {
  const kept = wanted.filter((n) => known.some((k) => k.name === n));
  return kept.length > 0 ? kept : known.slice(0, 1).map((k) => k.name);
}

/** The state a URL names; without `sort`, the first measure, largest first (CQD's "worst first" habit). */
export function pivotStateOf(params: URLSearchParams, catalog: QueryCatalog): PivotState {
  const byNames = names(params.get('by'), catalog.dimensions).slice(0, pivotDimensions(catalog));
  const by = byNames.length > 0 ? byNames : defaults(DEFAULT_BY, catalog.dimensions);
  const measureNames = names(params.get('measures'), catalog.measures);
  const measures = measureNames.length > 0 ? measureNames : defaults(DEFAULT_MEASURES, catalog.measures);
  const rawSort = params.get('sort') ?? '';
  const column = rawSort.replace(/^-/, '');
  const sort =
    by.includes(column) || measures.includes(column)
      ? { column, descending: rawSort.startsWith('-') }
      : { column: measures[0]!, descending: true };
  return { by, measures, filter: params.get('filter') ?? '', sort };
}

/** How many dimension pickers the page shows: 3, or fewer if the API takes fewer. */
export function pivotDimensions(catalog: QueryCatalog): number {
  return Math.min(PIVOT_DIMENSIONS, catalog.maxDimensions);
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

/** A measure's value as shown, by the unit the catalog gives it: none is a count, a rate 0–1 gets four decimals. */
export function measureText(measure: CatalogMeasure | undefined, value: Cell | undefined): string {
  const number = typeof value === 'number' ? value : null;
  switch (measure?.unit) {
    case '%':
      return percent(number);
    case undefined:
      return count(number);
    case '0–1':
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
