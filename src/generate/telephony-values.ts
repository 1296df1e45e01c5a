/**
 * The vocabulary of generated telephony rows: SIP outcomes of Direct Routing calls with Microsoft's sub-codes and
 * phrases, session border controllers, Calling Plan rates, and how numbers are shown
 * (https://learn.microsoft.com/graph/api/resources/callrecords-directroutinglogrow,
 * https://learn.microsoft.com/microsoftteams/direct-routing-health-dashboard, RFC 3261 §21).
 */
import type { Weighted } from './distributions.js';

/** A Direct Routing call's end: the final SIP code, Microsoft's sub-code and the phrase. */
export interface SipOutcome {
  code: number;
  subReason: number;
  phrase: string;
  /** Whether the call was established. */
  success: boolean;
}

/** Established calls end with BYE (code 0 in Graph's example); the rest fail with their SIP response. */
export const SIP_OUTCOMES: Weighted<SipOutcome> = [
  [{ code: 0, subReason: 540000, phrase: 'BYE', success: true }, 880],
  [{ code: 487, subReason: 540487, phrase: 'Request Terminated', success: false }, 40],
  [{ code: 486, subReason: 560486, phrase: 'Busy Here', success: false }, 25],
  [{ code: 480, subReason: 560480, phrase: 'Temporarily Unavailable', success: false }, 20],
  [{ code: 404, subReason: 560404, phrase: 'Not Found', success: false }, 10],
  [{ code: 408, subReason: 560408, phrase: 'Request Timeout', success: false }, 10],
  [{ code: 503, subReason: 560503, phrase: 'Service Unavailable', success: false }, 8],
  [{ code: 500, subReason: 500001, phrase: 'Internal Server Error', success: false }, 4],
  [{ code: 403, subReason: 510403, phrase: 'Forbidden', success: false }, 3],
];

/** The tenant's session border controllers (trunks), with the datacenters they signal through. */
export const TRUNKS: Weighted<{ fqdn: string; signaling: string; media: string }> = [
  [{ fqdn: 'sbc1.contoso.com', signaling: 'USWE', media: 'USWE' }, 5],
  [{ fqdn: 'sbc2.contoso.com', signaling: 'USEA', media: 'USEA' }, 3],
  [{ fqdn: 'sbc-emea.contoso.com', signaling: 'EUNO', media: 'EUWE' }, 2],
];

/** A country a call reaches, by number prefix: its name, ISO code and Calling Plan rates (USD per minute). */
export interface Destination {
  prefix: string;
  name: string;
  code: string;
  perMinute: number;
}

/** Destinations of generated numbers: the tenant is in the US, so +1 is domestic. */
export const DESTINATIONS: readonly Destination[] = [
  { prefix: '+1', name: 'United States', code: 'US', perMinute: 0 },
  { prefix: '+44', name: 'United Kingdom', code: 'GB', perMinute: 0.042 },
  { prefix: '+49', name: 'Germany', code: 'DE', perMinute: 0.048 },
  { prefix: '+33', name: 'France', code: 'FR', perMinute: 0.046 },
];

/** The destination of a number (domestic when nothing else matches). */
export function destinationOf(number: string): Destination {
  return DESTINATIONS.slice(1).find((d) => number.startsWith(d.prefix)) ?? DESTINATIONS[0]!;
}

/** A number as Direct Routing logs show the other party's: the last three digits replaced with `*`. */
export function masked(number: string): string {
  return number.length > 6 ? `${number.slice(0, -3)}***` : number;
}

/** A 32-bit FNV-1a hash of a text: a stable seed for the rows of one call, or a stable choice per user. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
