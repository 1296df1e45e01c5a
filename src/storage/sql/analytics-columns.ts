import type { DimensionName, MeasureName } from '../../analytics/query/catalog.js';

/**
 * Where each dimension lives in (an SQL expression over) the per-stream table `streams` (migration 0008; src/analytics/stream-columns.ts):
 * the sending endpoint's user agent, device, network and building, the receiver's render device. The time
 * dimensions come from the call's start key, so a date filter is a range of the `start_key` index.
 */
export const STREAM_DIMENSION_COLUMN: Readonly<Record<Exclude<DimensionName, 'day' | 'week' | 'month'>, string>> = {
  mediaType: 'media_type',
  mediaLabel: 'media_label',
  direction: 'stream_direction',
  firstConnectionType: 'first_connection_type',
  secondConnectionType: 'second_connection_type',
  platform: 'sender_platform',
  productFamily: 'sender_product_family',
  clientVersion: 'sender_client_version',
  captureDevice: 'sender_capture_device',
  renderDevice: 'receiver_render_device',
  wifiBand: 'sender_wifi_band',
  subnet: 'sender_subnet',
  building: 'sender_building',
  network: 'sender_network_name',
  city: 'sender_city',
  country: 'sender_country',
  insideCorp: 'sender_inside_corp',
  vpn: 'sender_vpn',
  callType: 'call_type',
  classification: 'classification',
  failureStage: 'coalesce(segment_failure_stage, session_failure_stage)',
  failureReason: 'coalesce(segment_failure_reason, session_failure_reason)',
  callId: 'record_id',
  callStart: 'start_key',
};

/** The flag column of each poor-due-to measure. */
export const REASON_COLUMN = {
  poorDueToJitter: 'poor_jitter',
  poorDueToPacketLoss: 'poor_packet_loss',
  poorDueToRoundTrip: 'poor_round_trip',
  poorDueToDegradation: 'poor_degradation',
  poorDueToConcealedRatio: 'poor_concealed',
  poorDueToFrameLoss: 'poor_frame_loss',
  poorDueToFrameRate: 'poor_frame_rate',
  poorDueToPostFecPacketLoss: 'poor_post_fec_loss',
} as const satisfies Partial<Record<MeasureName, string>>;

/** The metric column each average and 90th-percentile measure reads. */
export const METRIC_COLUMN = {
  jitter: 'average_jitter_ms',
  roundTrip: 'average_round_trip_time_ms',
  packetLoss: 'average_packet_loss_rate',
} as const;

/** The percentile measures and their metric. */
export const PERCENTILE_METRIC: Partial<Record<MeasureName, keyof typeof METRIC_COLUMN>> = {
  p90Jitter: 'jitter',
  p90RoundTrip: 'roundTrip',
  p90PacketLoss: 'packetLoss',
};

/** The average measures and their metric. */
export const AVERAGE_METRIC: Partial<Record<MeasureName, keyof typeof METRIC_COLUMN>> = {
  avgJitter: 'jitter',
  avgRoundTrip: 'roundTrip',
  avgPacketLoss: 'packetLoss',
};

/**
 * A rollup table maintained at ingest by triggers (migrations 0010 and 0013): per day and a few dimensions, the counts
 * and sums the additive measures need. A query whose dimensions and filter fit one is answered from it.
 */
export interface RollupSpec {
  readonly table: string;
  /** Its dimensions besides `day` (week and month derive from the day); each is a column named in snake_case. */
  readonly dimensions: readonly Exclude<DimensionName, 'day' | 'week' | 'month'>[];
  /**
   * It also counts calls and failed segments (CALL_MEASURES): a call has one start day and call-level properties, so
   * these counts add up over days — but not over a stream-level dimension (a call has streams of several media
   * types), so only a rollup whose dimensions are all call-level may hold them.
   */
  readonly callCounters?: true;
}

/** The rollup by day (and call type) alone, which also counts calls and failures: the overview's volume and failures. */
export const DAY_ROLLUP: RollupSpec = { table: 'stream_rollup_day', dimensions: ['callType'], callCounters: true };

/** The rollups of migration 0010: CQD's two most used views, place and client/connection. */
export const PLACE_AND_CLIENT_ROLLUPS: readonly RollupSpec[] = [
  {
    table: 'stream_rollup_place',
    dimensions: ['mediaType', 'building', 'network', 'city', 'country', 'insideCorp'],
  },
  {
    table: 'stream_rollup_client',
    dimensions: ['mediaType', 'firstConnectionType', 'secondConnectionType', 'platform', 'productFamily'],
  },
];

/** The rollups, smallest first. */
export const ROLLUPS: readonly RollupSpec[] = [DAY_ROLLUP, ...PLACE_AND_CLIENT_ROLLUPS];

/**
 * The measures only a rollup with `callCounters` answers: counts of distinct calls and of distinct failed segments,
 * held as counts of each call's first stream and each segment's first stream.
 */
export const CALL_MEASURES: ReadonlySet<MeasureName> = new Set<MeasureName>([
  'calls',
  'poorCalls',
  'failures',
  'setupFailures',
  'drops',
]);

/** The measures a rollup can answer: sums of counts, and averages as sum / count. */
export const ADDITIVE_MEASURES: ReadonlySet<MeasureName> = new Set<MeasureName>([
  'streams',
  'goodStreams',
  'poorStreams',
  'unclassifiedStreams',
  'poorStreamPct',
  ...(Object.keys(REASON_COLUMN) as MeasureName[]),
  'avgJitter',
  'avgRoundTrip',
  'avgPacketLoss',
]);

/** A dimension's column name in a rollup table. */
export function rollupColumn(dimension: string): string {
  return dimension.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
