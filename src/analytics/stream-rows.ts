import type { RecordWrite } from '../storage/store.js';
import type { BuildingMap } from './building-map.js';
import { NO_BUILDINGS } from './building-map.js';
import { classifyStream, mediaTypeOf, type PoorReason } from './classify.js';
import { CURRENT_RULES, type RuleSet } from './rule-sets.js';
import { STREAM_COLUMN_NAMES, type StreamRowValues } from './stream-columns.js';
import { endpointSide, type EndpointSide } from './stream-endpoints.js';
import { durationMs, flag, int, num, obj, objects, str, timeKey, type Json } from './stream-values.js';

/** What deriving stream rows needs beside the record: the rule set that classifies and the buildings that map. */
export interface StreamDerivation {
  rules: RuleSet;
  buildings: BuildingMap;
}

/** The default derivation: CQD's current rules, no buildings. */
export const DEFAULT_DERIVATION: StreamDerivation = { rules: CURRENT_RULES, buildings: NO_BUILDINGS };

const REASON_COLUMN: Record<PoorReason, string> = {
  jitter: 'poor_jitter',
  packetLoss: 'poor_packet_loss',
  roundTrip: 'poor_round_trip',
  degradation: 'poor_degradation',
  concealedRatio: 'poor_concealed',
  frameLoss: 'poor_frame_loss',
  frameRate: 'poor_frame_rate',
  postFecPacketLoss: 'poor_post_fec_loss',
};

/** A record as the store keeps it: the top-level JSON and each session's JSON with its segments apart. */
export type StoredRecordParts = Pick<RecordWrite, 'id' | 'startKey' | 'recordJson'> & {
  sessions: readonly { json: string; segmentsJson: string }[];
};

/** The stream rows of a record's current version, each in the order of STREAM_COLUMNS. */
export function streamRowsOfWrite(
  record: StoredRecordParts,
  derivation: StreamDerivation,
): (string | number | null)[][] {
  const top = JSON.parse(record.recordJson) as Json;
  const sessions = record.sessions.map((s) => ({
    ...(JSON.parse(s.json) as Json),
    segments: JSON.parse(s.segmentsJson) as unknown,
  }));
  return streamRows(record.id, record.startKey, str(top.type), sessions, derivation).map((row) =>
    STREAM_COLUMN_NAMES.map((c) => row[c] ?? null),
  );
}

/**
 * One row per `mediaStream` of a record (https://learn.microsoft.com/graph/api/resources/callrecords-mediastream),
 * by name, classified by CQD's rules (classify.ts), its endpoints mapped to buildings. A segment is poor when one of
 * its audio streams is; a call when one of its segments is.
 */
export function streamRows(
  recordId: string,
  startKey: string,
  callType: string | null,
  sessions: readonly Json[],
  derivation: StreamDerivation,
): StreamRowValues[] {
  const rows: StreamRowValues[] = [];
  let callPoor = 0;
  for (const session of sessions) {
    const sessionFailure = obj(session.failureInfo);
    for (const segment of objects(session.segments)) {
      const segmentFailure = obj(segment.failureInfo);
      const first = rows.length;
      let segmentPoor = 0;
      for (const media of objects(segment.media)) {
        const label = str(media.label);
        const type = mediaTypeOf(label);
        const caller = endpointSide(
          'caller',
          obj(segment.caller),
          obj(media.callerDevice),
          obj(media.callerNetwork),
          derivation.buildings,
        );
        const callee = endpointSide(
          'callee',
          obj(segment.callee),
          obj(media.calleeDevice),
          obj(media.calleeNetwork),
          derivation.buildings,
        );
        // CQD's First endpoint: a server when one side is a server, else the caller.
        const firstSide = callee.server && !caller.server ? callee : caller;
        const secondSide = firstSide === caller ? callee : caller;
        for (const stream of objects(media.streams)) {
          const direction = str(stream.streamDirection);
          const [sender, receiver] = direction === 'calleeToCaller' ? [callee, caller] : [caller, callee];
          const row: StreamRowValues = {
            record_id: recordId,
            start_key: startKey,
            ordinal: rows.length,
            call_type: callType,
            session_id: str(session.id),
            segment_id: str(segment.id),
            segment_start: timeKey(segment.startDateTime),
            segment_end: timeKey(segment.endDateTime),
            stream_start: timeKey(stream.startDateTime),
            stream_end: timeKey(stream.endDateTime),
            session_failure_stage: str(sessionFailure?.stage),
            session_failure_reason: str(sessionFailure?.reason),
            segment_failure_stage: str(segmentFailure?.stage),
            segment_failure_reason: str(segmentFailure?.reason),
            media_label: label,
            media_type: type,
            stream_id: str(stream.streamId),
            stream_direction: direction,
            first_role: firstSide.role,
            sender_is_first: sender === firstSide ? 1 : 0,
            first_connection_type: firstSide.connectionType,
            second_connection_type: secondSide.connectionType,
          };
          addSide(row, 'sender', sender);
          addSide(row, 'receiver', receiver);
          addMetrics(row, stream);
          const result = classifyStream(type, metricsOf(row), derivation.rules);
          row.classification = result.classification;
          row.poor_reasons = result.reasons.join(';');
          for (const [reason, column] of Object.entries(REASON_COLUMN)) {
            row[column] = result.reasons.includes(reason as PoorReason) ? 1 : 0;
          }
          if (type === 'audio' && result.classification === 'Poor') segmentPoor = 1;
          rows.push(row);
        }
      }
      for (let i = first; i < rows.length; i++) rows[i]!.segment_poor = segmentPoor;
      callPoor |= segmentPoor;
    }
  }
  for (const row of rows) row.call_poor = callPoor;
  return rows;
}

