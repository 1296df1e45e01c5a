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
import { pickWeighted } from './distributions.js';
import { seededRandom, type SeededRandom } from './seeded-random.js';
import { destinationOf, hash32, masked, SIP_OUTCOMES, TRUNKS } from './telephony-values.js';

type Row = Record<string, unknown>;
type Json = Record<string, unknown>;

/** One generated log row and the log it belongs to. */
export interface GeneratedLogRow {
  kind: LogKindName;
  row: Row;
}

interface User {
  id: string;
  displayName: string;
  userPrincipalName: string;
}

const NEVER = '0001-01-01T00:00:00Z';
const SECOND = 1000;
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

function directRoutingRow(
  rng: SeededRandom,
  record: Json,
  user: User,
  caller: string,
  callee: string,
  outbound: boolean,
  start: number,
  end: number,
): Row {
  const outcome = pickWeighted(rng, SIP_OUTCOMES);
  const trunk = pickWeighted(rng, TRUNKS);
  const invite = start - rng.int(800, 4000);
  const failure = start + rng.int(1, 30) * SECOND;
  return {
    id: rng.guid(),
    correlationId: record.id,
    userId: user.id,
    userPrincipalName: user.userPrincipalName,
    userDisplayName: user.displayName,
    startDateTime: iso(start),
    inviteDateTime: iso(invite),
    failureDateTime: outcome.success ? NEVER : iso(failure),
    endDateTime: outcome.success ? iso(end) : NEVER,
    duration: outcome.success ? Math.round((end - start) / SECOND) : 0,
    callType: outbound ? 'ByotOut' : 'ByotIn',
    successfulCall: outcome.success,
    callerNumber: outbound ? caller : masked(caller),
    calleeNumber: outbound ? masked(callee) : callee,
    mediaPathLocation: trunk.media,
    signalingLocation: trunk.signaling,
    finalSipCode: outcome.code,
    callEndSubReason: outcome.subReason,
    finalSipCodePhrase: outcome.phrase,
    trunkFullyQualifiedDomainName: trunk.fqdn,
    mediaBypassEnabled: rng.chance(0.3),
    userCountryCode: 'US',
    otherPartyCountryCode: destinationOf(outbound ? callee : caller).code,
  };
}

function callingPlanRow(
  rng: SeededRandom,
  user: User | undefined,
  caller: string,
  callee: string,
  callType: string,
  start: number,
  end: number,
): Row {
  const out = callType.endsWith('_out');
  const destination = destinationOf(out ? callee : caller);
  const duration = Math.max(1, Math.round((end - start) / SECOND));
  const charge = out ? Math.round(Math.ceil(duration / 60) * destination.perMinute * 100) / 100 : 0;
  return {
    id: rng.guid(),
    callId: `${rng.digits(10)}_${rng.digits(9)}@${rng.int(20, 200)}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`,
    userId: user?.id ?? null,
    userPrincipalName: user?.userPrincipalName ?? null,
    userDisplayName: user?.displayName ?? null,
    startDateTime: iso(start),
    endDateTime: iso(end),
    duration,
    charge,
    callType,
    currency: 'USD',
    calleeNumber: callee,
    usageCountryCode: 'US',
    tenantCountryCode: 'US',
    connectionCharge: out && destination.code !== 'US' ? 0.02 : 0,
    callerNumber: caller,
    destinationContext: out ? (destination.code === 'US' ? 'Domestic' : 'International') : null,
    destinationName: destination.name,
    conferenceId: null,
    licenseCapability: destination.code === 'US' ? 'MCOPSTN1' : 'MCOPSTN2',
    inventoryType: 'Subscriber',
    operator: 'Microsoft',
    callDurationSource: 'microsoft',
    otherPartyCountryCode: destination.code,
  };
}

function smsRow(rng: SeededRandom, user: User, own: string, other: string, outbound: boolean, after: number): Row {
  const destination = destinationOf(other);
  return {
    id: rng.guid(),
    smsId: rng.guid(),
    userId: user.id,
    userPrincipalName: user.userPrincipalName,
    userDisplayName: user.displayName,
    userCountryCode: 'US',
    tenantCountryCode: 'US',
    sourceNumber: outbound ? own : masked(other),
    destinationNumber: outbound ? masked(other) : own,
    sentDateTime: iso(after + rng.int(10, 1800) * SECOND),
    callCharge: outbound && destination.code !== 'US' ? 0.05 : 0,
    currency: 'USD',
    smsType: outbound ? 'sms_out' : 'sms_in',
    destinationContext: destination.code === 'US' ? 'Domestic' : 'International',
    destinationName: destination.name,
    otherPartyCountryCode: destination.code,
    licenseCapability: 'MCOSMS1',
    smsUnits: rng.chance(0.15) ? 2 : 1,
  };
}

function blockAndUnblock(rng: SeededRandom, user: User, number: string, at: number): GeneratedLogRow[] {
  const base = { userId: user.id, userPrincipalName: user.userPrincipalName, userDisplayName: user.displayName };
  const blocked = at + rng.int(60, 3600) * SECOND;
  return [
    {
      kind: 'pstnBlockedUsersLog',
      row: {
        ...base,
        blockDateTime: iso(blocked),
        userTelephoneNumber: number,
        userBlockMode: 'blocked',
        blockReason: 'High Overall Usage',
        remediationId: rng.guid(),
      },
    },
    {
      kind: 'pstnBlockedUsersLog',
      row: {
        ...base,
        blockDateTime: iso(blocked + rng.int(4, 48) * 3600 * SECOND),
        userTelephoneNumber: number,
        userBlockMode: 'unblocked',
        blockReason: 'Tenant Requested',
        remediationId: rng.guid(),
      },
    },
  ];
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

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
