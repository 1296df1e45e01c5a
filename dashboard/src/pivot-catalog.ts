/**
 * The query API's dimensions and measures as the Breakdown page offers them (docs/analytics.md, "Dimensions" and
 * "Measures"; CQD's model: https://learn.microsoft.com/microsoftteams/dimensions-and-measures-available-in-call-quality-dashboard).
 * `GET /api/analytics` does not list its catalog, so the front end keeps this one list with labels a person reads;
 * test/dashboard-breakdown.test.ts checks that it names exactly what the API accepts. No DOM here: the test imports it.
 */

/** How a measure's values are shown: a count, a percentage, milliseconds, a 0–1 rate, a 1–5 rating. */
export type MeasureKind = 'count' | 'percent' | 'ms' | 'rate' | 'rating';

export interface DimensionChoice {
  name: string;
  label: string;
}

export interface MeasureChoice {
  name: string;
  label: string;
  kind: MeasureKind;
}

export const PIVOT_DIMENSIONS: readonly DimensionChoice[] = [
  { name: 'day', label: 'Day (UTC)' },
  { name: 'week', label: 'Week (Monday)' },
  { name: 'month', label: 'Month' },
  { name: 'mediaType', label: 'Media type' },
  { name: 'mediaLabel', label: 'Media label' },
  { name: 'direction', label: 'Direction' },
  { name: 'firstConnectionType', label: 'First connection type' },
  { name: 'secondConnectionType', label: 'Second connection type' },
  { name: 'platform', label: 'Platform' },
  { name: 'productFamily', label: 'Product family' },
  { name: 'clientVersion', label: 'Client version' },
  { name: 'captureDevice', label: 'Capture device' },
  { name: 'renderDevice', label: 'Render device' },
  { name: 'wifiBand', label: 'WiFi band' },
  { name: 'subnet', label: 'Subnet' },
  { name: 'building', label: 'Building' },
  { name: 'network', label: 'Network' },
  { name: 'city', label: 'City' },
  { name: 'country', label: 'Country' },
  { name: 'insideCorp', label: 'Inside corporate network' },
  { name: 'vpn', label: 'VPN' },
  { name: 'callType', label: 'Call type' },
  { name: 'classification', label: 'Classification' },
  { name: 'failureStage', label: 'Failure stage' },
  { name: 'failureReason', label: 'Failure reason' },
  { name: 'callId', label: 'Call id' },
  { name: 'callStart', label: 'Call start' },
];

export const PIVOT_MEASURES: readonly MeasureChoice[] = [
  { name: 'streams', label: 'Streams', kind: 'count' },
  { name: 'goodStreams', label: 'Good streams', kind: 'count' },
  { name: 'poorStreams', label: 'Poor streams', kind: 'count' },
  { name: 'unclassifiedStreams', label: 'Unclassified streams', kind: 'count' },
  { name: 'poorStreamPct', label: 'Poor streams (%)', kind: 'percent' },
  { name: 'poorDueToJitter', label: 'Poor due to jitter', kind: 'count' },
  { name: 'poorDueToPacketLoss', label: 'Poor due to packet loss', kind: 'count' },
  { name: 'poorDueToRoundTrip', label: 'Poor due to round trip', kind: 'count' },
  { name: 'poorDueToDegradation', label: 'Poor due to degradation', kind: 'count' },
  { name: 'poorDueToConcealedRatio', label: 'Poor due to concealed samples', kind: 'count' },
  { name: 'poorDueToFrameLoss', label: 'Poor due to video frame loss', kind: 'count' },
  { name: 'poorDueToFrameRate', label: 'Poor due to frame rate', kind: 'count' },
  { name: 'poorDueToPostFecPacketLoss', label: 'Poor due to packet loss after FEC', kind: 'count' },
  { name: 'calls', label: 'Calls', kind: 'count' },
  { name: 'poorCalls', label: 'Poor calls', kind: 'count' },
  { name: 'poorCallPct', label: 'Poor calls (%)', kind: 'percent' },
  { name: 'failures', label: 'Failed segments', kind: 'count' },
  { name: 'setupFailures', label: 'Setup failures', kind: 'count' },
  { name: 'drops', label: 'Drops (mid-call)', kind: 'count' },
  { name: 'avgJitter', label: 'Average jitter (ms)', kind: 'ms' },
  { name: 'p90Jitter', label: '90th percentile jitter (ms)', kind: 'ms' },
  { name: 'avgRoundTrip', label: 'Average round trip (ms)', kind: 'ms' },
  { name: 'p90RoundTrip', label: '90th percentile round trip (ms)', kind: 'ms' },
  { name: 'avgPacketLoss', label: 'Average packet loss (0–1)', kind: 'rate' },
  { name: 'p90PacketLoss', label: '90th percentile packet loss (0–1)', kind: 'rate' },
  { name: 'avgFeedbackRating', label: 'Average feedback rating (1–5)', kind: 'rating' },
];

/** The query API's limit is 6 dimensions; the page offers CQD's usual pivot of up to 3. */
export const MAX_PIVOT_DIMENSIONS = 3;

export function dimensionLabel(name: string): string {
  return PIVOT_DIMENSIONS.find((d) => d.name === name)?.label ?? name;
}

export function measureOf(name: string): MeasureChoice | undefined {
  return PIVOT_MEASURES.find((m) => m.name === name);
}
