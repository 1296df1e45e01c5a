import type { Building } from './building-file.js';
import type { BuildingMap } from './building-map.js';
import { flag, int, obj, str, type Json } from './stream-values.js';

/** One side of a segment (`caller` or `callee`) as the stream table describes it. */
export interface EndpointSide {
  role: 'caller' | 'callee';
  server: boolean;
  values: Record<string, string | number | null>;
  connectionType: string | null;
}

/**
 * The columns (without the `sender_`/`receiver_` prefix) of one endpoint of a segment: who, with which user agent
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
  const values: Record<string, string | number | null> = {
    role,
    kind: endpoint === undefined ? null : server ? 'server' : 'client',
    user_id: str(identity?.id),
    user_name: str(identity?.displayName),
    platform: str(agent?.platform),
    product_family: str(agent?.productFamily),
    client_version: str(agent?.applicationVersion),
    service_role: str(agent?.role),
    user_agent: str(agent?.headerValue),
    feedback_rating: str(obj(endpoint?.feedback)?.rating),
    capture_device: str(device?.captureDeviceName),
    render_device: str(device?.renderDeviceName),
    connection_type: connectionType,
    wifi_band: str(network?.wifiBand),
    wifi_channel: int(network?.wifiChannel),
    wifi_signal_strength: int(network?.wifiSignalStrength),
    wifi_radio_type: str(network?.wifiRadioType),
    subnet,
    ip_address: ipAddress,
    reflexive_ip_address: str(network?.reflexiveIPAddress),
    vpn: network === undefined ? null : connectionType === 'tunnel' ? 1 : 0,
    link_speed: int(network?.linkSpeed),
    ...buildingValues(buildings.find(subnet, ipAddress)),
  };
  return { role, server, values, connectionType };
}

/** The building columns (unprefixed) for a building, all null for none. */
export function buildingValues(b: Building | undefined): Record<string, string | number | null> {
  return {
    building: b?.buildingName ?? null,
    network_name: b?.networkName ?? null,
    city: b?.city ?? null,
    state: b?.state ?? null,
    country: b?.country ?? null,
    region: b?.region ?? null,
    inside_corp: b === undefined ? null : flag(b.insideCorp),
    express_route: b === undefined ? null : flag(b.expressRoute),
    building_vpn: b === undefined ? null : flag(b.vpn),
  };
}
