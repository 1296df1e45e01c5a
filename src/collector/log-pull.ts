/**
 * Pulls the telephony logs (issue 14, point 3) from Graph's functions — getPstnCalls, getDirectRoutingCalls, getSmsLog,
 * getPstnBlockedUsersLog and getPstnOnlineMeetingDialoutReport, all from /beta (the fullest row types)
 * (https://learn.microsoft.com/graph/api/callrecords-callrecord-getpstncalls and its siblings) — in windows of at most
 * 90 days, following every `@odata.nextLink`, into the archive through the call-log ingest (src/call-logs/). Each kind
 * keeps a cursor in the sync state (`logs.cursor.<kind>`), moved only after a window's rows are stored.
 */
import type { Clock } from '../clock.js';
import { toSortableUtc } from '../domain/datetime.js';
import { CallLogIngest, type LogIngestHooks } from '../call-logs/call-log-ingest.js';
import { GRAPH_MAX_WINDOW_DAYS } from '../call-logs/function-window.js';
import { LOG_KINDS, type LogKind } from '../call-logs/log-kinds.js';
import type { RuntimeLog } from '../runtime/runtime.js';
import type { CallLogStore, SyncStateStore } from '../storage/roles.js';
import { GraphRequestError, type GraphClient, type GraphObject } from './graph-client.js';
import { holdLease } from './held-lease.js';

const DAY_MS = 86_400_000;
/** The longest window one request asks for: Graph's 90 days. */
export const LOG_WINDOW_MS = GRAPH_MAX_WINDOW_DAYS * DAY_MS;
/** Where a kind's cursor is kept (ISO time up to which its rows are stored). */
export const logCursorKey = (kind: LogKind): string => `logs.cursor.${kind.name}`;
/** JSON of the last finished pull's findings, per kind. */
export const LOG_LAST_PULL = 'logs.last';
/** The lease of a pull: one instance pulls the logs at a time. */
export const LOG_LEASE = 'logs';
const LOG_LEASE_MS = 30_000;

/**
 * PSTN call records limits (https://learn.microsoft.com/graph/throttling-limits): 200 requests per 60 s per app per
 * tenant, 50 per 60 s per collection — a budget of their own, apart from the call records' (counted over 60.5 s).
 */
export const PSTN_LIMITS = { windowMs: 60_500, app: 200, record: 50, list: 50 } as const;

/** What a pull works with. */
export interface LogPullDeps {
  /** A Graph client whose budget is PSTN_LIMITS (the collector builds one). */
  client: GraphClient;
  /** Graph's base URL: the functions are asked for under `<graphUrl>/beta/` (the client's own base is v1.0). */
  graphUrl: string;
  logs: CallLogStore;
  sync: SyncStateStore;
  clock: Clock;
  log: RuntimeLog;
  /** How long after a row's time Graph is taken to have it: windows end this long before now. Default 1 h. */
  settleMs?: number | undefined;
  signal?: AbortSignal | undefined;
  /** The privacy rules every write path applies (src/privacy/log-ingest-hooks.ts). */
  hooks?: LogIngestHooks | undefined;
}

