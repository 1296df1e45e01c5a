import type { RecordWrite } from '../storage/store.js';
import type { BuildingMap } from './building-map.js';
import { NO_BUILDINGS } from './building-map.js';
import { classifyStream, mediaTypeOf, POOR_REASONS, type StreamMetrics } from './classify.js';
import { CURRENT_RULES, type RuleSet } from './rule-sets.js';
import { METRIC_COLUMNS, STREAM_COLUMN_NAMES, type StreamRowValues } from './stream-columns.js';
import { ENDPOINT_FIELDS, endpointSide, type Cell } from './stream-endpoints.js';
import { durationMs, flag, int, num, obj, objects, str, timeKey, type Json } from './stream-values.js';

/** What deriving stream rows needs beside the record: the rule set that classifies and the buildings that map. */
export interface StreamDerivation {
  rules: RuleSet;
  buildings: BuildingMap;
  /** No stream rows at all: only bench/stream-import.ts sets it, to time an import without the table. */
  off?: true;
}

/** The default derivation: CQD's current rules, no buildings. */
export const DEFAULT_DERIVATION: StreamDerivation = { rules: CURRENT_RULES, buildings: NO_BUILDINGS };

/** A record as the store keeps it: the top-level JSON and each session's JSON with its segments apart. */
export type StoredRecordParts = Pick<RecordWrite, 'id' | 'startKey' | 'recordJson' | 'parsed'> & {
  sessions: readonly { json: string; segmentsJson: string }[];
};

// A row is built as sections in table order (stream-columns.ts); checked against the column list when loaded.
const KEY_FIELDS = [
  'record_id',
  'start_key',
  'ordinal',
  'call_type',
  'session_id',
  'segment_id',
  'segment_start',
  'segment_end',
  'stream_start',
  'stream_end',
  'session_failure_stage',
  'session_failure_reason',
  'segment_failure_stage',
  'segment_failure_reason',
  'media_label',
  'media_type',
  'stream_id',
  'stream_direction',
  'first_role',
  'sender_is_first',
  'first_connection_type',
  'second_connection_type',
];
const REASON_FIELDS = [
  'poor_jitter',
  'poor_packet_loss',
  'poor_round_trip',
  'poor_degradation',
  'poor_concealed',
  'poor_frame_loss',
  'poor_frame_rate',
  'poor_post_fec_loss',
];
const LAYOUT = [
  ...KEY_FIELDS,
  ...ENDPOINT_FIELDS.map((f) => `sender_${f}`),
  ...ENDPOINT_FIELDS.map((f) => `receiver_${f}`),
  ...METRIC_COLUMNS.map((c) => c.column),
  'classification',
  'poor_reasons',
  ...REASON_FIELDS,
  'segment_poor',
  'call_poor',
];
if (LAYOUT.join() !== STREAM_COLUMN_NAMES.join()) throw new Error('stream-rows.ts and stream-columns.ts disagree');
const SEGMENT_POOR = LAYOUT.indexOf('segment_poor');
const NO_REASONS: readonly number[] = POOR_REASONS.map(() => 0);
const CALL_POOR = LAYOUT.indexOf('call_poor');

/** The stream rows of a record's current version, each in the order of STREAM_COLUMNS. */
export function streamRowsOfWrite(record: StoredRecordParts, derivation: StreamDerivation): Cell[][] {
  if (derivation.off === true) return [];
  if (record.parsed !== undefined) {
    const { type, sessions } = record.parsed;
    return streamRows(record.id, record.startKey, str(type), objects(sessions), derivation);
  }
  const top = JSON.parse(record.recordJson) as Json;
  const sessions = record.sessions.map((s) => ({
    ...(JSON.parse(s.json) as Json),
    segments: JSON.parse(s.segmentsJson) as unknown,
  }));
  return streamRows(record.id, record.startKey, str(top.type), sessions, derivation);
}

/** A row by column name (for tests and readers that want names). */
export function rowByName(row: readonly Cell[]): StreamRowValues {
  return Object.fromEntries(LAYOUT.map((c, i) => [c, row[i] ?? null]));
}

/**
 * One row per `mediaStream` of a record (https://learn.microsoft.com/graph/api/resources/callrecords-mediastream), in
 * the order of STREAM_COLUMNS, classified by CQD's rules (classify.ts), its endpoints mapped to buildings. A segment
 * is poor when one of its audio streams is; a call when one of its segments is.
 */
