import { toSortableUtc } from '../domain/datetime.js';
import { AppError } from '../errors.js';
import type { CallLogStore, RecordStore } from '../storage/roles.js';

/** How long before a call record's start a PSTN row may start and still be taken as the same call (dialling, queues). */
const PSTN_LEAD_MS = 2 * 60_000;
/** The most participants whose PSTN rows are looked up for one record. */
const MAX_PARTICIPANTS = 1000;

/** The telephony rows of one call record (`GET /api/callRecords/{id}/telephony`). */
export interface TelephonyRows {
  callRecordId: string;
  /** Direct Routing rows whose correlationId is the record's id (Graph's own link). */
  directRoutingCalls: unknown[];
  /**
   * Calling Plan / Operator Connect rows of the record's users that started within the call (from two minutes
   * before its start to its end): Graph gives PSTN rows no call record id, so they are matched by user and time.
   */
  pstnCalls: unknown[];
}

/**
 * Joins the telephony logs to call records. A Direct Routing row's `correlationId` is the call record's id
 * (https://learn.microsoft.com/graph/api/resources/callrecords-directroutinglogrow; the record is then
 * `/communications/callRecords/{correlationId}`); a PSTN row carries no such link (its `id` is not a call record id),
 * so it is matched by the record's users and its time.
 */
export class Telephony {
  constructor(
    private readonly records: RecordStore,
    private readonly logs: CallLogStore,
  ) {}

  /** The record's Direct Routing and PSTN rows; NotFound when neither the record nor any row linked to it is stored. */
  async rowsOf(id: string): Promise<TelephonyRows> {
    const directRouting = await this.logs.rowsByLink('direct_routing_logs', id);
    const read = await this.records.readRecord(id, {
      collection: 'participants',
      fromOrdinal: 0,
      limit: MAX_PARTICIPANTS,
    });
    if (read === undefined && directRouting.length === 0) {
      throw new AppError('NotFound', `No call record and no Direct Routing row with the id '${id}' is stored.`);
    }
    const pstn: unknown[] = [];
    if (read !== undefined) {
      const record = JSON.parse(read.json.toString()) as Record<string, unknown>;
      const participants = (read.items ?? []).map((item) => JSON.parse(item.json.toString()) as unknown);
      const start = typeof record.startDateTime === 'string' ? Date.parse(record.startDateTime) : NaN;
      const end = typeof record.endDateTime === 'string' ? record.endDateTime : undefined;
      if (!Number.isNaN(start) && end !== undefined) {
        const fromKey = toSortableUtc(new Date(start - PSTN_LEAD_MS).toISOString())!;
        const toKey = toSortableUtc(end)!;
        for (const userId of userIdsOf(record, participants)) {
          for (const row of await this.logs.rowsByUser('pstn_call_logs', userId, fromKey, toKey)) {
            pstn.push(JSON.parse(row.json));
          }
        }
      }
    }
    return {
      callRecordId: id,
      directRoutingCalls: directRouting.map((r) => JSON.parse(r.json) as unknown),
      pstnCalls: pstn,
    };
  }
}

/** The Entra user ids of a record's organizer and participants (organizer_v2, participants_v2, the deprecated lists). */
function userIdsOf(record: Record<string, unknown>, participants: readonly unknown[]): string[] {
  const ids = new Set<string>();
  const addUser = (identity: unknown) => {
    const user = (identity as { user?: { id?: unknown } } | null | undefined)?.user;
    if (typeof user?.id === 'string' && user.id !== '') ids.add(user.id);
  };
  const addParticipant = (p: unknown) => addUser((p as { identity?: unknown } | null)?.identity);
  addParticipant(record.organizer_v2);
  addUser(record.organizer);
  if (Array.isArray(record.participants)) record.participants.forEach(addUser);
  participants.forEach(addParticipant);
  return [...ids];
}
