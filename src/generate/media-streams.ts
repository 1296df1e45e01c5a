/**
 * The metrics of one generated `mediaStream`. Audio streams are poor with the chance their network gives them
 * (network-info.ts): a poor stream has one or two metrics past a CQD threshold (jitter > 30 ms, packet loss > 0.1,
 * round trip > 500 ms, concealed samples > 0.07, degradation > 1.0), a good one stays under all of them. Some streams
 * carry too few packets to classify (≤ 500: a short or muted leg) or no metrics at all (https://learn.microsoft.com/microsoftteams/stream-classification-in-call-quality-dashboard).
 */
import { logNormalIn, pickWeighted } from './distributions.js';
import { graphTime, isoSeconds, round, type JsonObject } from './graph-values.js';
import type { SeededRandom } from './seeded-random.js';

/** What a stream needs to know about its medium and segment. */
export interface StreamContext {
  label: string;
  direction: 'callerToCallee' | 'calleeToCaller';
  startMs: number;
  endMs: number;
  /** The chance that an audio stream here is poor. */
  risk: number;
  /** Set when the stream turned out poor, so that feedback can follow quality. */
  outcome: { poor: boolean };
}

type PoorCause = 'jitter' | 'loss' | 'roundTrip' | 'concealed' | 'degradation';

const CAUSES: readonly (readonly [PoorCause, number])[] = [
  ['jitter', 35],
  ['loss', 25],
  ['roundTrip', 15],
  ['concealed', 15],
  ['degradation', 10],
];
/** Audio packets per second of an active stream (20 ms frames). */
const AUDIO_PACKET_RATE = 50;

/** One stream of a medium, shaped as Graph returns it (every property present, the ones that do not apply null). */
export function mediaStream(rng: SeededRandom, ctx: StreamContext): JsonObject {
  const audio = ctx.label === 'main-audio';
  const seconds = Math.max(0, (ctx.endMs - ctx.startMs) / 1000);
  const noReport = rng.chance(0.01);
  const causes = new Set<PoorCause>();
  if (audio && rng.chance(ctx.risk)) {
    causes.add(pickWeighted(rng, CAUSES));
    if (rng.chance(0.3)) causes.add(pickWeighted(rng, CAUSES));
  }
  const q = 1 + ctx.risk * 20;
  const jitter = causes.has('jitter') ? rng.float(0.031, 0.12) : logNormalIn(rng, 0.004 * q, 0.5, 0.0005, 0.028);
  const loss = causes.has('loss') ? rng.float(0.11, 0.35) : logNormalIn(rng, 0.0015 * q, 1, 0, 0.08);
  const rtt = causes.has('roundTrip') ? rng.float(0.51, 1.5) : logNormalIn(rng, 0.045, 0.5, 0.008, 0.42);
  const concealed = causes.has('concealed') ? rng.float(0.075, 0.25) : logNormalIn(rng, 0.006 * q, 0.8, 0, 0.06);
  const degradation = causes.has('degradation') ? rng.float(1.05, 2.5) : logNormalIn(rng, 0.12 * q, 0.7, 0, 0.9);
  const muted = rng.chance(0.04);
  const packets = muted ? rng.int(0, 450) : Math.round(seconds * (audio ? AUDIO_PACKET_RATE : 90) * rng.float(0.85, 1));
  if (causes.size > 0 && packets > 500 && !noReport) ctx.outcome.poor = true;
  const video = !audio;
  const sharing = ctx.label === 'applicationsharing-video';
  const lowFrames = video && rng.chance(0.02 + ctx.risk * 0.3);
  const frameRate = sharing
    ? lowFrames
      ? rng.float(0.5, 1.9)
      : rng.float(3, 15)
    : lowFrames
      ? rng.float(2, 6.9)
      : rng.float(14, 30);
  const m = (value: unknown) => (noReport ? null : value);
  return {
    streamId: String(rng.int(100_000_000, 4_000_000_000)),
    streamDirection: ctx.direction,
    startDateTime: graphTime(ctx.startMs),
    endDateTime: graphTime(ctx.endMs),
    audioCodec: audio
      ? pickWeighted(rng, [
          ['satin', 55],
          ['opus', 30],
          ['silk', 10],
          ['g722', 5],
        ] as const)
      : null,
    videoCodec: video
      ? pickWeighted(rng, [
          ['h264', 60],
          ['av1', 25],
          ['h264s', 15],
        ] as const)
      : null,
    averageAudioDegradation: m(audio ? round(degradation, 4) : null),
    averageAudioNetworkJitter: m(audio ? isoSeconds(jitter * 0.9) : null),
    maxAudioNetworkJitter: m(audio ? isoSeconds(jitter * rng.float(1.5, 4)) : null),
    averageJitter: m(isoSeconds(jitter)),
    maxJitter: m(isoSeconds(jitter * rng.float(2, 6))),
    averagePacketLossRate: m(round(loss, 5)),
    maxPacketLossRate: m(round(Math.min(1, loss * rng.float(2, 8)), 5)),
    postForwardErrorCorrectionPacketLossRate: m(round(loss * rng.float(0.1, 0.5), 5)),
    isAudioForwardErrorCorrectionUsed: audio ? rng.chance(0.3 + ctx.risk) : null,
    averageRatioOfConcealedSamples: m(audio ? round(concealed, 5) : null),
    maxRatioOfConcealedSamples: m(audio ? round(Math.min(1, concealed * rng.float(2, 5) + 0.01), 5) : null),
    averageRoundTripTime: m(isoSeconds(rtt)),
    maxRoundTripTime: m(isoSeconds(rtt * rng.float(1.5, 4))),
    packetUtilization: m(packets),
    averageBandwidthEstimate: m(audio ? rng.int(40_000, 300_000) : rng.int(500_000, 8_000_000)),
    wasMediaBypassed: false,
    averageVideoFrameRate: m(video ? round(frameRate, 2) : null),
    averageReceivedFrameRate: m(video ? round(frameRate * rng.float(0.9, 1), 2) : null),
    lowFrameRateRatio: m(video ? round(lowFrames ? rng.float(0.3, 0.9) : rng.float(0, 0.1), 4) : null),
    averageFreezeDuration: m(video ? isoSeconds(lowFrames ? rng.float(0.5, 3) : rng.float(0, 0.3)) : null),
    rmsFreezeDuration: m(video ? isoSeconds(lowFrames ? rng.float(0.8, 4) : rng.float(0, 0.5)) : null),
    averageVideoFrameLossPercentage: m(video ? round(lowFrames ? rng.float(5, 60) : rng.float(0, 3), 3) : null),
    averageVideoPacketLossRate: m(video ? round(loss, 5) : null),
    lowVideoProcessingCapabilityRatio: m(video ? round(rng.next() ** 3 * 0.2, 4) : null),
  };
}
