import { complexType, entityType } from './model-schema.js';
import type { StructuredTypeDef } from './model-schema.js';

/**
 * The `microsoft.graph` types that call records use: the entity base type, the open identity types
 * and the identity types derived from `graph.identity` that Teams puts in identity sets. They are not part of the
 * callRecords CSDL extracts; their declarations follow the v1.0 Graph metadata (https://learn.microsoft.com/graph/api/resources/communicationsidentityset).
 */
export const GRAPH_TYPES: readonly StructuredTypeDef[] = [
  entityType('graph.entity', { id: 'Edm.String!' }, { abstract: true }),
  complexType('graph.identity', { displayName: 'Edm.String', id: 'Edm.String' }, { open: true }),
  complexType(
    'graph.identitySet',
    { application: 'graph.identity', device: 'graph.identity', user: 'graph.identity' },
    { open: true },
  ),
  complexType(
    'graph.communicationsIdentitySet',
    {
      applicationInstance: 'graph.identity',
      assertedIdentity: 'graph.identity',
      azureCommunicationServicesUser: 'graph.identity',
      encrypted: 'graph.identity',
      endpointType: 'graph.endpointType',
      guest: 'graph.identity',
      onPremises: 'graph.identity',
      phone: 'graph.identity',
    },
    { base: 'graph.identitySet', open: true },
  ),
  complexType(
    'graph.userIdentity',
    { ipAddress: 'Edm.String', userPrincipalName: 'Edm.String' },
    { base: 'graph.identity', open: true },
  ),
  complexType('graph.communicationsUserIdentity', { tenantId: 'Edm.String' }, { base: 'graph.identity', open: true }),
  complexType(
    'graph.communicationsApplicationIdentity',
    { applicationType: 'Edm.String', hidden: 'Edm.Boolean' },
    { base: 'graph.identity', open: true },
  ),
  complexType(
    'graph.communicationsApplicationInstanceIdentity',
    { hidden: 'Edm.Boolean', tenantId: 'Edm.String' },
    { base: 'graph.identity', open: true },
  ),
  complexType('graph.communicationsGuestIdentity', { email: 'Edm.String' }, { base: 'graph.identity', open: true }),
  complexType('graph.communicationsEncryptedIdentity', {}, { base: 'graph.identity', open: true }),
  complexType('graph.communicationsPhoneIdentity', {}, { base: 'graph.identity', open: true }),
  complexType(
    'graph.azureCommunicationServicesUserIdentity',
    { azureCommunicationServicesResourceId: 'Edm.String' },
    { base: 'graph.identity', open: true },
  ),
];
