/**
 * The two ends of a media leg: a person's client (a `participantEndpoint` with its network and device) or a Teams
 * service (a `serviceEndpoint` in a datacenter). A side is built once per session and shared by its segments and
 * media, as the same endpoint is in Graph.
 */
import { clientNetwork, serviceNetwork } from './network-info.js';
import { round, type JsonObject } from './graph-values.js';
import type { ClientDevice, Directory, Person } from './directory.js';
import type { ServiceKind } from './user-agents.js';
import type { SeededRandom } from './seeded-random.js';

/** One end of a leg. */
export interface Side {
  endpoint: JsonObject;
  network: JsonObject;
  device: JsonObject;
  /** The chance that an audio stream touching this side is poor. */
  risk: number;
  /** Whether a person is behind it (and so may leave feedback). */
  client: boolean;
}

/** `person` calling from `device` (their computer unless told), somewhere for this session. */
export function clientSide(rng: SeededRandom, person: Person, device: ClientDevice = person.computer): Side {
  const { info, risk } = clientNetwork(rng, person, device);
  return {
    endpoint: {
      '@odata.type': '#microsoft.graph.callRecords.participantEndpoint',
      name: device.name,
      cpuCoresCount: device.cpuCoresCount,
      cpuName: device.cpuName,
      cpuProcessorSpeedInMhz: device.cpuProcessorSpeedInMhz,
      userAgent: device.agent,
      associatedIdentity: {
        id: person.id,
        displayName: person.displayName,
        tenantId: person.tenantId,
        userPrincipalName: person.userPrincipalName,
      },
      feedback: null,
    },
    network: info,
    device: deviceInfo(rng, device),
    risk,
    client: true,
  };
}

/** A Teams service of the given kind. */
export function serviceSide(rng: SeededRandom, directory: Directory, kind: ServiceKind): Side {
  return {
    endpoint: { '@odata.type': '#microsoft.graph.callRecords.serviceEndpoint', userAgent: directory.services[kind] },
    network: serviceNetwork(rng),
    device: SERVICE_DEVICE,
    risk: 0,
    client: false,
  };
}

const SERVICE_DEVICE: JsonObject = {
  captureDeviceName: null,
  captureDeviceDriver: null,
  renderDeviceName: null,
  renderDeviceDriver: null,
};

function deviceInfo(rng: SeededRandom, device: ClientDevice): JsonObject {
  const ratio = (scale: number) => round(rng.next() ** 5 * scale, 4);
  return {
    captureDeviceName: device.captureDeviceName,
    captureDeviceDriver: device.platform === 'windows' ? 'Microsoft: 10.0.22621.2506' : null,
    renderDeviceName: device.renderDeviceName,
    renderDeviceDriver: device.platform === 'windows' ? 'Microsoft: 10.0.22621.2506' : null,
    receivedSignalLevel: rng.int(-40, -10),
    receivedNoiseLevel: rng.int(-85, -55),
    sentSignalLevel: rng.int(-40, -10),
    sentNoiseLevel: rng.int(-85, -55),
    initialSignalLevelRootMeanSquare: round(rng.float(20, 300), 2),
    micGlitchRate: round(rng.next() ** 3 * 40, 2),
    speakerGlitchRate: round(rng.next() ** 3 * 40, 2),
    howlingEventCount: rng.chance(0.01) ? rng.int(1, 3) : 0,
    lowSpeechLevelEventRatio: ratio(0.1),
    lowSpeechToNoiseEventRatio: ratio(0.1),
    renderMuteEventRatio: ratio(0.05),
    renderZeroVolumeEventRatio: 0,
    renderNotFunctioningEventRatio: 0,
    captureNotFunctioningEventRatio: rng.chance(0.005) ? round(rng.float(0.1, 1), 4) : 0,
    deviceClippingEventRatio: ratio(0.02),
    deviceGlitchEventRatio: ratio(0.02),
    cpuInsufficentEventRatio: ratio(0.02),
  };
}
