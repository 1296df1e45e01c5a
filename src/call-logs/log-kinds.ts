/**
 * The five telephony logs Graph serves beside call records, one entry each: the Graph function that returns it, its
 * row type, the `/api/logs/{kind}` name, the table it is archived in, the time its function filters on and how its
 * bounds are read (https://learn.microsoft.com/graph/api/callrecords-callrecord-getpstncalls and its siblings).
 */
import type { ApiVersion } from '../domain/model.js';
import type { CallLogTable } from '../storage/call-log-types.js';

/** The name of a log kind, as `POST /api/logs/{kind}` and `callrecords import --kind` spell it. */
export type LogKindName =
  'pstnCalls' | 'directRoutingCalls' | 'smsLog' | 'pstnBlockedUsersLog' | 'pstnOnlineMeetingDialoutReport';

/** One log kind. */
export interface LogKind {
  readonly name: LogKindName;
  /** The Graph function bound to the callRecord collection that returns it. */
  readonly fn: string;
  /** Its row type in microsoft.graph.callRecords. */
  readonly rowType: string;
  /** The table it is archived in (migration 0009). */
  readonly table: CallLogTable;
  /**
   * The row property the function's window applies to; undefined for the dial-out report, whose rows are aggregates
   * over the period they were reported for (stored with that period).
   */
  readonly timeProperty: string | undefined;
  /** Whether `toDateTime` is inclusive, as the function's page documents (fromDateTime is always inclusive). */
  readonly toInclusive: boolean;
  /** Whether the row type declares `id` (a GUID per row, the row's key when present). */
  readonly hasId: boolean;
  /** The API versions that serve the function. */
  readonly versions: readonly ApiVersion[];
}

const BOTH: readonly ApiVersion[] = ['v1.0', 'beta'];
const BETA: readonly ApiVersion[] = ['beta'];

/** Every log kind. */
export const LOG_KINDS: readonly LogKind[] = [
  // "toDateTime: End of time range to query. UTC, inclusive." (getPstnCalls)
  {
    name: 'pstnCalls',
    fn: 'getPstnCalls',
    rowType: 'pstnCallLogRow',
    table: 'pstn_call_logs',
    timeProperty: 'startDateTime',
    toInclusive: true,
    hasId: true,
    versions: BOTH,
  },
  // "toDateTime: End of time range to query. UTC, exclusive." (getDirectRoutingCalls)
  {
    name: 'directRoutingCalls',
    fn: 'getDirectRoutingCalls',
    rowType: 'directRoutingLogRow',
    table: 'direct_routing_logs',
    timeProperty: 'startDateTime',
    toInclusive: false,
    hasId: true,
    versions: BOTH,
  },
  // "toDateTime: End of time range to query. UTC, inclusive." (getSmsLog, beta)
  {
    name: 'smsLog',
    fn: 'getSmsLog',
    rowType: 'smsLogRow',
    table: 'sms_logs',
    timeProperty: 'sentDateTime',
    toInclusive: true,
    hasId: true,
    versions: BETA,
  },
  // The page says only "End of time range to query"; read as inclusive, like the other beta logs' pages that say so.
  {
    name: 'pstnBlockedUsersLog',
    fn: 'getPstnBlockedUsersLog',
    rowType: 'pstnBlockedUsersLogRow',
    table: 'pstn_blocked_users_logs',
    timeProperty: 'blockDateTime',
    toInclusive: true,
    hasId: false,
    versions: BETA,
  },
  {
    name: 'pstnOnlineMeetingDialoutReport',
    fn: 'getPstnOnlineMeetingDialoutReport',
    rowType: 'pstnOnlineMeetingDialoutReport',
    table: 'pstn_dialout_reports',
    timeProperty: undefined,
    toInclusive: true,
    hasId: false,
    versions: BETA,
  },
];

/** The log kind called `name` (case-insensitively), or undefined. */
export function logKindNamed(name: string): LogKind | undefined {
  const lower = name.toLowerCase();
  return LOG_KINDS.find((k) => k.name.toLowerCase() === lower);
}

/** The log kind whose Graph function is `fn` (as resource-path.ts names it). */
export function logKindOfFunction(fn: string): LogKind {
  const kind = LOG_KINDS.find((k) => k.fn === fn);
  if (kind === undefined) throw new Error(`no log kind for the function ${fn}`);
  return kind;
}

/** The kinds' names, for messages: `pstnCalls, directRoutingCalls, …`. */
export const LOG_KIND_NAMES = LOG_KINDS.map((k) => k.name).join(', ');
