import type { ApiClient } from './api.js';

/** A dimension of the query API: its name, the kind of its values, what it is. */
export interface CatalogDimension {
  name: string;
  /** The name for people: controls, headings, axes. */
  label: string;
  kind: string;
  about: string;
}

/** A measure of the query API: its name, what it counts, its unit (none: a count). */
export interface CatalogMeasure {
  name: string;
  /** The name for people: controls, headings, axes. */
  label: string;
  about: string;
  unit?: string;
}

/** The answer of `GET /api/analytics/catalog` (docs/analytics.md, "Catalog"). */
export interface QueryCatalog {
  ruleSet: string;
  dimensions: CatalogDimension[];
  measures: CatalogMeasure[];
  maxDimensions: number;
}

let asked: Promise<QueryCatalog> | undefined;

/**
 * The query API's names, asked of the server once per load of the dashboard (the Breakdown page draws again at each
 * choice; the names do not change while the server runs). A failed answer is forgotten, so "Try again" asks again.
 */
export function queryCatalog(api: ApiClient): Promise<QueryCatalog> {
  asked ??= api.json<QueryCatalog>('/api/analytics/catalog').catch((error: unknown) => {
    asked = undefined;
    throw error;
  });
  return asked;
}

/**
 * A measure as a heading or an axis reads it: its label, with its unit when it has one and does not name it (`Avg jitter (ms)`, `Poor stream %`); the API
 * name if the catalog does not list it.
 */
export function measureLabel(measure: CatalogMeasure | undefined, name: string): string {
  const label = measure?.label ?? name;
  // "Poor stream %" names its unit already.
  return measure?.unit === undefined || label.endsWith(measure.unit) ? label : `${label} (${measure.unit})`;
}

/** A dimension as a heading or an axis reads it (`Capture device`); the API name if the catalog does not list it. */
export function dimensionLabel(catalog: QueryCatalog, name: string): string {
  return catalog.dimensions.find((d) => d.name === name)?.label ?? name;
}
