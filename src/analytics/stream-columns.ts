/**
 * The columns of the per-stream table (`streams`, migration 0008), in table order: each with its SQL name, the name
 * it has in `export --streams` and the query API (docs/analytics.md, "Stream table"), and its kind. One row per
 * `mediaStream` of a record's current version (https://learn.microsoft.com/graph/api/resources/callrecords-mediastream).
 */

/** What a column holds: text, a whole number (flags are 0/1), or a real number. */
export type StreamColumnKind = 'text' | 'integer' | 'real';

/** One column of the stream table. */
export interface StreamColumn {
  /** The SQL column name (snake_case). */
  readonly column: string;
  /** The documented name (export header, query field). */
  readonly name: string;
  readonly kind: StreamColumnKind;
}

const t = (column: string, name: string): StreamColumn => ({ column, name, kind: 'text' });
const i = (column: string, name: string): StreamColumn => ({ column, name, kind: 'integer' });
const r = (column: string, name: string): StreamColumn => ({ column, name, kind: 'real' });

/** The columns describing one endpoint of a stream; `side` is `sender` or `receiver`. */
function endpointColumns(side: 'sender' | 'receiver'): StreamColumn[] {
  const c = (s: string) => `${side}_${s}`;
  const n = (s: string) => side + s;
  return [
    t(c('role'), n('Role')),
    t(c('kind'), n('Kind')),
    t(c('user_id'), n('UserId')),
    t(c('user_name'), n('UserName')),
    t(c('platform'), n('Platform')),
    t(c('product_family'), n('ProductFamily')),
    t(c('client_version'), n('ClientVersion')),
    t(c('service_role'), n('ServiceRole')),
    t(c('user_agent'), n('UserAgent')),
    t(c('feedback_rating'), n('FeedbackRating')),
    t(c('capture_device'), n('CaptureDevice')),
    t(c('render_device'), n('RenderDevice')),
    t(c('connection_type'), n('ConnectionType')),
    t(c('wifi_band'), n('WifiBand')),
    i(c('wifi_channel'), n('WifiChannel')),
    i(c('wifi_signal_strength'), n('WifiSignalStrength')),
    t(c('wifi_radio_type'), n('WifiRadioType')),
    t(c('subnet'), n('Subnet')),
    t(c('ip_address'), n('IpAddress')),
    t(c('reflexive_ip_address'), n('ReflexiveIpAddress')),
    i(c('vpn'), n('Vpn')),
    i(c('link_speed'), n('LinkSpeed')),
    t(c('building'), n('Building')),
    t(c('network_name'), n('NetworkName')),
    t(c('city'), n('City')),
    t(c('state'), n('State')),
    t(c('country'), n('Country')),
    t(c('region'), n('Region')),
    i(c('inside_corp'), n('InsideCorp')),
    i(c('express_route'), n('ExpressRoute')),
    i(c('building_vpn'), n('BuildingVpn')),
  ];
}

