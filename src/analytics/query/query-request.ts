import { AppError } from '../../errors.js';
import {
  DIMENSIONS,
  FILTER_ALIASES,
  isDimension,
  isMeasure,
  type DimensionName,
  type DimensionType,
  type MeasureName,
  USER_FILTER,
} from './catalog.js';
import { FilterSyntaxError, parseFilter, type FilterNode, type FilterValue } from './filter.js';
import type { AnalyticsQuery } from './model.js';

/** The query string of `GET /api/analytics`: comma-separated names, and a filter. */
export interface AnalyticsRequest {
  measures?: string | undefined;
  by?: string | undefined;
  filter?: string | undefined;
  /** `<a column of the answer>` or `<column> desc`. */
  orderby?: string | undefined;
  /** 1 to MAX_TOP rows. */
  top?: string | undefined;
}

/** The most rows `top` may ask for. */
export const MAX_TOP = 10_000;

/** The most dimensions one query may group by (a guard against answers the size of the table). */
export const MAX_DIMENSIONS = 6;

/** What the request check needs of a catalog: its names, how a filter's names resolve, and its wording. */
export interface QueryCatalog {
  /** The query's name in the error message (`analytics`, `telephony analytics`). */
  label: string;
  /** A measure to suggest when none is named. */
  exampleMeasure: string;
  isMeasure(name: string): boolean;
  isDimension(name: string): boolean;
  /** Resolves aliases in a parsed filter and adds a line to `problems` for each name or value it refuses. */
  resolveFilter(node: FilterNode, problems: string[]): FilterNode;
}

/**
 * Checks measures, dimensions and filter of a request against a catalog and returns them, each name once; a missing
 * or unknown measure, an unknown dimension (in `by` or the filter), more than MAX_DIMENSIONS, or a malformed filter
 * is an `AppError('BadRequest')` whose message names every offender. Both query APIs (call quality, telephony) use it.
 */
export function checkQueryRequest(
  request: AnalyticsRequest,
  catalog: QueryCatalog,
): { measures: string[]; by: string[]; filter: FilterNode | undefined } {
  const measureNames = names(request.measures);
  const byNames = names(request.by);
  if (measureNames.length === 0) {
    throw new AppError('BadRequest', `Name at least one measure: 'measures=${catalog.exampleMeasure}'.`);
  }
  const problems: string[] = [];
  const unknownMeasures = measureNames.filter((n) => !catalog.isMeasure(n));
  if (unknownMeasures.length > 0) problems.push(`unknown measure(s): ${unknownMeasures.join(', ')}`);
  const unknownBy = byNames.filter((n) => !catalog.isDimension(n));
  if (unknownBy.length > 0) problems.push(`unknown dimension(s) in by: ${unknownBy.join(', ')}`);
  if (byNames.length > MAX_DIMENSIONS) problems.push(`at most ${MAX_DIMENSIONS} dimensions in by`);
  let filter: FilterNode | undefined;
  if (request.filter !== undefined && request.filter.trim() !== '') {
    try {
      filter = catalog.resolveFilter(parseFilter(request.filter), problems);
    } catch (error) {
      if (!(error instanceof FilterSyntaxError)) throw error;
      problems.push(`malformed filter: ${error.message}`);
    }
  }
  if (problems.length > 0) throw new AppError('BadRequest', `Bad ${catalog.label} query: ${problems.join('; ')}.`);
  return { measures: unique(measureNames), by: unique(byNames), filter };
}

const STREAM_CATALOG: QueryCatalog = {
  label: 'analytics',
  exampleMeasure: 'streams',
  isMeasure,
  isDimension,
  resolveFilter: (node, problems) => resolveNames(node, problems),
};

/** Checks a request of `GET /api/analytics` and returns the query it asks (checkQueryRequest, call-quality names). */
export function analyticsQueryOf(request: AnalyticsRequest): AnalyticsQuery {
  const { measures, by, filter } = checkQueryRequest(request, STREAM_CATALOG);
  const orderBy = orderByOf(request.orderby, [...by, ...measures]);
  const top = topOf(request.top);
  return { measures: measures as MeasureName[], by: by as DimensionName[], filter, orderBy, top };
}

// `orderby=<column>[ asc|desc]`: one column of the answer, so the order can be checked against what is shown.
function orderByOf(text: string | undefined, columns: readonly string[]): AnalyticsQuery['orderBy'] {
  if (text === undefined || text.trim() === '') return undefined;
  const match = /^\s*(\w+)(?:\s+(asc|desc))?\s*$/i.exec(text);
  if (match === null || !columns.includes(match[1]!)) {
    throw new AppError(
      'BadRequest',
      `Bad analytics query: orderby must be one column of the answer (${columns.join(', ')}), optionally followed by asc or desc; got '${text}'.`,
    );
  }
  return { column: match[1]!, descending: match[2]?.toLowerCase() === 'desc' };
}

function topOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = /^\d{1,6}$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (!(n >= 1 && n <= MAX_TOP)) {
    throw new AppError(
      'BadRequest',
      `Bad analytics query: top must be a whole number from 1 to ${MAX_TOP}; got '${text}'.`,
    );
  }
  return n;
}

function names(list: string | undefined): string[] {
  if (list === undefined) return [];
  return list
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '');
}

function unique(list: readonly string[]): string[] {
  return [...new Set(list)];
}

// Replaces aliases by their dimension and collects the names that are neither.
function resolveNames(node: FilterNode, problems: string[]): FilterNode {
  switch (node.kind) {
    case 'compare':
    case 'in': {
      const name = FILTER_ALIASES[node.name] ?? node.name;
      if (name === USER_FILTER) return userFilter(node, problems);
      if (!isDimension(name)) {
        problems.push(`unknown dimension in filter: ${node.name}`);
        return node;
      }
      const values = node.kind === 'in' ? node.values : [node.value];
      const wrong = values.find((v) => !fits(DIMENSIONS[name].type, v));
      if (wrong !== undefined) problems.push(`${node.name} cannot be compared with ${JSON.stringify(wrong)}`);
      if (node.kind === 'compare' && node.value === null && node.op !== 'eq' && node.op !== 'ne') {
        problems.push(`${node.name} ${node.op} null compares with nothing; use eq null or ne null`);
      }
      return { ...node, name };
    }
    case 'not':
      return { kind: 'not', item: resolveNames(node.item, problems) };
    default:
      return { kind: node.kind, items: node.items.map((item) => resolveNames(item, problems)) };
  }
}

function userFilter(node: FilterNode & { kind: 'compare' | 'in' }, problems: string[]): FilterNode {
  const values = node.kind === 'in' ? node.values : [node.value];
  const op = node.kind === 'in' ? 'eq' : node.op;
  if ((op !== 'eq' && op !== 'ne') || values.some((v) => typeof v !== 'string')) {
    problems.push(`${USER_FILTER} compares with eq, ne or in and a quoted user id`);
  }
  return node;
}

// A flag compares with true/false, a date with a yyyy-mm-dd literal, text with a quoted text; anything with null.
function fits(type: DimensionType, value: FilterValue): boolean {
  if (value === null) return true;
  if (type === 'boolean') return typeof value === 'boolean';
  if (type === 'date') return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value);
  return typeof value === 'string';
}
