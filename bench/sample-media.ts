/**
 * The media part of generated call records (bench/sample-data.ts): one `media` entry per label, with the caller's and
 * callee's network and device and two streams (one per direction) carrying plausible quality metrics, shaped like the
 * `microsoft.graph.callRecords.media` objects Graph returns (all properties present, the ones that do not apply null).
 */
import type { SeededRandom } from '../src/generate/seeded-random.js';

/** A JSON object as built here. */
export type JsonObject = Record<string, unknown>;

/** The media labels Teams uses for the three kinds of stream this generator produces. */
export const MEDIA_LABELS = ['main-audio', 'main-video', 'applicationsharing-video'] as const;

/** One of MEDIA_LABELS. */
export type MediaLabel = (typeof MEDIA_LABELS)[number];

/** Who is on one side of a media leg: a person's client, or a conferencing server (the callee of group calls). */
export type SideKind = 'client' | 'service';

/** What a media entry needs to know about its segment. */
export interface MediaContext {
  label: MediaLabel;
  callee: SideKind;
  startMs: number;
  endMs: number;
}

const CAPTURE_DEVICES = [
  'Microphone (Jabra Evolve2 65)',
  'Headset Microphone (Poly BT700)',
  'MacBook Pro Microphone',
  'Microphone Array (Realtek(R) Audio)',
  'Echo Cancelling Speakerphone (Jabra Speak 510)',
];
const RENDER_DEVICES = [
  'Speakers (Jabra Evolve2 65)',
  'Headphones (Poly BT700)',
  'MacBook Pro Speakers',
  'Speakers (Realtek(R) Audio)',
  'Echo Cancelling Speakerphone (Jabra Speak 510)',
];

/** A media entry as Graph returns it under `segments[i].media`. */
export function sampleMedia(rng: SeededRandom, ctx: MediaContext): JsonObject {
  const callerNetwork = clientNetwork(rng);
  return {
    label: ctx.label,
    callerNetwork,
    calleeNetwork: ctx.callee === 'client' ? clientNetwork(rng) : serviceNetwork(rng),
    callerDevice: clientDevice(rng),
    calleeDevice: ctx.callee === 'client' ? clientDevice(rng) : serviceDevice(),
    streams: [
      stream(rng, ctx, 'callerToCallee', callerNetwork.connectionType === 'wifi'),
      stream(rng, ctx, 'calleeToCaller', false),
    ],
  };
}

/** An ISO-8601 duration of `seconds` with millisecond precision: `PT0.012S`. */
export function isoSeconds(seconds: number): string {
  return `PT${seconds.toFixed(3)}S`;
}

/** A Graph-style timestamp with 7 fractional digits: `2024-03-01T08:00:00.1234567Z`. */
export function graphTime(rng: SeededRandom, ms: number): string {
  return `${new Date(ms).toISOString().slice(0, -1)}${rng.digits(4)}Z`;
}

function stream(rng: SeededRandom, ctx: MediaContext, direction: string, lossy: boolean): JsonObject {
  const audio = ctx.label === 'main-audio';
  const jitter = rng.float(0.002, lossy ? 0.04 : 0.015);
  const rtt = rng.float(0.01, 0.12);
  const loss = lossy ? rng.float(0, 0.03) : rng.float(0, 0.004);
  return {
    streamId: String(rng.int(100_000_000, 4_000_000_000)),
    streamDirection: direction,
    startDateTime: graphTime(rng, ctx.startMs),
    endDateTime: graphTime(rng, ctx.endMs),
    audioCodec: audio ? rng.pick(['satin', 'opus', 'silk', 'g722']) : null,
    videoCodec: audio ? null : rng.pick(['h264', 'h264s', 'av1']),
    averageAudioDegradation: audio ? round(rng.float(0, 0.6), 4) : null,
    averageAudioNetworkJitter: audio ? isoSeconds(jitter * 0.8) : null,
    maxAudioNetworkJitter: audio ? isoSeconds(jitter * 3) : null,
    averageJitter: isoSeconds(jitter),
    maxJitter: isoSeconds(jitter * rng.float(2, 6)),
    averagePacketLossRate: round(loss, 5),
    maxPacketLossRate: round(loss * rng.float(2, 10), 5),
    postForwardErrorCorrectionPacketLossRate: audio ? round(loss * 0.3, 5) : null,
    isAudioForwardErrorCorrectionUsed: audio ? rng.chance(0.3) : null,
    averageRatioOfConcealedSamples: audio ? round(rng.float(0, 0.02), 5) : null,
    maxRatioOfConcealedSamples: audio ? round(rng.float(0.02, 0.1), 5) : null,
    averageRoundTripTime: isoSeconds(rtt),
    maxRoundTripTime: isoSeconds(rtt * rng.float(1.5, 4)),
    packetUtilization: rng.int(500, Math.max(1000, Math.round((ctx.endMs - ctx.startMs) / 20))),
    averageBandwidthEstimate: rng.int(audio ? 40_000 : 500_000, audio ? 300_000 : 8_000_000),
    wasMediaBypassed: false,
    averageVideoFrameRate: audio ? null : round(rng.float(12, 30), 2),
    averageReceivedFrameRate: audio ? null : round(rng.float(10, 30), 2),
    lowFrameRateRatio: audio ? null : round(rng.float(0, 0.2), 4),
    averageFreezeDuration: audio ? null : isoSeconds(rng.float(0, 0.5)),
    rmsFreezeDuration: audio ? null : isoSeconds(rng.float(0, 0.8)),
    averageVideoFrameLossPercentage: audio ? null : round(rng.float(0, 2), 3),
    averageVideoPacketLossRate: audio ? null : round(loss, 5),
    lowVideoProcessingCapabilityRatio: audio ? null : round(rng.float(0, 0.1), 4),
  };
}

