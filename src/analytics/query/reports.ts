import { AppError } from '../../errors.js';
import type { AnalyticsTable, Cell } from './model.js';
import type { AnalyticsRequest } from './query-request.js';

/** The parameters a canned report takes: a date range, the media type, and (helpdesk) the user. */
export interface ReportParams {
  from?: string | undefined;
  to?: string | undefined;
  mediaType?: string | undefined;
  userId?: string | undefined;
}

/** A canned report: the query it asks, and how its answer is reshaped (sorted, pivoted). */
interface Report {
  about: string;
  /** The measures and dimensions; the filter is built from the parameters. */
  measures: string;
  by: string;
  /** Streams of this media type only, unless the request names another (`mediaType=video`); none: every type. */
  media?: string;
  /** The filter beside dates and media, if any. */
  extra?: (params: ReportParams) => string;
  reshape?: (table: AnalyticsTable) => AnalyticsTable;
}

const POOR = 'poorStreamPct,poorStreams,goodStreams,streams';
const REASONS = [
  'Jitter',
  'PacketLoss',
  'RoundTrip',
  'Degradation',
  'ConcealedRatio',
  'FrameLoss',
  'FrameRate',
  'PostFecPacketLoss',
];

/**
 * The reports CQD users look for first (docs/analytics.md, "Reports"), each one query of the query API:
 * `GET /api/analytics/reports/<name>?from=…&to=…`.
 */
export const REPORTS: Readonly<Record<string, Report>> = {
  'poor-trend': { about: 'poor stream % per week', measures: POOR, by: 'week', media: 'audio' },
  'by-building': {
    about: 'poor stream % by building and network',
    measures: POOR,
    by: 'building,network',
    media: 'audio',
  },
  'by-connection-type': {
    about: 'poor stream % by the First and Second endpoints’ connection types',
    measures: POOR,
    by: 'firstConnectionType,secondConnectionType',
    media: 'audio',
  },
  'by-client-version': {
    about: 'poor stream % by product family and client version',
    measures: POOR,
    by: 'productFamily,clientVersion',
    media: 'audio',
  },
  'by-device': {
    about: 'poor stream % by capture and render device',
    measures: POOR,
    by: 'captureDevice,renderDevice',
    media: 'audio',
  },
  'poor-reasons': {
    about: 'poor streams per reason, most frequent first',
    measures: REASONS.map((r) => `poorDueTo${r}`).join(','),
    by: '',
    reshape: pivotReasons,
  },
  failures: {
    about: 'failed segments by failure stage and reason, most frequent first',
    measures: 'failures',
    by: 'failureStage,failureReason',
    extra: () => 'failureStage ne null',
    reshape: (table) => ({ ...table, rows: [...table.rows].sort((a, b) => Number(b[2]) - Number(a[2])) }),
  },
  'user-calls': {
    about: 'one user’s calls, newest first: streams, poor streams, averages and failures (the helpdesk view)',
    measures: 'streams,poorStreams,poorStreamPct,avgJitter,avgRoundTrip,avgPacketLoss,failures',
    by: 'callStart,callId,callType',
    extra: (params) => {
      if (params.userId === undefined || params.userId === '') {
        throw new AppError('BadRequest', "The user-calls report needs a user: 'userId=<Entra user id>'.");
      }
      return `userId eq '${params.userId.replaceAll("'", "''")}'`;
    },
    reshape: (table) => ({ ...table, rows: [...table.rows].reverse() }),
  },
};

/** The query a report asks with these parameters; an unknown report is `NotFound`. */
export function reportRequest(name: string, params: ReportParams): { request: AnalyticsRequest; report: Report } {
  const report = Object.hasOwn(REPORTS, name) ? REPORTS[name] : undefined;
  if (report === undefined) {
    throw new AppError('NotFound', `No report '${name}'; the reports are ${Object.keys(REPORTS).join(', ')}.`);
  }
  const parts: string[] = [];
  const media = params.mediaType ?? report.media;
  if (media !== undefined && media !== '') parts.push(`mediaType eq '${media.replaceAll("'", "''")}'`);
  if (params.from !== undefined) parts.push(`date ge ${dateParam(params.from, 'from')}`);
  if (params.to !== undefined) parts.push(`date lt ${dateParam(params.to, 'to')}`);
  if (report.extra !== undefined) parts.push(report.extra(params));
  return { request: { measures: report.measures, by: report.by, filter: parts.join(' and ') }, report };
}

function dateParam(value: string, name: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new AppError('BadRequest', `'${name}' must be a date (yyyy-mm-dd).`);
  return value;
}

/** One row per reason (`reason`, `poorStreams`), most frequent first, from the one row of per-reason counts. */
function pivotReasons(table: AnalyticsTable): AnalyticsTable {
  const counts = table.rows[0] ?? [];
  const rows: Cell[][] = table.columns.map((column, i) => [
    column.slice('poorDueTo'.length).replace(/^./, (c) => c.toLowerCase()),
    counts[i] ?? 0,
  ]);
  rows.sort((a, b) => Number(b[1]) - Number(a[1]) || String(a[0]).localeCompare(String(b[0])));
  return { ...table, columns: ['reason', 'poorStreams'], rows };
}