export function streamRows(
  recordId: string,
  startKey: string,
  callType: string | null,
  sessions: readonly Json[],
  derivation: StreamDerivation,
): Cell[][] {
  const rows: Cell[][] = [];
  let callPoor = 0;
  for (const session of sessions) {
    const sessionFailure = obj(session.failureInfo);
    for (const segment of objects(session.segments)) {
      const segmentFailure = obj(segment.failureInfo);
      const segmentStart = timeKey(segment.startDateTime);
      const segmentEnd = timeKey(segment.endDateTime);
      // A segment without its own endpoints is between the session's.
      const callerEndpoint = obj(segment.caller) ?? obj(session.caller);
      const calleeEndpoint = obj(segment.callee) ?? obj(session.callee);
      const first = rows.length;
      let segmentPoor = 0;
      for (const media of objects(segment.media)) {
        const label = str(media.label);
        const type = mediaTypeOf(label);
        const b = derivation.buildings;
        const caller = endpointSide('caller', callerEndpoint, obj(media.callerDevice), obj(media.callerNetwork), b);
        const callee = endpointSide('callee', calleeEndpoint, obj(media.calleeDevice), obj(media.calleeNetwork), b);
        // CQD's First endpoint: a server when one side is a server, else the caller.
        const firstSide = callee.server && !caller.server ? callee : caller;
        const secondSide = firstSide === caller ? callee : caller;
        for (const stream of objects(media.streams)) {
          const direction = str(stream.streamDirection);
          const [sender, receiver] = direction === 'calleeToCaller' ? [callee, caller] : [caller, callee];
          const metrics = metricsOf(stream);
          const result = classifyStream(type, metrics.classified, derivation.rules);
          const reasons =
            result.reasons.length === 0 ? NO_REASONS : POOR_REASONS.map((r) => (result.reasons.includes(r) ? 1 : 0));
          const row: Cell[] = [
            recordId,
            startKey,
            rows.length,
            callType,
            str(session.id),
            str(segment.id),
            segmentStart,
            segmentEnd,
            timeKey(stream.startDateTime),
            timeKey(stream.endDateTime),
            str(sessionFailure?.stage),
            str(sessionFailure?.reason),
            str(segmentFailure?.stage),
            str(segmentFailure?.reason),
            label,
            type,
            str(stream.streamId),
            direction,
            firstSide.role,
            sender === firstSide ? 1 : 0,
            firstSide.connectionType,
            secondSide.connectionType,
          ].concat(sender.values, receiver.values, metrics.values, [
            result.classification,
            result.reasons.join(';'),
            ...reasons,
            0,
            0,
          ]);
          if (type === 'audio' && result.classification === 'Poor') segmentPoor = 1;
          rows.push(row);
        }
      }
      for (let i = first; i < rows.length; i++) rows[i]![SEGMENT_POOR] = segmentPoor;
      callPoor |= segmentPoor;
    }
  }
  if (callPoor === 1) for (const row of rows) row[CALL_POOR] = 1;
  return rows;
}

// The metric columns (METRIC_COLUMNS order) and what classification reads of them.
function metricsOf(s: Json): { values: Cell[]; classified: StreamMetrics } {
  const jitter = durationMs(s.averageJitter);
  const loss = num(s.averagePacketLossRate);
  const postFec = num(s.postForwardErrorCorrectionPacketLossRate);
  const concealed = num(s.averageRatioOfConcealedSamples);
  const degradation = num(s.averageAudioDegradation);
  const roundTrip = durationMs(s.averageRoundTripTime);
  const packets = int(s.packetUtilization);
  const frameRate = num(s.averageVideoFrameRate);
  const frameLoss = num(s.averageVideoFrameLossPercentage);
  const values: Cell[] = [
    str(s.audioCodec),
    str(s.videoCodec),
    degradation,
    durationMs(s.averageAudioNetworkJitter),
    durationMs(s.maxAudioNetworkJitter),
    jitter,
    durationMs(s.maxJitter),
    loss,
    num(s.maxPacketLossRate),
    postFec,
    flag(s.isAudioForwardErrorCorrectionUsed),
    concealed,
    num(s.maxRatioOfConcealedSamples),
    roundTrip,
    durationMs(s.maxRoundTripTime),
    packets,
    int(s.averageBandwidthEstimate),
    flag(s.wasMediaBypassed),
    frameRate,
    num(s.averageReceivedFrameRate),
    num(s.lowFrameRateRatio),
    durationMs(s.averageFreezeDuration),
    durationMs(s.rmsFreezeDuration),
    frameLoss,
    num(s.averageVideoPacketLossRate),
    num(s.lowVideoProcessingCapabilityRatio),
  ];
  return {
    values,
    classified: {
      packetUtilization: packets,
      averageRoundTripTimeMs: roundTrip,
      averagePacketLossRate: loss,
      averageJitterMs: jitter,
      averageAudioDegradation: degradation,
      averageRatioOfConcealedSamples: concealed,
      averageVideoFrameLossPercentage: frameLoss,
      averageVideoFrameRate: frameRate,
      postForwardErrorCorrectionPacketLossRate: postFec,
    },
  };
}
