import type { AnalyticsStore } from '../../storage/roles.js';
import type { AnalyticsTable } from './model.js';
import { DIMENSIONS, MEASURES, type DimensionType, type MeasureUnit } from './catalog.js';
import { analyticsQueryOf, MAX_DIMENSIONS, type AnalyticsRequest } from './query-request.js';
import { reportRequest, type ReportParams } from './reports.js';

/** An answer of the analytics API: the table, and the rule set whose classification it counts. */
export interface AnalyticsAnswer extends AnalyticsTable {
  /** The rule set that classified the streams (`name@version`, e.g. `current@1`). */
  ruleSet: string;
}

/**
 * The names a query may use, as `GET /api/analytics/catalog` lists them (docs/analytics.md, "Catalog"): a script or the
 * dashboard's Breakdown page discovers them here instead of keeping a copy.
 */
export interface AnalyticsCatalog {
  ruleSet: string;
  dimensions: { name: string; label: string; kind: DimensionType; about: string }[];
  measures: { name: string; label: string; about: string; unit?: MeasureUnit }[];
  /** The most dimensions one query may group by. */
  maxDimensions: number;
}

/**
 * The analytics query API's service: checks a request (query-request.ts), asks the store, and names the rule set the
 * stored classification comes from. Reports are queries with a fixed shape (reports.ts).
 */
export class AnalyticsService {
  constructor(
    private readonly store: Pick<AnalyticsStore, 'aggregate'>,
    /** The rule set the stored streams were classified by. */
    private readonly ruleSet: () => Promise<string>,
  ) {}

  /** Answers `GET /api/analytics`; a bad request is an AppError naming what is wrong. */
  async query(request: AnalyticsRequest): Promise<AnalyticsAnswer> {
    const query = analyticsQueryOf(request);
    const [table, ruleSet] = await Promise.all([this.store.aggregate(query), this.ruleSet()]);
    return { ...table, ruleSet };
  }

  /** Answers `GET /api/analytics/catalog`: every dimension and measure, in the catalog's order. */
  async catalog(): Promise<AnalyticsCatalog> {
    return {
      ruleSet: await this.ruleSet(),
      dimensions: Object.entries(DIMENSIONS).map(([name, d]) => ({
        name,
        label: d.label,
        kind: d.type,
        about: d.about,
      })),
      measures: Object.entries(MEASURES).map(([name, m]) => ({ name, ...m })),
      maxDimensions: MAX_DIMENSIONS,
    };
  }

  /** Answers `GET /api/analytics/reports/<name>`. */
  async report(name: string, params: ReportParams): Promise<AnalyticsAnswer> {
    const { request, report } = reportRequest(name, params);
    const answer = await this.query(request);
    return report.reshape === undefined ? answer : { ...report.reshape(answer), ruleSet: answer.ruleSet };
  }
}
