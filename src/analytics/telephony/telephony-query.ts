import type { Cell } from '../query/model.js';
import type { FilterNode, FilterValue } from '../query/filter.js';
import { checkQueryRequest, type AnalyticsRequest } from '../query/query-request.js';
import {
  isTelephonyDimension,
  isTelephonyMeasure,
  TELEPHONY_DIMENSIONS,
  TELEPHONY_FILTER_ALIASES,
  type TelephonyDimension,
  type TelephonyDimensionType,
  type TelephonyMeasure,
} from './telephony-catalog.js';

/**
 * One telephony analytics question, checked: measures grouped by dimensions over the PSTN and Direct Routing rows a
 * filter keeps. Every name is in telephony-catalog.ts; the filter's names are dimensions (aliases resolved).
 */
export interface TelephonyQuery {
  measures: readonly TelephonyMeasure[];
  by: readonly TelephonyDimension[];
  filter?: FilterNode | undefined;
}

/** The answer: one row per group, ordered by the dimensions (byte order, nulls last); dimensions, then measures. */
export interface TelephonyTable {
  columns: string[];
  rows: Cell[][];
}

/**
 * Checks a request of `GET /api/analytics/telephony` and returns its query; a missing or unknown measure, an unknown
 * dimension (in `by` or the filter), a literal of the wrong type or a malformed filter is an `AppError('BadRequest')`
 * naming every offender. The check and the filter grammar are the analytics API's (src/analytics/query/).
 */
export function telephonyQueryOf(request: AnalyticsRequest): TelephonyQuery {
  const { measures, by, filter } = checkQueryRequest(request, {
    label: 'telephony analytics',
    exampleMeasure: 'calls',
    isMeasure: isTelephonyMeasure,
    isDimension: isTelephonyDimension,
    resolveFilter: resolve,
  });
  return { measures: measures as TelephonyMeasure[], by: by as TelephonyDimension[], filter };
}

function resolve(node: FilterNode, problems: string[]): FilterNode {
  switch (node.kind) {
    case 'compare':
    case 'in': {
      const name = TELEPHONY_FILTER_ALIASES[node.name] ?? node.name;
      if (!isTelephonyDimension(name)) {
        problems.push(`unknown dimension in filter: ${node.name}`);
        return node;
      }
      const values = node.kind === 'in' ? node.values : [node.value];
      const wrong = values.find((v) => !fits(TELEPHONY_DIMENSIONS[name].type, v));
      if (wrong !== undefined) problems.push(`${node.name} cannot be compared with ${JSON.stringify(wrong)}`);
      if (node.kind === 'compare' && node.value === null && node.op !== 'eq' && node.op !== 'ne') {
        problems.push(`${node.name} ${node.op} null compares with nothing; use eq null or ne null`);
      }
      return { ...node, name };
    }
    case 'not':
      return { kind: 'not', item: resolve(node.item, problems) };
    default:
      return { kind: node.kind, items: node.items.map((item) => resolve(item, problems)) };
  }
}

function fits(type: TelephonyDimensionType, value: FilterValue): boolean {
  if (value === null) return true;
  if (type === 'boolean') return typeof value === 'boolean';
  if (type === 'number') return typeof value === 'number';
  if (type === 'date') return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value);
  return typeof value === 'string';
}