/** The stream metrics, Graph's names (durations in milliseconds, their names ending in `Ms`). */
export const METRIC_COLUMNS: readonly StreamColumn[] = [
  t('audio_codec', 'audioCodec'),
  t('video_codec', 'videoCodec'),
  r('average_audio_degradation', 'averageAudioDegradation'),
  r('average_audio_network_jitter_ms', 'averageAudioNetworkJitterMs'),
  r('max_audio_network_jitter_ms', 'maxAudioNetworkJitterMs'),
  r('average_jitter_ms', 'averageJitterMs'),
  r('max_jitter_ms', 'maxJitterMs'),
  r('average_packet_loss_rate', 'averagePacketLossRate'),
  r('max_packet_loss_rate', 'maxPacketLossRate'),
  r('post_fec_packet_loss_rate', 'postForwardErrorCorrectionPacketLossRate'),
  i('is_audio_fec_used', 'isAudioForwardErrorCorrectionUsed'),
  r('average_ratio_of_concealed_samples', 'averageRatioOfConcealedSamples'),
  r('max_ratio_of_concealed_samples', 'maxRatioOfConcealedSamples'),
  r('average_round_trip_time_ms', 'averageRoundTripTimeMs'),
  r('max_round_trip_time_ms', 'maxRoundTripTimeMs'),
  i('packet_utilization', 'packetUtilization'),
  i('average_bandwidth_estimate', 'averageBandwidthEstimate'),
  i('was_media_bypassed', 'wasMediaBypassed'),
  r('average_video_frame_rate', 'averageVideoFrameRate'),
  r('average_received_frame_rate', 'averageReceivedFrameRate'),
  r('low_frame_rate_ratio', 'lowFrameRateRatio'),
  r('average_freeze_duration_ms', 'averageFreezeDurationMs'),
  r('rms_freeze_duration_ms', 'rmsFreezeDurationMs'),
  r('average_video_frame_loss_percentage', 'averageVideoFrameLossPercentage'),
  r('average_video_packet_loss_rate', 'averageVideoPacketLossRate'),
  r('low_video_processing_capability_ratio', 'lowVideoProcessingCapabilityRatio'),
];

/** Every column of the stream table, in order (PostgreSQL's layout; COPY and SQLite's insert send them so). */
export const STREAM_COLUMNS: readonly StreamColumn[] = [
  t('record_id', 'callId'),
  t('start_key', 'callStartKey'),
  i('ordinal', 'streamOrdinal'),
  t('call_type', 'callType'),
  t('session_id', 'sessionId'),
  t('segment_id', 'segmentId'),
  t('segment_start', 'segmentStartDateTime'),
  t('segment_end', 'segmentEndDateTime'),
  t('stream_start', 'streamStartDateTime'),
  t('stream_end', 'streamEndDateTime'),
  t('session_failure_stage', 'sessionFailureStage'),
  t('session_failure_reason', 'sessionFailureReason'),
  t('segment_failure_stage', 'segmentFailureStage'),
  t('segment_failure_reason', 'segmentFailureReason'),
  t('media_label', 'mediaLabel'),
  t('media_type', 'mediaType'),
  t('stream_id', 'streamId'),
  t('stream_direction', 'streamDirection'),
  t('first_role', 'firstRole'),
  i('sender_is_first', 'senderIsFirst'),
  t('first_connection_type', 'firstConnectionType'),
  t('second_connection_type', 'secondConnectionType'),
  ...endpointColumns('sender'),
  ...endpointColumns('receiver'),
  ...METRIC_COLUMNS,
  t('classification', 'classification'),
  t('poor_reasons', 'poorReasons'),
  i('poor_jitter', 'poorDueToJitter'),
  i('poor_packet_loss', 'poorDueToPacketLoss'),
  i('poor_round_trip', 'poorDueToRoundTrip'),
  i('poor_degradation', 'poorDueToDegradation'),
  i('poor_concealed', 'poorDueToConcealedRatio'),
  i('poor_frame_loss', 'poorDueToFrameLoss'),
  i('poor_frame_rate', 'poorDueToFrameRate'),
  i('poor_post_fec_loss', 'poorDueToPostFecPacketLoss'),
  i('segment_poor', 'segmentPoor'),
  i('call_poor', 'callPoor'),
];

/** The SQL column names, in table order. */
export const STREAM_COLUMN_NAMES: readonly string[] = STREAM_COLUMNS.map((c) => c.column);

/** The building columns of each side (re-mapped when a new building file arrives), SQL names. */
export const BUILDING_FIELDS = [
  'building',
  'network_name',
  'city',
  'state',
  'country',
  'region',
  'inside_corp',
  'express_route',
  'building_vpn',
] as const;

/** A stream row keyed by SQL column name (the values a row builder produces, by name). */
export type StreamRowValues = Record<string, string | number | null>;
