import type { OrderedVideoRules, RuleSet } from './rule-sets.js';

/**
 * CQD's stream classification (https://learn.microsoft.com/microsoftteams/stream-classification-in-call-quality-dashboard):
 * a stream is Good, Poor or Unclassified by its media type, with the reasons a poor stream is poor.
 */

/** The media types CQD classifies by (from `media.label`). */
export type MediaType = 'audio' | 'video' | 'vbss' | 'other';

/** A stream's class. */
export type Classification = 'Good' | 'Poor' | 'Unclassified';

/** Why a stream is poor; an audio stream can have several reasons, a video stream has the one that decided. */
export type PoorReason =
  | 'jitter'
  | 'packetLoss'
  | 'roundTrip'
  | 'degradation'
  | 'concealedRatio'
  | 'frameLoss'
  | 'frameRate'
  | 'postFecPacketLoss';

/** Every reason, in the order they are listed in `poorReasons`. */
export const POOR_REASONS: readonly PoorReason[] = [
  'jitter',
  'packetLoss',
  'roundTrip',
  'degradation',
  'concealedRatio',
  'frameLoss',
  'frameRate',
  'postFecPacketLoss',
];

/** The metrics classification reads (durations already in milliseconds; null when the stream lacks it). */
export interface StreamMetrics {
  packetUtilization: number | null;
  averageRoundTripTimeMs: number | null;
  averagePacketLossRate: number | null;
  averageJitterMs: number | null;
  averageAudioDegradation: number | null;
  averageRatioOfConcealedSamples: number | null;
  averageVideoFrameLossPercentage: number | null;
  averageVideoFrameRate: number | null;
  postForwardErrorCorrectionPacketLossRate: number | null;
}

/** A stream's class and, when poor, why. */
export interface StreamClass {
  classification: Classification;
  reasons: PoorReason[];
}

/** The media type of a `media.label`: `main-audio` audio, `applicationsharing-video` VBSS, other `*video` video. */
export function mediaTypeOf(label: string | null | undefined): MediaType {
  if (label === 'main-audio') return 'audio';
  if (label === 'applicationsharing-video') return 'vbss';
  if (typeof label === 'string' && /(^|-)video$/.test(label)) return 'video';
  return 'other';
}

/** Classifies one stream of `type` by `rules`. */
export function classifyStream(type: MediaType, m: StreamMetrics, rules: RuleSet): StreamClass {
  if (type === 'audio') return classifyAudio(m, rules);
  if (type === 'video') return classifyVideo(m, rules.video);
  if (type === 'vbss') return classifyVideo(m, rules.vbss);
  return { classification: 'Unclassified', reasons: [] };
}

function classifyAudio(m: StreamMetrics, rules: RuleSet): StreamClass {
  const a = rules.audio;
  if (m.packetUtilization === null || !(m.packetUtilization > a.minPackets)) return unclassified();
  const checks: [PoorReason, number | null, number | undefined][] = [
    ['jitter', m.averageJitterMs, a.jitterMs],
    ['packetLoss', m.averagePacketLossRate, a.packetLossRate],
    ['roundTrip', m.averageRoundTripTimeMs, a.roundTripMs],
    ['degradation', m.averageAudioDegradation, a.degradation],
    ['concealedRatio', m.averageRatioOfConcealedSamples, a.concealedRatio],
  ];
  const reasons: PoorReason[] = [];
  let measured = false;
  for (const [reason, value, limit] of checks) {
    if (limit === undefined || value === null) continue;
    measured = true;
    if (value > limit) reasons.push(reason);
  }
  if (!measured) return unclassified();
  return { classification: reasons.length > 0 ? 'Poor' : 'Good', reasons };
}

function classifyVideo(m: StreamMetrics, r: OrderedVideoRules): StreamClass {
  if (m.averageVideoFrameLossPercentage !== null) {
    return decide(m.averageVideoFrameLossPercentage > r.frameLossPercentage, 'frameLoss');
  }
  if (m.averageVideoFrameRate !== null) return decide(m.averageVideoFrameRate < r.minFrameRate, 'frameRate');
  if (m.postForwardErrorCorrectionPacketLossRate !== null) {
    return decide(m.postForwardErrorCorrectionPacketLossRate > r.postFecPacketLossRate, 'postFecPacketLoss');
  }
  return unclassified();
}

function decide(poor: boolean, reason: PoorReason): StreamClass {
  return poor ? { classification: 'Poor', reasons: [reason] } : { classification: 'Good', reasons: [] };
}

function unclassified(): StreamClass {
  return { classification: 'Unclassified', reasons: [] };
}
