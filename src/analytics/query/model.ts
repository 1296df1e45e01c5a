import type { DimensionName, MeasureName } from './catalog.js';
import type { FilterNode } from './filter.js';

/**
 * One analytics question, checked: measures grouped by dimensions over the streams a filter keeps. Every name in it
 * is a known dimension or measure (query-request.ts checks them); the store compiles it to SQL.
 */
export interface AnalyticsQuery {
  measures: readonly MeasureName[];
  by: readonly DimensionName[];
  /** Its names are dimensions (aliases already resolved). */
  filter?: FilterNode | undefined;
  /** The column (a dimension or measure of the query) rows are ordered by first; ties by the dimensions. */
  orderBy?: { column: string; descending: boolean } | undefined;
  /** The most rows the answer holds; more are cut and the answer says so (`truncated`). */
  top?: number | undefined;
}

/** A cell of an answer: text, a number, a flag, or null (unknown, or no value to average). */
export type Cell = string | number | boolean | null;

/** The answer to an AnalyticsQuery: one row per group, ordered by the dimensions; cells in `columns` order. */
export interface AnalyticsTable {
  /** The dimensions, then the measures, as asked. */
  columns: string[];
  rows: Cell[][];
  /**
   * Which stored form answered: `streams` (the per-stream table) or the name of a rollup table maintained at
   * ingest (docs/analytics.md, "How queries are answered").
   */
  source: string;
  /** True when the query named `top` and more groups than that exist; undefined when it named no `top`. */
  truncated?: boolean | undefined;
}
