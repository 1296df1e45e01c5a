import { DIMENSIONS } from '../../analytics/query/catalog.js';
import type { AnalyticsQuery, AnalyticsTable, Cell } from '../../analytics/query/model.js';
import type { AnalyticsPlan } from './analytics-sql.js';

/** A row as a store's driver returns it: `g0…` dimensions, `m0…` measures, `p` a percentile. */
export type RawRow = Record<string, unknown>;

/**
 * Turns the rows of a plan's statements into the answer both stores give alike: flags as booleans, reals rounded to
 * six decimals (a rollup's sums and the per-stream table's averages differ only past that), each percentile joined
 * to its group, rows by the `orderby` column if any (nulls last), then in byte order of their dimensions (nulls
 * last) — the order does not depend on a collation — and cut at `top`.
 */
export function analyticsTable(
  query: AnalyticsQuery,
  plan: AnalyticsPlan,
  main: readonly RawRow[],
  percentiles: readonly (readonly RawRow[])[],
): AnalyticsTable {
  const dims = query.by.length;
  const keyOf = (row: RawRow) => JSON.stringify(query.by.map((_, i) => row[`g${i}`] ?? null));
  const percentileByKey = percentiles.map((rows) => new Map(rows.map((r) => [keyOf(r), r.p])));
  const rows = main.map((row): Cell[] => {
    const key = keyOf(row);
    const cells: Cell[] = query.by.map((d, i) => dimensionCell(DIMENSIONS[d].type, row[`g${i}`]));
    query.measures.forEach((m, i) => {
      const slot = plan.percentiles.findIndex((p) => p.measure === m);
      cells.push(numberCell(slot < 0 ? row[`m${i}`] : percentileByKey[slot]!.get(key)));
    });
    return cells;
  });
  const columns: string[] = [...query.by, ...query.measures];
  const order = query.orderBy;
  const at = order === undefined ? -1 : columns.indexOf(order.column);
  rows.sort((a, b) => (at < 0 ? 0 : compareCells(a[at]!, b[at]!, order!.descending)) || compareKeys(a, b, dims));
  if (query.top === undefined) return { columns, rows, source: plan.source };
  const truncated = rows.length > query.top;
  return { columns, rows: truncated ? rows.slice(0, query.top) : rows, source: plan.source, truncated };
}

// One column's order: nulls last both ways, numbers by value, text in byte order, false before true.
function compareCells(x: Cell, y: Cell, descending: boolean): number {
  if (x === y) return 0;
  if (x === null) return 1;
  if (y === null) return -1;
  const sign = descending ? -1 : 1;
  if (typeof x === 'number' && typeof y === 'number') return sign * (x - y);
  if (typeof x === 'boolean' && typeof y === 'boolean') return sign * (x ? 1 : -1);
  return sign * Buffer.compare(Buffer.from(String(x)), Buffer.from(String(y)));
}

function dimensionCell(type: string, value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (type === 'boolean') return Number(value) !== 0;
  return String(value);
}

function numberCell(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  const n = Number(value);
  return Number.isInteger(n) ? n : Math.round(n * 1e6) / 1e6;
}

function compareKeys(a: readonly Cell[], b: readonly Cell[], count: number): number {
  for (let i = 0; i < count; i++) {
    const [x, y] = [a[i], b[i]];
    if (x === y) continue;
    if (x === null) return 1;
    if (y === null) return -1;
    const [sx, sy] = [String(x), String(y)];
    if (sx !== sy) return Buffer.compare(Buffer.from(sx), Buffer.from(sy));
  }
  return 0;
}
