/**
 * Telephony log rows for generated call records: each phone call between an employee and a number gets the row the
 * real service would log — a Direct Routing row (its `correlationId` is the call record's id) for employees homed on
 * the tenant's SBCs, a Calling Plan row for the others — and meetings with phones get conferencing dial-in/dial-out
 * rows, summed into the audio-conferencing dial-out report. Some calls are followed by an SMS, and now and then a
 * user with heavy usage is blocked from PSTN calls and unblocked later. The rows of one call are drawn
 * from a source seeded by the call's id, so the call records themselves are exactly those `generate` makes without
 * logs.
 */
import type { LogKindName } from '../call-logs/log-kinds.js';
import { seededRandom, type SeededRandom } from './seeded-random.js';
import {
  blockAndUnblock,
  callingPlanRow,
  directRoutingRow,
  SECOND,
  smsRow,
  type Row,
  type User,
} from './telephony-rows.js';
import { hash32 } from './telephony-values.js';

type Json = Record<string, unknown>;

/** One generated log row and the log it belongs to. */
export interface GeneratedLogRow {
  kind: LogKindName;
  row: Row;
}

/** The share of employees homed on Direct Routing (by a stable hash of their id); the rest have Calling Plans. */
const DIRECT_ROUTING_SHARE = 0.6;

/**
 * Draws the log rows of generated call records, one record at a time (`rowsOf`), and the dial-out report of all of
 * them at the end (`dialoutReport`).
 */
export class CallLogFactory {
  private readonly dialout = new Map<string, Row>();
  private readonly blocked = new Set<string>();

  constructor(private readonly seed: number) {}

  /** The rows one call record brings: none for a call without a phone. */
  rowsOf(record: Json): GeneratedLogRow[] {
    const participants = (record.participants_v2 as Json[] | undefined) ?? [];
    const phones = participants.filter((p) => phoneOf(p) !== undefined);
    if (phones.length === 0) return [];
    const rng = seededRandom((hash32(String(record.id)) ^ this.seed) >>> 0);
    if (record.type === 'peerToPeer') {
      const user = participants.map(userOf).find((u) => u !== undefined);
      if (user === undefined) return [];
      const outbound = userOf(participants[0]!) !== undefined;
      return this.phoneCall(rng, record, user, phoneOf(phones[0]!)!, outbound);
    }
    const organizer = userOf(record.organizer_v2 as Json);
    return phones.map((p) => this.conference(rng, record, organizer, phoneOf(p)!));
  }

  /** The audio-conferencing dial-out report over every conference dial-out drawn so far. */
  dialoutReport(): Row[] {
    return [...this.dialout.values()];
  }

  private phoneCall(rng: SeededRandom, record: Json, user: User, other: string, outbound: boolean): GeneratedLogRow[] {
    const own = didOf(user);
    const [caller, callee] = outbound ? [own, other] : [other, own];
    const start = Date.parse(String(record.startDateTime));
    const end = Date.parse(String(record.endDateTime));
    const rows: GeneratedLogRow[] = [];
    if ((hash32(user.id) % 1000) / 1000 < DIRECT_ROUTING_SHARE) {
      rows.push({
        kind: 'directRoutingCalls',
        row: directRoutingRow(rng, record, user, caller, callee, outbound, start, end),
      });
    } else {
      rows.push({
        kind: 'pstnCalls',
        row: callingPlanRow(rng, user, caller, callee, outbound ? 'user_out' : 'user_in', start, end),
      });
      // A sixth of Calling Plan users run up heavy usage: blocked after their first call out, unblocked later.
      if (outbound && hash32(`${user.id}:heavy`) % 6 === 0 && !this.blocked.has(user.id)) {
        this.blocked.add(user.id);
        rows.push(...blockAndUnblock(rng, user, own, end));
      }
    }
    if (rng.chance(outbound ? 0.2 : 0.08))
      rows.push({ kind: 'smsLog', row: smsRow(rng, user, own, other, outbound, end) });
    return rows;
  }

  private conference(rng: SeededRandom, record: Json, organizer: User | undefined, phone: string): GeneratedLogRow {
    const dialOut = organizer !== undefined && rng.chance(0.4);
    const start = Date.parse(String(record.startDateTime)) + rng.int(0, 300) * SECOND;
    const end = Math.max(start + 30 * SECOND, Date.parse(String(record.endDateTime)) - rng.int(0, 600) * SECOND);
    const bridge = '+18005550100';
    const row = callingPlanRow(
      rng,
      organizer,
      dialOut ? bridge : phone,
      dialOut ? phone : bridge,
      dialOut ? 'conf_out' : 'conf_in',
      start,
      end,
    );
    row.conferenceId = String(hash32(String(record.id)) % 1_000_000_000).padStart(9, '0');
    row.licenseCapability = 'MCOMEETADV';
    if (!dialOut) Object.assign(row, { userId: null, userPrincipalName: null, userDisplayName: null, charge: 0 });
    else this.countDialout(organizer!, row);
    return { kind: 'pstnCalls', row };
  }

  private countDialout(user: User, call: Row): void {
    const context = call.destinationContext as string;
    const key = `${user.id}|${context}`;
    const sum = this.dialout.get(key) ?? {
      userId: user.id,
      userPrincipalName: user.userPrincipalName,
      userDisplayName: user.displayName,
      usageLocation: 'US',
      destinationContext: context,
      currency: 'USD',
      totalCalls: 0,
      totalCallCharge: 0,
      totalCallSeconds: 0,
    };
    sum.totalCalls = (sum.totalCalls as number) + 1;
    sum.totalCallSeconds = (sum.totalCallSeconds as number) + (call.duration as number);
    sum.totalCallCharge = Math.round(((sum.totalCallCharge as number) + (call.charge as number)) * 100) / 100;
    this.dialout.set(key, sum);
  }
}

function userOf(participant: Json | undefined): User | undefined {
  const user = (participant?.identity as { user?: User } | undefined)?.user;
  return user?.id === undefined ? undefined : user;
}

function phoneOf(participant: Json): string | undefined {
  const phone = (participant.identity as { phone?: { id?: string } } | undefined)?.phone;
  return phone?.id;
}

/** An employee's own number (DID), stable per user. */
function didOf(user: User): string {
  return `+1425706${String(hash32(user.id) % 10_000).padStart(4, '0')}`;
}
