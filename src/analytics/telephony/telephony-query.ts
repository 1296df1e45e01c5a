import { AppError } from '../../errors.js';
import type { Cell } from '../query/model.js';
import { FilterSyntaxError, parseFilter, type FilterNode, type FilterValue } from '../query/filter.js';
import type { AnalyticsRequest } from '../query/query-request.js';
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

/** The most dimensions one query may group by. */
export const MAX_TELEPHONY_DIMENSIONS = 6;

/**
 * Checks a request of `GET /api/analytics/telephony` and returns its query; a missing or unknown measure, an unknown
 * dimension (in `by` or the filter), a literal of the wrong type or a malformed filter is an `AppError('BadRequest')`
 * naming every offender. The filter grammar is the analytics API's (src/analytics/query/filter.ts).
 */
export function telephonyQueryOf(request: AnalyticsRequest): TelephonyQuery {
  const measureNames = names(request.measures);
  const byNames = names(request.by);
  if (measureNames.length === 0) throw new AppError('BadRequest', "Name at least one measure: 'measures=calls'.");
  const problems: string[] = [];
  const unknownMeasures = measureNames.filter((n) => !isTelephonyMeasure(n));
  if (unknownMeasures.length > 0) problems.push(`unknown measure(s): ${unknownMeasures.join(', ')}`);
  const unknownBy = byNames.filter((n) => !isTelephonyDimension(n));
  if (unknownBy.length > 0) problems.push(`unknown dimension(s) in by: ${unknownBy.join(', ')}`);
  if (byNames.length > MAX_TELEPHONY_DIMENSIONS) problems.push(`at most ${MAX_TELEPHONY_DIMENSIONS} dimensions in by`);
  let filter: FilterNode | undefined;
  if (request.filter !== undefined && request.filter.trim() !== '') {
    try {
      filter = resolve(parseFilter(request.filter), problems);
    } catch (error) {
      if (!(error instanceof FilterSyntaxError)) throw error;
      problems.push(`malformed filter: ${error.message}`);
    }
  }
  if (problems.length > 0) throw new AppError('BadRequest', `Bad telephony analytics query: ${problems.join('; ')}.`);
  return {
    measures: [...new Set(measureNames)] as TelephonyMeasure[],
    by: [...new Set(byNames)] as TelephonyDimension[],
    filter,
  };
}

function names(list: string | undefined): string[] {
  if (list === undefined) return [];
  return list
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '');
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
