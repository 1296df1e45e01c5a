/**
 * Sessions and their segments. A session runs between two endpoints over one or more legs: one segment when the two
 * talk directly, several when the media passes services on the way (a phone call through the mediation server and the
 * PSTN gateway, an auto attendant handing over to a call queue). Each segment carries one media entry per label with
 * both stream directions. A few sessions fail at setup or drop mid-call; some people rate the call afterwards.
 */
import { pickWeighted } from './distributions.js';
import { graphTime, SECOND, type JsonObject } from './graph-values.js';
import { mediaStream } from './media-streams.js';
import type { Side } from './call-sides.js';
import type { SeededRandom } from './seeded-random.js';

/** The media labels Teams uses for audio, video and video-based screen sharing. */
export type MediaLabel = 'main-audio' | 'main-video' | 'applicationsharing-video';

/** The modality each label stands for. */
export const MODALITY: Readonly<Record<MediaLabel, string>> = {
  'main-audio': 'audio',
  'main-video': 'video',
  'applicationsharing-video': 'screenSharing',
};

/** What one session is made of. */
export interface SessionPlan {
  /** The session id; by default a new GUID (a peer-to-peer call's session takes the record's id, as in Graph). */
  id?: string;
  /** The endpoints along the media path, caller first: two for a direct session, more through services. */
  path: readonly Side[];
  startMs: number;
  endMs: number;
  labels: readonly MediaLabel[];
  /** The chance of a setup failure or a mid-call drop, besides what the network adds. */
  failureRate: number;
  /** False: every segment's `media` is empty (no streams are drawn). Default true. */
  media?: boolean;
}

const SETUP_REASONS = ['MediaConnectivityFailure', 'CallSetupTimeout', 'IceConnectivityFailed', 'NetworkUnreachable'];
const DROP_REASONS = ['MediaConnectivityLost', 'NetworkDisconnected', 'ClientCrashed', 'ServiceUnavailable'];

/** A built session and when it ended (earlier than planned when it failed). */
export interface BuiltSession {
  value: JsonObject;
  startMs: number;
  endMs: number;
}

/** Builds one session: its segments, media and streams, failure if any, and feedback. */
export function session(rng: SeededRandom, plan: SessionPlan): BuiltSession {
  const risk = Math.max(...plan.path.map((s) => s.risk));
  const failure = drawFailure(rng, plan.failureRate, risk);
  let endMs = plan.endMs;
  if (failure?.stage === 'callSetup') endMs = plan.startMs + rng.int(3, 25) * SECOND;
  else if (failure !== undefined) endMs = plan.startMs + Math.round((plan.endMs - plan.startMs) * rng.float(0.1, 0.9));
  const outcome = { poor: false };
  const legs = plan.path.length - 1;
  const cuts = [plan.startMs];
  // Service hops come first and are short (the attendant answers, the queue rings); the last leg lasts.
  for (let k = 1; k < legs; k++) cuts.push(Math.min(endMs, cuts[k - 1]! + rng.int(5, 90) * SECOND));
  cuts.push(endMs);
  const segments = [];
  for (let k = 0; k < legs; k++) {
    const caller = plan.path[k]!;
    const callee = plan.path[k + 1]!;
    const serviceLeg = !caller.client && !callee.client;
    const labels = serviceLeg || k < legs - 1 ? (['main-audio'] as const) : plan.labels;
    segments.push({
      startDateTime: graphTime(cuts[k]!),
      endDateTime: graphTime(cuts[k + 1]!),
      id: rng.guid(),
      caller: caller.endpoint,
      callee: callee.endpoint,
      failureInfo: k === legs - 1 ? (failure ?? null) : null,
      media: (plan.media === false ? [] : labels).map((label) => ({
        label,
        callerNetwork: caller.network,
        calleeNetwork: callee.network,
        callerDevice: caller.device,
        calleeDevice: callee.device,
        streams: (['callerToCallee', 'calleeToCaller'] as const).map((direction) =>
          mediaStream(rng, {
            label,
            direction,
            startMs: cuts[k]!,
            endMs: cuts[k + 1]!,
            risk: Math.max(caller.risk, callee.risk),
            outcome,
          }),
        ),
      })),
    });
  }
  for (const side of plan.path) {
    if (side.client && rng.chance(0.07)) side.endpoint.feedback = feedback(rng, outcome.poor || failure !== undefined);
  }
  const first = plan.path[0]!;
  const last = plan.path[plan.path.length - 1]!;
  const value = {
    modalities: plan.labels.map((l) => MODALITY[l]),
    startDateTime: graphTime(plan.startMs),
    endDateTime: graphTime(endMs),
    id: plan.id ?? rng.guid(),
    isTest: false,
    caller: first.endpoint,
    callee: last.endpoint,
    failureInfo: failure ?? null,
    segments,
  };
  return { value, startMs: plan.startMs, endMs };
}

function drawFailure(rng: SeededRandom, rate: number, risk: number): JsonObject | undefined {
  const u = rng.next();
  if (u < rate * 0.55) return { stage: 'callSetup', reason: rng.pick(SETUP_REASONS) };
  if (u < rate + risk * 0.15) return { stage: 'midcall', reason: rng.pick(DROP_REASONS) };
  return undefined;
}

function feedback(rng: SeededRandom, bad: boolean): JsonObject {
  const rating = bad
    ? pickWeighted(rng, [
        ['bad', 30],
        ['poor', 40],
        ['fair', 25],
        ['good', 5],
      ] as const)
    : pickWeighted(rng, [
        ['notRated', 10],
        ['fair', 5],
        ['good', 45],
        ['excellent', 40],
      ] as const);
  const unhappy = rating === 'bad' || rating === 'poor' || rating === 'fair';
  return {
    rating,
    text:
      unhappy && rng.chance(0.3) ? rng.pick(['Kept cutting out', 'Could not hear the others', 'Robotic voice']) : null,
    tokens: unhappy
      ? {
          NoSound: rng.chance(0.2),
          Echo: rng.chance(0.2),
          DistortedSound: rng.chance(0.4),
          Interruptions: rng.chance(0.5),
          LowVolume: rng.chance(0.15),
        }
      : {},
  };
}
