import { TELEPHONY_DIMENSIONS, type TelephonyDimension } from '../../analytics/telephony/telephony-catalog.js';
import type { TelephonyQuery } from '../../analytics/telephony/telephony-query.js';
import type { Cell } from '../../analytics/query/model.js';

/**
 * The rows of a compiled query as the answer both stores give alike: flags as booleans, SIP codes and counts as
 * numbers, reals rounded to six decimals, rows in byte order of their dimensions (nulls last).
 */
export function telephonyRows(query: TelephonyQuery, raw: readonly Record<string, unknown>[]): Cell[][] {
  const rows = raw.map((row): Cell[] => [
    ...query.by.map((d, i) => dimensionCell(d, row[`g${i}`])),
    ...query.measures.map((_, i) => numberCell(row[`m${i}`])),
  ]);
  return rows.sort((a, b) => {
    for (let i = 0; i < query.by.length; i++) {
      const [x, y] = [a[i], b[i]];
      if (x === y) continue;
      if (x === null) return 1;
      if (y === null) return -1;
      const order = Buffer.compare(Buffer.from(String(x)), Buffer.from(String(y)));
      if (order !== 0) return order;
    }
    return 0;
  });
}

function dimensionCell(d: TelephonyDimension, value: unknown): Cell {
  if (value === null || value === undefined) return null;
  const type = TELEPHONY_DIMENSIONS[d].type;
  if (type === 'boolean') return Number(value) !== 0;
  if (type === 'number') return Number(value);
  return String(value);
}

function numberCell(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  const n = Number(value);
  return Number.isInteger(n) ? n : Math.round(n * 1e6) / 1e6;
}
