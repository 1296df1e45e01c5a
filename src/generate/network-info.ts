/**
 * Where a client is during one session, as `networkInfo`: wired or WiFi on an office subnet, WiFi or a cable at home,
 * or a mobile network. Each network comes with its `risk`: the chance that an audio stream over it is poor, which
 * media-streams.ts uses. Wired is safest; WiFi gets worse with a weak signal and on the 2.4 GHz band; mobile is worst
 * (the shape CQD reports show; https://learn.microsoft.com/microsoftteams/stream-classification-in-call-quality-dashboard).
 */
import { pickWeighted } from './distributions.js';
import { isoSeconds, round, type JsonObject } from './graph-values.js';
import type { ClientDevice, Person } from './directory.js';
import type { SeededRandom } from './seeded-random.js';

/** A networkInfo and the chance that an audio stream over it is poor. */
export interface ClientNetwork {
  info: JsonObject;
  risk: number;
}

const RISK_WIRED = 0.012;
const RISK_WIFI = 0.04;
const RISK_WEAK_SIGNAL = 0.12;
const RISK_FAIR_SIGNAL = 0.04;
const RISK_24GHZ = 0.03;
const RISK_MOBILE = 0.13;

/** The network of `person` calling from `device` in one session. */
export function clientNetwork(rng: SeededRandom, person: Person, device: ClientDevice): ClientNetwork {
  const handheld = device.platform === 'iOS' || device.platform === 'android';
  const inOffice = person.site !== undefined && !rng.chance(person.remoteShare);
  if (handheld && (!inOffice || rng.chance(0.3)) && rng.chance(0.55)) return mobileNetwork(rng);
  if (inOffice && person.site !== undefined) {
    const subnet = rng.pick(person.site.subnets);
    const wired = !handheld && (person.kind === 'room' || rng.chance(0.5));
    return wired
      ? wiredNetwork(rng, subnet, person.site.egressIp, 'corp.contoso.com')
      : wifiNetwork(rng, subnet, person.site.egressIp, 'corp.contoso.com', true);
  }
  const homeSubnet = rng.pick(['192.168.1.0', '192.168.0.0', '192.168.178.0', '10.0.0.0']);
  const publicIp = `${rng.pick([73, 86, 92, 176, 81])}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
  return !handheld && rng.chance(0.15)
    ? wiredNetwork(rng, homeSubnet, publicIp, null)
    : wifiNetwork(rng, homeSubnet, publicIp, null, false);
}

/** The network side of a Teams service (conferencing server, gateway, …): a datacenter, always wired. */
export function serviceNetwork(rng: SeededRandom): JsonObject {
  return {
    connectionType: 'wired',
    ipAddress: `52.${rng.int(112, 115)}.${rng.int(0, 255)}.${rng.int(1, 254)}`,
    subnet: null,
    linkSpeed: null,
    port: rng.int(3478, 3481),
    networkTransportProtocol: 'udp',
    wifiBand: 'unknown',
    wifiRadioType: 'unknown',
    traceRouteHops: [],
  };
}

function wiredNetwork(rng: SeededRandom, subnet: string, publicIp: string, dnsSuffix: string | null): ClientNetwork {
  return {
    info: base(rng, {
      connectionType: 'wired',
      subnet,
      publicIp,
      dnsSuffix,
      linkSpeed: rng.chance(0.8) ? 1_000_000_000 : 100_000_000,
    }),
    risk: RISK_WIRED,
  };
}

function wifiNetwork(
  rng: SeededRandom,
  subnet: string,
  publicIp: string,
  dnsSuffix: string | null,
  office: boolean,
): ClientNetwork {
  const band = rng.chance(office ? 0.15 : 0.4) ? 'frequency24GHz' : 'frequency50GHz';
  const radio =
    band === 'frequency24GHz'
      ? rng.pick(['wifi80211n', 'wifi80211g'])
      : pickWeighted(rng, [
          ['wifi80211ax', 45],
          ['wifi80211ac', 45],
          ['wifi80211n', 10],
        ] as const);
  const signal = Math.round(Math.min(100, Math.max(5, office ? 85 - 25 * rng.next() ** 2 : 95 - 70 * rng.next())));
  const speeds: Record<string, number[]> = {
    wifi80211g: [54_000_000],
    wifi80211n: [72_200_000, 144_400_000, 300_000_000],
    wifi80211ac: [433_300_000, 866_700_000],
    wifi80211ax: [600_500_000, 1_201_000_000],
  };
  const info = base(rng, {
    connectionType: 'wifi',
    subnet,
    publicIp,
    dnsSuffix,
    linkSpeed: Math.round(rng.pick(speeds[radio]!) * (0.3 + 0.7 * (signal / 100))),
  });
  Object.assign(info, {
    wifiSignalStrength: signal,
    wifiBand: band,
    wifiRadioType: radio,
    wifiChannel: band === 'frequency24GHz' ? rng.pick([1, 6, 11]) : rng.pick([36, 44, 52, 100, 149]),
    wifiVendorDriver: rng.pick(['Intel(R) Wi-Fi 6E AX211 160MHz', 'Qualcomm Atheros QCA61x4A', 'Realtek 8852AE']),
    wifiVendorDriverVersion: rng.pick(['23.40.0.4', '12.0.0.953', '6001.15.146.0']),
    wifiBatteryCharge: rng.chance(0.6) ? rng.int(8, 100) : null,
    basicServiceSetIdentifier: mac(rng),
  });
  const risk =
    RISK_WIFI +
    (signal < 45 ? RISK_WEAK_SIGNAL : signal < 65 ? RISK_FAIR_SIGNAL : 0) +
    (band === 'frequency24GHz' ? RISK_24GHZ : 0);
  return { info, risk };
}

function mobileNetwork(rng: SeededRandom): ClientNetwork {
  const cgnat = `100.${rng.int(64, 127)}.${rng.int(0, 255)}`;
  return {
    info: base(rng, {
      connectionType: 'mobile',
      subnet: `${cgnat}.0`,
      publicIp: `${rng.pick([172, 174, 208])}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`,
      dnsSuffix: null,
      linkSpeed: null,
    }),
    risk: RISK_MOBILE,
  };
}

interface BaseNetwork {
  connectionType: string;
  subnet: string;
  publicIp: string;
  dnsSuffix: string | null;
  linkSpeed: number | null;
}

function base(rng: SeededRandom, n: BaseNetwork): JsonObject {
  const prefix = n.subnet.slice(0, n.subnet.lastIndexOf('.'));
  const ipAddress = `${prefix}.${rng.int(2, 254)}`;
  return {
    connectionType: n.connectionType,
    ipAddress,
    subnet: n.subnet,
    linkSpeed: n.linkSpeed,
    macAddress: n.connectionType === 'mobile' ? '02:00:00:00:00:00' : mac(rng),
    dnsSuffix: n.dnsSuffix,
    port: rng.int(50_000, 50_059),
    reflexiveIPAddress: n.publicIp,
    relayIPAddress: `52.115.${rng.int(0, 255)}.${rng.int(1, 254)}`,
    relayPort: 3478,
    networkTransportProtocol: rng.chance(0.96) ? 'udp' : 'tcp',
    wifiSignalStrength: null,
    wifiBand: 'unknown',
    wifiRadioType: 'unknown',
    wifiChannel: null,
    wifiBatteryCharge: null,
    wifiMicrosoftDriver: null,
    wifiMicrosoftDriverVersion: null,
    wifiVendorDriver: null,
    wifiVendorDriverVersion: null,
    basicServiceSetIdentifier: null,
    bandwidthLowEventRatio: round(rng.next() ** 4 * 0.1, 4),
    delayEventRatio: round(rng.next() ** 4 * 0.1, 4),
    receivedQualityEventRatio: round(rng.next() ** 4 * 0.1, 4),
    sentQualityEventRatio: round(rng.next() ** 4 * 0.1, 4),
    // Trace routes are off unless Microsoft support enables them (https://learn.microsoft.com/graph/api/resources/callrecords-networkinfo): a few clients have them.
    traceRouteHops: rng.chance(0.08) ? traceRoute(rng, ipAddress) : [],
  };
}

function traceRoute(rng: SeededRandom, from: string): JsonObject[] {
  const hops = rng.int(3, 7);
  let rtt = rng.float(0.001, 0.004);
  return Array.from({ length: hops }, (_, i) => {
    rtt += rng.float(0.001, 0.012);
    const ipAddress =
      i === 0
        ? from.replace(/\.\d+$/, '.1')
        : `${rng.int(62, 213)}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
    return { hopCount: i + 1, ipAddress, roundTripTime: isoSeconds(rtt) };
  });
}

function mac(rng: SeededRandom): string {
  let out = '';
  for (let i = 0; i < 6; i++) {
    // The first octet of a device's address is unicast and globally administered: its two low bits are clear.
    const octet = i === 0 ? rng.int(0, 63) * 4 : rng.int(0, 255);
    out += (i > 0 ? '-' : '') + octet.toString(16).padStart(2, '0').toUpperCase();
  }
  return out;
}
