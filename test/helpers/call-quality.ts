/**
 * The CQD stream classification of audio streams, written from https://learn.microsoft.com/microsoftteams/stream-classification-in-call-quality-dashboard (not from the
 * generator), so that tests measure generated data the way a call-quality report would.
 */
import type { Json } from './json.js';

/** Good, Poor, or Unclassified: the outcome CQD gives an audio stream. */
export type AudioClass = 'good' | 'poor' | 'unclassified';

/** Gate: more than 500 packets; then Poor if any rule fires (including the legacy degradation/concealed rules). */
export function classifyAudioStream(stream: Json): AudioClass {
  const packets = stream.packetUtilization;
  if (typeof packets !== 'number' || packets <= 500) return 'unclassified';
  const metrics = [
    seconds(stream.averageRoundTripTime),
    stream.averagePacketLossRate,
    seconds(stream.averageJitter),
    stream.averageAudioDegradation,
    stream.averageRatioOfConcealedSamples,
  ];
  if (metrics.every((m) => m === null || m === undefined)) return 'unclassified';
  const [rtt, loss, jitter, degradation, concealed] = metrics as (number | null)[];
  const poor =
    (rtt ?? 0) > 0.5 || (loss ?? 0) > 0.1 || (jitter ?? 0) > 0.03 || (degradation ?? 0) > 1 || (concealed ?? 0) > 0.07;
  return poor ? 'poor' : 'good';
}

/** Seconds of an ISO-8601 duration with only seconds (`PT0.016S`), as the generator and Graph write them. */
function seconds(duration: unknown): number | null {
  if (typeof duration !== 'string') return null;
  const m = /^PT(\d+(?:\.\d+)?)S$/.exec(duration);
  if (m === null) throw new Error(`unexpected duration ${duration}`);
  return Number(m[1]);
}