function addSide(row: StreamRowValues, prefix: string, side: EndpointSide): void {
  for (const [key, value] of Object.entries(side.values)) row[`${prefix}_${key}`] = value;
}

function addMetrics(row: StreamRowValues, s: Json): void {
  row.audio_codec = str(s.audioCodec);
  row.video_codec = str(s.videoCodec);
  row.average_audio_degradation = num(s.averageAudioDegradation);
  row.average_audio_network_jitter_ms = durationMs(s.averageAudioNetworkJitter);
  row.max_audio_network_jitter_ms = durationMs(s.maxAudioNetworkJitter);
  row.average_jitter_ms = durationMs(s.averageJitter);
  row.max_jitter_ms = durationMs(s.maxJitter);
  row.average_packet_loss_rate = num(s.averagePacketLossRate);
  row.max_packet_loss_rate = num(s.maxPacketLossRate);
  row.post_fec_packet_loss_rate = num(s.postForwardErrorCorrectionPacketLossRate);
  row.is_audio_fec_used = flag(s.isAudioForwardErrorCorrectionUsed);
  row.average_ratio_of_concealed_samples = num(s.averageRatioOfConcealedSamples);
  row.max_ratio_of_concealed_samples = num(s.maxRatioOfConcealedSamples);
  row.average_round_trip_time_ms = durationMs(s.averageRoundTripTime);
  row.max_round_trip_time_ms = durationMs(s.maxRoundTripTime);
  row.packet_utilization = int(s.packetUtilization);
  row.average_bandwidth_estimate = int(s.averageBandwidthEstimate);
  row.was_media_bypassed = flag(s.wasMediaBypassed);
  row.average_video_frame_rate = num(s.averageVideoFrameRate);
  row.average_received_frame_rate = num(s.averageReceivedFrameRate);
  row.low_frame_rate_ratio = num(s.lowFrameRateRatio);
  row.average_freeze_duration_ms = durationMs(s.averageFreezeDuration);
  row.rms_freeze_duration_ms = durationMs(s.rmsFreezeDuration);
  row.average_video_frame_loss_percentage = num(s.averageVideoFrameLossPercentage);
  row.average_video_packet_loss_rate = num(s.averageVideoPacketLossRate);
  row.low_video_processing_capability_ratio = num(s.lowVideoProcessingCapabilityRatio);
}

function metricsOf(row: StreamRowValues) {
  const n = (c: string) => row[c] as number | null;
  return {
    packetUtilization: n('packet_utilization'),
    averageRoundTripTimeMs: n('average_round_trip_time_ms'),
    averagePacketLossRate: n('average_packet_loss_rate'),
    averageJitterMs: n('average_jitter_ms'),
    averageAudioDegradation: n('average_audio_degradation'),
    averageRatioOfConcealedSamples: n('average_ratio_of_concealed_samples'),
    averageVideoFrameLossPercentage: n('average_video_frame_loss_percentage'),
    averageVideoFrameRate: n('average_video_frame_rate'),
    postForwardErrorCorrectionPacketLossRate: n('post_fec_packet_loss_rate'),
  };
}