function clientNetwork(rng: SeededRandom): JsonObject & { connectionType: string } {
  const connectionType = rng.pick(['wired', 'wired', 'wifi', 'wifi', 'wifi', 'mobile']);
  const wifi = connectionType === 'wifi';
  const subnet = `10.${rng.int(0, 255)}.${rng.int(0, 255)}`;
  return {
    connectionType,
    ipAddress: `${subnet}.${rng.int(2, 254)}`,
    subnet: `${subnet}.0`,
    linkSpeed: wifi ? rng.pick([144_000_000, 433_300_000, 866_700_000]) : rng.pick([100_000_000, 1_000_000_000]),
    wifiSignalStrength: wifi ? rng.int(35, 100) : null,
    wifiBand: wifi ? rng.pick(['frequency24GHz', 'frequency50GHz']) : 'unknown',
    wifiRadioType: wifi ? rng.pick(['wifi80211n', 'wifi80211ac', 'wifi80211ax']) : 'unknown',
    wifiChannel: wifi ? rng.pick([1, 6, 11, 36, 44, 149]) : null,
    wifiBatteryCharge: null,
    wifiMicrosoftDriver: null,
    wifiMicrosoftDriverVersion: null,
    wifiVendorDriver: wifi ? 'Intel(R) Wi-Fi 6 AX201 160MHz' : null,
    wifiVendorDriverVersion: wifi ? '22.200.0.6' : null,
    basicServiceSetIdentifier: wifi ? mac(rng) : null,
    macAddress: mac(rng),
    dnsSuffix: rng.chance(0.7) ? 'corp.contoso.com' : null,
    port: rng.int(50_000, 50_059),
    reflexiveIPAddress: `203.0.113.${rng.int(1, 254)}`,
    relayIPAddress: `52.115.${rng.int(0, 255)}.${rng.int(1, 254)}`,
    relayPort: 3478,
    networkTransportProtocol: rng.chance(0.95) ? 'udp' : 'tcp',
    bandwidthLowEventRatio: round(rng.float(0, 0.05), 4),
    delayEventRatio: round(rng.float(0, 0.05), 4),
    receivedQualityEventRatio: round(rng.float(0, 0.05), 4),
    sentQualityEventRatio: round(rng.float(0, 0.05), 4),
    traceRouteHops: [],
  };
}

function serviceNetwork(rng: SeededRandom): JsonObject {
  return {
    connectionType: 'wired',
    ipAddress: `52.114.${rng.int(0, 255)}.${rng.int(1, 254)}`,
    subnet: null,
    linkSpeed: null,
    wifiSignalStrength: null,
    wifiBand: 'unknown',
    wifiRadioType: 'unknown',
    port: rng.int(3478, 3481),
    networkTransportProtocol: 'udp',
    traceRouteHops: [],
  };
}

function clientDevice(rng: SeededRandom): JsonObject {
  const headset = rng.int(0, CAPTURE_DEVICES.length - 1);
  return {
    captureDeviceName: CAPTURE_DEVICES[headset],
    captureDeviceDriver: 'Microsoft: 10.0.22621.1',
    renderDeviceName: RENDER_DEVICES[headset],
    renderDeviceDriver: 'Microsoft: 10.0.22621.1',
    receivedSignalLevel: rng.int(-40, -10),
    receivedNoiseLevel: rng.int(-85, -55),
    sentSignalLevel: rng.int(-40, -10),
    sentNoiseLevel: rng.int(-85, -55),
    initialSignalLevelRootMeanSquare: round(rng.float(20, 300), 2),
    micGlitchRate: round(rng.float(0, 20), 2),
    speakerGlitchRate: round(rng.float(0, 20), 2),
    howlingEventCount: rng.chance(0.02) ? rng.int(1, 3) : 0,
    lowSpeechLevelEventRatio: round(rng.float(0, 0.05), 4),
    lowSpeechToNoiseEventRatio: round(rng.float(0, 0.05), 4),
    renderMuteEventRatio: 0,
    renderZeroVolumeEventRatio: 0,
    renderNotFunctioningEventRatio: 0,
    captureNotFunctioningEventRatio: 0,
    deviceClippingEventRatio: round(rng.float(0, 0.01), 4),
    deviceGlitchEventRatio: round(rng.float(0, 0.01), 4),
    cpuInsufficentEventRatio: round(rng.float(0, 0.01), 4),
  };
}

function serviceDevice(): JsonObject {
  return { captureDeviceName: null, renderDeviceName: null, receivedSignalLevel: null, sentSignalLevel: null };
}

function mac(rng: SeededRandom): string {
  return Array.from({ length: 6 }, () => rng.int(0, 255).toString(16).padStart(2, '0').toUpperCase()).join('-');
}

function round(value: number, places: number): number {
  return Number(value.toFixed(places));
}
