import type { Clock } from '../clock.js';
import type { RuntimeLog } from '../runtime/runtime.js';
import type { HistoryStore, SyncStateStore } from '../storage/roles.js';
import type { EnqueueItem, FetchReason } from '../storage/sync-state.js';
import type { GraphClient, GraphObject } from './graph-client.js';
import { GraphRequestError } from './graph-client.js';

/** Graph keeps call records for 30 days (spec §12); a sweep never asks for older ones. */
export const GRAPH_RETENTION_MS = 30 * 24 * 60 * 60_000;
/**
 * The span of one List query's `$filter` window: the cursor advances by this much at most. Six hours: a 30-day
 * backfill is 120 windows, three 20 s budgets of List requests (40 each) beside the pages themselves.
 */
export const SWEEP_WINDOW_MS = 6 * 60 * 60_000;

/** What one sweep found: how many records Graph listed, and how many it queued (missing, newer, partial here). */
export interface SweepFindings {
  from: string;
  to: string;
  startedAt: string;
  finishedAt: string;
  listed: number;
  missing: number;
  newer: number;
  partial: number;
  queued: number;
}

/** What a sweep works with. */
export interface SweepDeps {
  sync: SyncStateStore;
  history: HistoryStore;
  client: GraphClient;
  clock: Clock;
  log: RuntimeLog;
  signal?: AbortSignal | undefined;
}

/**
 * Lists `/communications/callRecords` for startDateTime in [from, to) in windows of SWEEP_WINDOW_MS
 * (`$filter=startDateTime ge … and startDateTime lt …`; https://learn.microsoft.com/graph/api/callrecords-cloudcommunications-list-callrecords),
 * follows every `@odata.nextLink`, and queues each listed record the archive lacks, holds at a lower version (or the
 * same version with an older lastModifiedDateTime), or holds only partially. After each window `onWindow` is told
 * where the sweep got to (the caller keeps that as its cursor). Resolves to the findings.
 */
export async function sweepRange(
  deps: SweepDeps,
  range: { from: number; to: number; reason: FetchReason },
  onWindow: (next: number) => Promise<boolean>,
): Promise<SweepFindings> {
  const startedAt = deps.clock.now().toISOString();
  const findings = { listed: 0, missing: 0, newer: 0, partial: 0, queued: 0 };
  for (let start = range.from; start < range.to;) {
    if (deps.signal?.aborted === true) break;
    const end = Math.min(range.to, start + SWEEP_WINDOW_MS);
    const filter = `startDateTime ge ${iso(start)} and startDateTime lt ${iso(end)}`;
    let link: string | undefined = `communications/callRecords?$filter=${encodeURIComponent(filter)}`;
    while (link !== undefined) {
      const page = await deps.client.get(link, ['app', 'list']);
      if (!page.found) throw new GraphRequestError(`List call records answered 404 (${filter})`, 404);
      const listed = Array.isArray(page.body.value) ? (page.body.value as GraphObject[]) : [];
      findings.listed += listed.length;
      const items: EnqueueItem[] = [];
      for (const entry of listed) {
        const why = await whyFetch(deps.history, entry);
        if (why === undefined) continue;
        findings[why]++;
        const version = typeof entry.version === 'number' ? entry.version : undefined;
        items.push({ id: String(entry.id), reason: range.reason, knownVersion: version });
      }
      if (items.length > 0) await deps.sync.enqueue(items, deps.clock.now().getTime());
      findings.queued += items.length;
      const next: unknown = page.body['@odata.nextLink'];
      link = typeof next === 'string' && next !== '' ? next : undefined;
    }
    start = end;
    if (!(await onWindow(end))) break;
  }
  return {
    from: iso(range.from),
    to: iso(range.to),
    startedAt,
    finishedAt: deps.clock.now().toISOString(),
    ...findings,
  };
}

/** Why a listed record must be fetched (`missing`, `newer`, `partial`), or undefined when the archive has it. */
async function whyFetch(
  history: HistoryStore,
  listed: GraphObject,
): Promise<'missing' | 'newer' | 'partial' | undefined> {
  if (typeof listed.id !== 'string' || listed.id === '') return undefined;
  const current = (await history.listVersions(listed.id)).find((v) => v.current);
  if (current === undefined) return 'missing';
  const version = typeof listed.version === 'number' ? listed.version : undefined;
  if (version !== undefined && version > current.version) return 'newer';
  const modified = typeof listed.lastModifiedDateTime === 'string' ? Date.parse(listed.lastModifiedDateTime) : NaN;
  if (version === current.version && modified > Date.parse(current.lastModifiedDateTime)) return 'newer';
  return current.partial !== undefined ? 'partial' : undefined;
}

/** A time as Graph's $filter takes it: an unquoted DateTimeOffset in UTC. */
function iso(ms: number): string {
  return new Date(ms).toISOString();
}
