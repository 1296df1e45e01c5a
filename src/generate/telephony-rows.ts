/**
 * The rows of the telephony logs as the generator writes them, field by field in the order Graph's examples show
 * (https://learn.microsoft.com/graph/api/resources/callrecords-directroutinglogrow and its siblings).
 */
import type { LogKindName } from '../call-logs/log-kinds.js';
import { pickWeighted } from './distributions.js';
import type { SeededRandom } from './seeded-random.js';
import { destinationOf, masked, SIP_OUTCOMES, TRUNKS } from './telephony-values.js';

/** A generated row. */
export type Row = Record<string, unknown>;

/** The user a row belongs to, as a call record's identity gives it. */
export interface User {
  id: string;
  displayName: string;
  userPrincipalName: string;
}

/** Graph's "no time" (the failureDateTime of an established Direct Routing call, the endDateTime of a failed one). */
const NEVER = '0001-01-01T00:00:00Z';
export const SECOND = 1000;

/** A generated row and its log. */
export interface KindRow {
  kind: LogKindName;
  row: Row;
}

/** A Direct Routing row of a call record: its correlationId is the record id; failed calls get their SIP outcome. */
export function directRoutingRow(
  rng: SeededRandom,
  record: Row,
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

/** A Calling Plan (or conferencing) row: charged per started minute at the destination's rate when it goes out. */
export function callingPlanRow(
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

/** An SMS sent or received by the user after a call, the other number masked. */
export function smsRow(
  rng: SeededRandom,
  user: User,
  own: string,
  other: string,
  outbound: boolean,
  after: number,
): Row {
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

/** The user blocked from PSTN calls for heavy usage, and unblocked on the tenant's request hours later. */
export function blockAndUnblock(rng: SeededRandom, user: User, number: string, at: number): KindRow[] {
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

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
