import { complexType } from './model-schema.js';
import type { StructuredTypeDef } from './model-schema.js';

const V1: ['v1.0'] = ['v1.0'];
const BETA: ['beta'] = ['beta'];

/**
 * The row types returned by the bound functions getDirectRoutingCalls, getPstnCalls and the beta-only
 * getPstnBlockedUsersLog, getPstnOnlineMeetingDialoutReport, getSmsLog (https://learn.microsoft.com/graph/api/callrecords-callrecord-getpstncalls and siblings), in CSDL order.
 * directRoutingLogRow and pstnCallLogRow are declared once per version: in v1.0 they have no base type and declare
 * id/userDisplayName/userId/userPrincipalName themselves, in beta they derive from callLogRow (src/odata/metadata/csdl-callrecords-{v1,beta}.xml).
 */
// Properties both versions declare on the type itself (beta adds a few more of its own).
const DIRECT_ROUTING_COMMON = {
  calleeNumber: 'Edm.String',
  callEndSubReason: 'Edm.Int32',
  callerNumber: 'Edm.String',
  callType: 'Edm.String',
  correlationId: 'Edm.String',
  duration: 'Edm.Int32',
  endDateTime: 'Edm.DateTimeOffset',
  failureDateTime: 'Edm.DateTimeOffset',
  finalSipCode: 'Edm.Int32',
  finalSipCodePhrase: 'Edm.String',
  inviteDateTime: 'Edm.DateTimeOffset',
  mediaBypassEnabled: 'Edm.Boolean',
  mediaPathLocation: 'Edm.String',
  signalingLocation: 'Edm.String',
  startDateTime: 'Edm.DateTimeOffset',
  successfulCall: 'Edm.Boolean',
  trunkFullyQualifiedDomainName: 'Edm.String',
};

const PSTN_CALL_COMMON = {
  callDurationSource: 'pstnCallDurationSource',
  calleeNumber: 'Edm.String',
  callerNumber: 'Edm.String',
  callId: 'Edm.String',
  callType: 'Edm.String',
  charge: 'Edm.Decimal',
  conferenceId: 'Edm.String',
  connectionCharge: 'Edm.Decimal',
  currency: 'Edm.String',
  destinationContext: 'Edm.String',
  destinationName: 'Edm.String',
  duration: 'Edm.Int32',
  endDateTime: 'Edm.DateTimeOffset',
  inventoryType: 'Edm.String',
  licenseCapability: 'Edm.String',
  operator: 'Edm.String',
  startDateTime: 'Edm.DateTimeOffset',
  tenantCountryCode: 'Edm.String',
  usageCountryCode: 'Edm.String',
};

// In v1.0 the rows declare these themselves; in beta they come from callLogRow (the beta CSDL).
const V1_ROW_IDENTITY = {
  id: 'Edm.String',
  userDisplayName: 'Edm.String',
  userId: 'Edm.String',
  userPrincipalName: 'Edm.String',
};

/** The properties in CSDL order: case-insensitive alphabetical. */
function csdlOrder(properties: Record<string, string>): Record<string, string> {
  const names = Object.keys(properties).sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
  return Object.fromEntries(names.map((name) => [name, properties[name]!]));
}

/**
 * The row types returned by the bound functions getDirectRoutingCalls, getPstnCalls and the beta-only
 * getPstnBlockedUsersLog, getPstnOnlineMeetingDialoutReport, getSmsLog (https://learn.microsoft.com/graph/api/callrecords-callrecord-getpstncalls and siblings), in CSDL order.
 * directRoutingLogRow and pstnCallLogRow are declared once per version: in v1.0 they have no base type and declare
 * id/userDisplayName/userId/userPrincipalName themselves, in beta they derive from callLogRow (src/odata/metadata/csdl-callrecords-{v1,beta}.xml).
 */
export const LOG_ROW_TYPES: readonly StructuredTypeDef[] = [
  complexType('directRoutingLogRow', csdlOrder({ ...DIRECT_ROUTING_COMMON, ...V1_ROW_IDENTITY }), { versions: V1 }),
  complexType('pstnCallLogRow', csdlOrder({ ...PSTN_CALL_COMMON, ...V1_ROW_IDENTITY }), { versions: V1 }),
  complexType(
    'callLogRow',
    csdlOrder({
      ...V1_ROW_IDENTITY,
      administrativeUnitInfos: 'Collection(administrativeUnitInfo)',
      otherPartyCountryCode: 'Edm.String',
    }),
    { versions: BETA },
  ),
  complexType(
    'directRoutingLogRow',
    csdlOrder({ ...DIRECT_ROUTING_COMMON, transferorCorrelationId: 'Edm.String', userCountryCode: 'Edm.String' }),
    { base: 'callLogRow', versions: BETA },
  ),
  complexType(
    'pstnBlockedUsersLogRow',
    {
      blockDateTime: 'Edm.DateTimeOffset',
      blockReason: 'Edm.String',
      remediationId: 'Edm.String',
      userBlockMode: 'pstnUserBlockMode',
      userDisplayName: 'Edm.String',
      userId: 'Edm.String',
      userPrincipalName: 'Edm.String',
      userTelephoneNumber: 'Edm.String',
    },
    { versions: BETA },
  ),
  complexType(
    'pstnCallLogRow',
    csdlOrder({
      ...PSTN_CALL_COMMON,
      clientLocalIpV4Address: 'Edm.String',
      clientLocalIpV6Address: 'Edm.String',
      clientPublicIpV4Address: 'Edm.String',
      clientPublicIpV6Address: 'Edm.String',
    }),
    { base: 'callLogRow', versions: BETA },
  ),
  complexType(
    'pstnOnlineMeetingDialoutReport',
    {
      currency: 'Edm.String',
      destinationContext: 'Edm.String',
      totalCallCharge: 'Edm.Decimal',
      totalCalls: 'Edm.Int32',
      totalCallSeconds: 'Edm.Int32',
      usageLocation: 'Edm.String',
      userDisplayName: 'Edm.String',
      userId: 'Edm.String',
      userPrincipalName: 'Edm.String',
    },
    { versions: BETA },
  ),
  complexType(
    'smsLogRow',
    {
      callCharge: 'Edm.Decimal',
      currency: 'Edm.String',
      destinationContext: 'Edm.String',
      destinationName: 'Edm.String',
      destinationNumber: 'Edm.String',
      licenseCapability: 'Edm.String',
      sentDateTime: 'Edm.DateTimeOffset',
      smsId: 'Edm.String',
      smsType: 'Edm.String',
      smsUnits: 'Edm.Int32',
      sourceNumber: 'Edm.String',
      tenantCountryCode: 'Edm.String',
      userCountryCode: 'Edm.String',
    },
    { base: 'callLogRow', versions: BETA },
  ),
];
