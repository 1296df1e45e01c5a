/**
 * The names a telephony analytics query may use (`GET /api/analytics/telephony`, docs/analytics.md "Telephony"): the
 * dimensions and measures over the archived PSTN (Calling Plan, Operator Connect) and Direct Routing logs
 * (https://learn.microsoft.com/graph/api/resources/callrecords-pstncalllogrow,
 * https://learn.microsoft.com/graph/api/resources/callrecords-directroutinglogrow). What each name is in SQL is the
 * storage layer's business (src/storage/sql/telephony-sql.ts).
 */

/** How a telephony dimension's values look: text, a `yyyy-mm-dd` date, a number or a flag. */
export type TelephonyDimensionType = 'text' | 'date' | 'number' | 'boolean';

/** The dimensions, with their type and what they are. */
export const TELEPHONY_DIMENSIONS = {
  source: { type: 'text', about: 'which log the row is from: pstn (Calling Plan, Operator Connect) or directRouting' },
  day: { type: 'date', about: 'the UTC day the call started (yyyy-mm-dd)' },
  week: { type: 'date', about: 'the Monday of the ISO week the call started in (yyyy-mm-dd)' },
  month: { type: 'text', about: 'the month the call started in (yyyy-mm)' },
  user: { type: 'text', about: 'the userId of the row (Entra object id)' },
  userPrincipalName: { type: 'text', about: 'the userPrincipalName of the row' },
  country: {
    type: 'text',
    about: "the user's country: usageCountryCode (PSTN), userCountryCode (Direct Routing, beta)",
  },
  callType: { type: 'text', about: 'the callType as Graph gives it (user_in, ucap_out, ByotIn, …)' },
  direction: { type: 'text', about: 'inbound or outbound, read from the end of callType (…in / …out); else null' },
  trunk: { type: 'text', about: 'the SBC’s trunkFullyQualifiedDomainName (Direct Routing; null for PSTN)' },
  sipCode: { type: 'number', about: 'the finalSipCode (Direct Routing; null for PSTN)' },
  sipPhrase: { type: 'text', about: 'the finalSipCodePhrase (Direct Routing; null for PSTN)' },
  successful: { type: 'boolean', about: 'the successfulCall flag (Direct Routing; null for PSTN)' },
  currency: { type: 'text', about: 'the currency of the charge (PSTN; null for Direct Routing)' },
  hasCallRecord: {
    type: 'boolean',
    about: 'whether a call record whose id is the row’s correlationId is archived (Direct Routing; null for PSTN)',
  },
} as const satisfies Record<string, { type: TelephonyDimensionType; about: string }>;

/** A telephony dimension's name. */
export type TelephonyDimension = keyof typeof TELEPHONY_DIMENSIONS;

/** Names a filter accepts beside the dimensions: `date` is the day, `userId` the user (as in the call-quality API). */
export const TELEPHONY_FILTER_ALIASES: Readonly<Record<string, TelephonyDimension>> = { date: 'day', userId: 'user' };

/** The measures, with what they count. */
export const TELEPHONY_MEASURES = {
  calls: 'log rows (calls and call attempts)',
  users: 'distinct userIds',
  successfulCalls: 'Direct Routing rows with successfulCall true',
  failedCalls: 'Direct Routing rows with successfulCall false',
  successRate: 'successfulCalls × 100 / (successfulCalls + failedCalls); null when no row has the flag',
  minutes: 'sum of duration (seconds) / 60',
  avgMinutes: 'average duration in minutes, over the rows that have one',
  charge: 'sum of charge (PSTN); null when no row has one — group or filter by currency, sums do not convert',
} as const;

/** A telephony measure's name. */
export type TelephonyMeasure = keyof typeof TELEPHONY_MEASURES;

/** Whether `name` is a telephony dimension. */
export function isTelephonyDimension(name: string): name is TelephonyDimension {
  return Object.hasOwn(TELEPHONY_DIMENSIONS, name);
}

/** Whether `name` is a telephony measure. */
export function isTelephonyMeasure(name: string): name is TelephonyMeasure {
  return Object.hasOwn(TELEPHONY_MEASURES, name);
}
