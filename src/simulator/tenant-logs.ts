/**
 * The simulated tenant's telephony logs (issue 14): the rows `generate --logs` makes for the tenant's phone calls,
 * written into the simulator's database, so the archive's own routes serve them as Graph's functions
 * (getPstnCalls, getDirectRoutingCalls, getSmsLog, getPstnBlockedUsersLog, getPstnOnlineMeetingDialoutReport).
 */
import type { Clock } from '../clock.js';
import { CallLogIngest } from '../call-logs/call-log-ingest.js';
import { logKindNamed, type LogKindName } from '../call-logs/log-kinds.js';
import { toSortableUtc } from '../domain/datetime.js';
import { CallLogFactory } from '../generate/call-logs.js';
import type { CallLogStore } from '../storage/roles.js';
import { tenantRecords, type TenantShape } from './tenant-records.js';

const DAY_MS = 86_400_000;
const BATCH = 500;

/** Rows written per kind. */
export type TenantLogCounts = Record<LogKindName, number>;

/**
 * Writes the telephony rows of the tenant `shape` makes (the same calls as `tenantRecords`) into `logs`. The dial-out
 * report is written per UTC day (each day's conference dial-outs summed, stored with that day as its period), so a
 * request over any whole days sums them as Graph does. Rows carry the times their calls were generated with (calls
 * replayed faster under `--speed` keep them). Resolves to the rows written per kind.
 */
export async function loadTenantLogs(logs: CallLogStore, clock: Clock, shape: TenantShape): Promise<TenantLogCounts> {
  const factory = new CallLogFactory(shape.seed);
  const pending = new Map<LogKindName, Record<string, unknown>[]>();
  const counts: TenantLogCounts = {
    pstnCalls: 0,
    directRoutingCalls: 0,
    smsLog: 0,
    pstnBlockedUsersLog: 0,
    pstnOnlineMeetingDialoutReport: 0,
  };
  const flush = async (name: LogKindName, period?: { fromKey: string; toKey: string }) => {
    const rows = pending.get(name) ?? [];
    pending.delete(name);
    if (rows.length === 0) return;
    const outcomes = await new CallLogIngest(logs, clock, logKindNamed(name)!, period).ingest(
      rows.map((value) => ({ value })),
    );
    counts[name] += outcomes.filter((o) => o.status !== 'rejected').length;
  };
  // Conference dial-outs are summed per day by a factory of that day's calls.
  let day: number | undefined;
  let daily = new CallLogFactory(shape.seed);
  const closeDay = async () => {
    if (day === undefined) return;
    pending.set('pstnOnlineMeetingDialoutReport', daily.dialoutReport());
    const period = { fromKey: sortable(day), toKey: sortable(day + DAY_MS) };
    await flush('pstnOnlineMeetingDialoutReport', period);
  };
  const seen = new Set<unknown>();
  const records = [...tenantRecords(shape)].sort((a, b) => startOf(a) - startOf(b));
  for (const record of records) {
    if (seen.has(record.id)) continue;
    seen.add(record.id);
    const recordDay = Math.floor(startOf(record) / DAY_MS) * DAY_MS;
    if (recordDay !== day) {
      await closeDay();
      day = recordDay;
      daily = new CallLogFactory(shape.seed);
    }
    daily.rowsOf(record);
    for (const { kind, row } of factory.rowsOf(record)) {
      if (kind === 'pstnOnlineMeetingDialoutReport') continue;
      const list = pending.get(kind) ?? [];
      list.push(row);
      pending.set(kind, list);
      if (list.length >= BATCH) await flush(kind);
    }
  }
  await closeDay();
  for (const name of [...pending.keys()]) await flush(name);
  return counts;
}

function startOf(record: Record<string, unknown>): number {
  return Date.parse(String(record.startDateTime));
}

/** The sortable UTC key (domain/datetime.ts) of a time. */
function sortable(ms: number): string {
  return toSortableUtc(new Date(ms).toISOString())!;
}
