import { STREAM_COLUMNS } from '../../analytics/stream-columns.js';
import {
  MAX_CALL_PARTICIPANTS,
  type CallParticipant,
  type CallSummary,
  type NamedStream,
} from '../call-search-types.js';
import type { SUMMARY_COLUMNS } from './call-search-sql.js';

/** A row of `pageStreamsSql`. */
export type SummaryRow = Record<(typeof SUMMARY_COLUMNS)[number], string | number | null>;

/**
 * The summaries of a page's calls, in the page's order, from their stream rows (by call, in stream order). Made here
 * rather than in SQL so that both stores answer with the same code: the counts are those of the analytics measures
 * (docs/analytics.md, "Measures"): `poorStreams` Poor streams, `failures` distinct segments with failureInfo.
 */
export function callSummaries(calls: readonly { startKey: string; id: string }[], rows: readonly SummaryRow[]) {
  const byCall = new Map<string, SummaryRow[]>();
  for (const row of rows) {
    const id = String(row.record_id);
    const list = byCall.get(id);
    if (list === undefined) byCall.set(id, [row]);
    else list.push(row);
  }
  return calls.map((call) => summaryOf(call, byCall.get(call.id) ?? []));
}

function summaryOf(call: { startKey: string; id: string }, rows: readonly SummaryRow[]): CallSummary {
  const failures = new Set<string>();
  let poorStreams = 0;
  let poor = false;
  for (const row of rows) {
    if (row.classification === 'Poor') poorStreams++;
    if (Number(row.call_poor) === 1) poor = true;
    if ((row.segment_failure_stage ?? row.session_failure_stage) !== null) {
      failures.add(JSON.stringify([row.session_id, row.segment_id]));
    }
  }
  return {
    id: call.id,
    startKey: call.startKey,
    callType: (rows[0]?.call_type ?? null) as string | null,
    participants: participantsOf(rows),
    streams: rows.length,
    poorStreams,
    poor,
    failures: failures.size,
  };
}

/**
 * The users of a call's streams (sender, then receiver, stream by stream), each once, in order of first appearance,
 * with the last display name the rows give it: a later stream carries the name as Graph last reported it.
 */
function participantsOf(rows: readonly SummaryRow[]): CallParticipant[] {
  const names = new Map<string, string | null>();
  for (const row of rows) {
    for (const [id, name] of [
      [row.sender_user_id, row.sender_user_name],
      [row.receiver_user_id, row.receiver_user_name],
    ] as const) {
      if (id === null) continue;
      const key = String(id);
      if (!names.has(key) && names.size >= MAX_CALL_PARTICIPANTS) continue;
      if (name !== null || !names.has(key)) names.set(key, name === null ? null : String(name));
    }
  }
  return [...names].map(([id, displayName]) => ({ id, displayName }));
}

/** A stored stream row under its documented names, values of their documented kinds (numbers as numbers). */
export function namedStream(row: Record<string, unknown>): NamedStream {
  const named: NamedStream = {};
  for (const column of STREAM_COLUMNS) {
    const value = row[column.column];
    named[column.name] =
      value === null || value === undefined ? null : column.kind === 'text' ? String(value) : Number(value);
  }
  return named;
}
