/**
 * End-user identifiable information (EUII) in the telephony log rows (src/call-logs/), and how it is removed. The
 * properties come from the row types (https://learn.microsoft.com/graph/api/resources/callrecords-pstncalllogrow,
 * callrecords-directroutinglogrow, callrecords-smslogrow, callrecords-pstnblockeduserslogrow and
 * callrecords-pstnonlinemeetingdialoutreport, v1.0 and beta); docs/privacy.md lists the same with what is kept.
 *
 * As for records (euii.ts), removing means setting the property to `null` (every one is nullable in the CSDL), and the
 * user's id is kept (pseudonymous, as CQD keeps object ids); `purge --user` replaces it.
 */

/** Properties removed from a log row of any kind, wherever the row type declares them. */
export const LOG_EUII = [
  // Names (every kind).
  'userPrincipalName',
  'userDisplayName',
  // Phone numbers: PSTN and Direct Routing calls, SMS, blocked users.
  'callerNumber',
  'calleeNumber',
  'sourceNumber',
  'destinationNumber',
  'userTelephoneNumber',
  // The client's addresses of a beta pstnCallLogRow.
  'clientLocalIpV4Address',
  'clientLocalIpV6Address',
  'clientPublicIpV4Address',
  'clientPublicIpV6Address',
  // A SIP Call-ID: Graph's examples carry the SIP host's address ("1835317186_112467527@61.221.3.176").
  'callId',
] as const;

/**
 * Removes the EUII from a log row object in place and returns it. Idempotent: a row scrubbed on write and the same
 * row scrubbed in storage serialise alike, so a row received again after the purge is `unchanged`.
 */
export function scrubLogRow<T extends Record<string, unknown>>(row: T): T {
  const object = row as Record<string, unknown>;
  for (const name of LOG_EUII) {
    if (object[name] !== undefined && object[name] !== null) object[name] = null;
  }
  return row;
}
