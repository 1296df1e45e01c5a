import { createHash } from 'node:crypto';
import { toSortableUtc } from '../domain/datetime.js';
import type { LogRowWrite } from '../storage/call-log-types.js';
import type { LogKind } from './log-kinds.js';

/** The period a dial-out report covers, as sortable UTC keys. */
export interface ReportPeriod {
  fromKey: string;
  toKey: string;
}

/**
 * What the store keeps of a validated row: its key, the time its function filters on, the keys of the joins, and its
 * JSON text. The key is the row's `id` (a GUID Graph gives each row of the PSTN, Direct Routing and SMS logs; callId
 * and smsId are documented as not unique) and, for a row without one (blocked users, dial-out reports, or a row sent
 * without its id), `sha256:` and the hash of its content in a canonical form (keys sorted) — the same row twice is
 * stored once either way. A report's key includes its period.
 */
export function toLogRowWrite(kind: LogKind, row: Record<string, unknown>, period?: ReportPeriod): LogRowWrite {
  const json = JSON.stringify(row);
  const id = kind.hasId && typeof row.id === 'string' ? row.id : undefined;
  const rowKey = id ?? `sha256:${contentHash(row, period)}`;
  const timeKey = logTimeKey(kind, row, period);
  const write: LogRowWrite = { rowKey, timeKey, json };
  if (period !== undefined && kind.timeProperty === undefined) write.periodEndKey = period.toKey;
  if (kind.name === 'directRoutingCalls' && typeof row.correlationId === 'string') write.linkKey = row.correlationId;
  if (typeof row.userId === 'string' && row.userId !== '') write.userId = row.userId;
  return write;
}

/** The sortable UTC key of the time a row is filed under: its kind's time property, or a report's period start. */
export function logTimeKey(kind: LogKind, row: Record<string, unknown>, period?: ReportPeriod): string {
  return kind.timeProperty === undefined ? period!.fromKey : toSortableUtc(row[kind.timeProperty] as string)!;
}

function contentHash(row: Record<string, unknown>, period: ReportPeriod | undefined): string {
  const hash = createHash('sha256').update(canonical(row));
  if (period !== undefined) hash.update(`\u0000${period.fromKey}\u0000${period.toKey}`);
  return hash.digest('hex');
}

/** JSON with every object's keys sorted, so two spellings of one row hash alike. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}
