import type { Building } from './building-file.js';
import type { BuildingMap } from './building-map.js';
import { int, obj, str, type Json } from './stream-values.js';

/** A column value. */
export type Cell = string | number | null;

/**
 * The columns of one endpoint, in table order, without the `sender_`/`receiver_` prefix (stream-columns.ts lists them
 * prefixed in the same order; stream-rows.ts checks it when loaded).
 */
export const ENDPOINT_FIELDS = [
  'role',
  'kind',
  'user_id',
  'user_name',
  'platform',
  'product_family',
  'client_version',
  'service_role',
  'user_agent',
  'feedback_rating',
  'capture_device',
  'render_device',
  'connection_type',
  'wifi_band',
  'wifi_channel',
  'wifi_signal_strength',
  'wifi_radio_type',
  'subnet',
  'ip_address',
  'reflexive_ip_address',
  'vpn',
  'link_speed',
  'building',
  'network_name',
  'city',
  'state',
  'country',
  'region',
  'inside_corp',
  'express_route',
  'building_vpn',
] as const;

/** One side of a segment (`caller` or `callee`) as the stream table describes it. */
export interface EndpointSide {
  role: 'caller' | 'callee';
  server: boolean;
  /** The values of ENDPOINT_FIELDS, in order. */
  values: Cell[];
  connectionType: string | null;
}

/**
 * One endpoint of a segment: who, with which user agent
 * (https://learn.microsoft.com/graph/api/resources/callrecords-clientuseragent), device and network
 * (https://learn.microsoft.com/graph/api/resources/callrecords-networkinfo), and the building its network is in.
 */
export function endpointSide(
  role: 'caller' | 'callee',
  endpoint: Json | undefined,
  device: Json | undefined,
  network: Json | undefined,
  buildings: BuildingMap,
): EndpointSide {
  const agent = obj(endpoint?.userAgent);
  const type = `${str(endpoint?.['@odata.type']) ?? ''} ${str(agent?.['@odata.type']) ?? ''}`;
  const server = type.includes('serviceEndpoint') || type.includes('serviceUserAgent');
  const identity = obj(endpoint?.associatedIdentity) ?? obj(obj(endpoint?.identity)?.user);
  const subnet = str(network?.subnet);
  const ipAddress = str(network?.ipAddress);
  const connectionType = str(network?.connectionType);
  const values: Cell[] = [
    role,
    endpoint === undefined ? null : server ? 'server' : 'client',
    str(identity?.id),
    str(identity?.displayName),
    str(agent?.platform),
    str(agent?.productFamily),
    str(agent?.applicationVersion),
    str(agent?.role),
    str(agent?.headerValue),
    str(obj(endpoint?.feedback)?.rating),
    str(device?.captureDeviceName),
    str(device?.renderDeviceName),
    connectionType,
    str(network?.wifiBand),
    int(network?.wifiChannel),
    int(network?.wifiSignalStrength),
    str(network?.wifiRadioType),
    subnet,
    ipAddress,
    str(network?.reflexiveIPAddress),
    network === undefined ? null : connectionType === 'tunnel' ? 1 : 0,
    int(network?.linkSpeed),
    ...buildingValues(buildings.find(subnet, ipAddress)),
  ];
  return { role, server, values, connectionType };
}

const NO_BUILDING: readonly Cell[] = [null, null, null, null, null, null, null, null, null];

/** The building columns (BUILDING_FIELDS order) for a building, all null for none. */
export function buildingValues(b: Building | undefined): readonly Cell[] {
  if (b === undefined) return NO_BUILDING;
  return [
    b.buildingName,
    b.networkName,
    b.city,
    b.state,
    b.country,
    b.region,
    b.insideCorp ? 1 : 0,
    b.expressRoute ? 1 : 0,
    b.vpn ? 1 : 0,
  ];
}
