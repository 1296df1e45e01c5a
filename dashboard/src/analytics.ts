import { withQuery, type ApiClient } from './api.js';

/** The answer of `GET /api/analytics` (docs/analytics.md, "Query API"). */
export interface AnalyticsTable {
  ruleSet: string;
  source: string;
  columns: string[];
  rows: Record<string, string | number | null>[];
  /** With `top`: whether more rows exist than the answer holds. */
  truncated?: boolean;
}

/** One question of the query API: measures, grouped by dimensions, over the streams the filter keeps. */
export interface AnalyticsQuery {
  measures: string[];
  by?: string[];
  filter?: string;
  /** `<column>` or `<column> desc`: the order of the rows (docs/analytics.md, "Order and top"). */
  orderby?: string;
  /** The most rows the answer holds. */
  top?: number;
}

/** The query API's URL for a question: the same URL a script would use (and the dashboard shows, to copy). */
export function analyticsUrl(query: AnalyticsQuery, format?: 'csv'): string {
  return withQuery('/api/analytics', {
    measures: query.measures.join(','),
    by: query.by?.join(','),
    filter: query.filter,
    orderby: query.orderby,
    top: query.top,
    format,
  });
}

export function askAnalytics(api: ApiClient, query: AnalyticsQuery): Promise<AnalyticsTable> {
  return api.json<AnalyticsTable>(analyticsUrl(query));
}

/** A filter literal: `'text'` with quotes doubled (the filter grammar's escape). */
export function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** Joins filter terms with `and`, leaving out empty ones. */
export function allOf(...terms: (string | null | undefined | false)[]): string {
  return terms.filter((t): t is string => typeof t === 'string' && t !== '').join(' and ');
}