/** What a pull of one kind did. */
export interface LogPullFindings {
  kind: string;
  from: string;
  to: string;
  windows: number;
  requests: number;
  received: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

/**
 * Pulls every kind under the `logs` lease (undefined when another instance holds it). A kind without a cursor starts
 * `firstDays` before now; a kind that fails (403 without the permission, say) is logged and the others go on.
 */
export async function pullAllLogs(
  deps: LogPullDeps,
  owner: string,
  firstDays: number,
): Promise<LogPullFindings[] | undefined> {
  const lease = await holdLease(deps.sync, LOG_LEASE, owner, deps.clock, LOG_LEASE_MS);
  if (lease === undefined) return undefined;
  const all: LogPullFindings[] = [];
  try {
    for (const kind of LOG_KINDS) {
      if (deps.signal?.aborted === true || lease.lost()) break;
      try {
        all.push(await pullLogKind(deps, kind, firstDays, () => !lease.lost()));
      } catch (error) {
        deps.log.error({ err: error, kind: kind.name }, 'sync: pulling a telephony log failed; the next pull resumes');
      }
    }
    await deps.sync.setState(LOG_LAST_PULL, JSON.stringify(all));
    return all;
  } finally {
    await lease.release();
  }
}

/**
 * Pulls one kind from its cursor (or `firstDays` back) up to now less the settle time, window by window; after each
 * window's rows are stored the cursor moves to the window's end (while `goOn()`). Rows come in through CallLogIngest,
 * so a row received twice is stored once. Dial-out reports, which are aggregates over the window asked for, are
 * pulled by whole UTC days, each stored with its day as its period, and only for days that are over.
 */
export async function pullLogKind(
  deps: LogPullDeps,
  kind: LogKind,
  firstDays: number,
  goOn: () => boolean = () => true,
): Promise<LogPullFindings> {
  const now = deps.clock.now().getTime();
  const report = kind.timeProperty === undefined;
  const stored = await deps.sync.getState(logCursorKey(kind));
  const parsed = stored === undefined ? NaN : Date.parse(stored);
  let from = Number.isNaN(parsed) ? now - firstDays * DAY_MS : parsed;
  let until = now - (deps.settleMs ?? 60 * 60_000);
  if (report) {
    from = Math.floor(from / DAY_MS) * DAY_MS;
    until = Math.floor(until / DAY_MS) * DAY_MS;
  }
  const f: LogPullFindings = {
    kind: kind.name,
    from: new Date(from).toISOString(),
    to: new Date(Math.max(from, until)).toISOString(),
    windows: 0,
    requests: 0,
    received: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    rejected: 0,
  };
  while (from < until && deps.signal?.aborted !== true) {
    const end = Math.min(until, from + (report ? DAY_MS : LOG_WINDOW_MS));
    await pullWindow(deps, kind, from, end, f);
    await deps.sync.setState(logCursorKey(kind), new Date(end).toISOString());
    f.windows++;
    from = end;
    if (!goOn()) break;
  }
  if (f.received > 0) deps.log.info({ ...f }, 'sync: telephony log pulled');
  return f;
}

/** One window [from, end): every page of the function, each page's rows stored before the next is asked for. */
async function pullWindow(deps: LogPullDeps, kind: LogKind, from: number, end: number, f: LogPullFindings) {
  const fromText = new Date(from).toISOString();
  const toText = new Date(end).toISOString();
  const path = `communications/callRecords/${kind.fn}(fromDateTime=${fromText},toDateTime=${toText})`;
  const period = kind.timeProperty === undefined ? { fromKey: toKey(from), toKey: toKey(end) } : undefined;
  const ingest = new CallLogIngest(deps.logs, deps.clock, kind, period, deps.hooks);
  // Every kind from beta: its row types are v1.0's plus properties v1.0 lacks (pstnCallLogRow's otherPartyCountryCode),
  // and the archive keeps every property (its v1.0 functions leave the beta-only ones out again).
  let link: string | undefined = `${deps.graphUrl.replace(/\/+$/, '')}/beta/${path}`;
  while (link !== undefined) {
    if (deps.signal?.aborted === true) throw new GraphRequestError('stopped', undefined);
    const page = await deps.client.get(link, ['app', `record:${kind.fn}`]);
    f.requests++;
    if (!page.found) throw new GraphRequestError(`${kind.fn} answered 404 (${fromText} – ${toText})`, 404);
    const rows = Array.isArray(page.body.value) ? (page.body.value as GraphObject[]) : [];
    f.received += rows.length;
    const outcomes = await ingest.ingest(rows.map((value) => ({ value })));
    for (const o of outcomes) {
      if (o.status === 'inserted' || o.status === 'updated' || o.status === 'unchanged') f[o.status]++;
      else {
        f.rejected++;
        deps.log.warn({ kind: kind.name, id: o.id, reason: o.reason }, 'sync: log row refused');
      }
    }
    const next: unknown = page.body['@odata.nextLink'];
    link = typeof next === 'string' && next !== '' ? next : undefined;
  }
}

/** The sortable UTC key (domain/datetime.ts) of a time. */
function toKey(ms: number): string {
  return toSortableUtc(new Date(ms).toISOString())!;
}
