/**
 * The names an analytics query may use — CQD's model of dimensions × measures (docs/analytics.md, "Query API";
 * https://learn.microsoft.com/microsoftteams/dimensions-and-measures-available-in-call-quality-dashboard). What each
 * name means in SQL is the storage layer's business (src/storage/sql/analytics-sql.ts); this file only names them.
 */

/** How a dimension's values look: text, a `yyyy-mm-dd` date, or a flag. */
export type DimensionType = 'text' | 'date' | 'boolean';

/** The dimensions, with their type and what they are. */
export const DIMENSIONS = {
  day: { type: 'date', about: 'the UTC day the stream started (yyyy-mm-dd)' },
  week: { type: 'date', about: 'the Monday of the ISO week the stream started in (yyyy-mm-dd)' },
  month: { type: 'text', about: 'the month the stream started in (yyyy-mm)' },
  mediaType: { type: 'text', about: 'audio, video, vbss (video-based screen sharing) or other' },
  mediaLabel: { type: 'text', about: "the stream's media label (main-audio, main-video, …)" },
  direction: { type: 'text', about: 'callerToCallee or calleeToCaller' },
  firstConnectionType: { type: 'text', about: 'the First endpoint’s connection type (wired, wifi, mobile, tunnel, …)' },
  secondConnectionType: { type: 'text', about: 'the Second endpoint’s connection type' },
  platform: { type: 'text', about: 'the client platform of the sending endpoint' },
  productFamily: { type: 'text', about: 'the product family of the sending endpoint' },
  clientVersion: { type: 'text', about: 'the client version of the sending endpoint' },
  captureDevice: { type: 'text', about: 'the capture device of the sending endpoint' },
  renderDevice: { type: 'text', about: 'the render device of the receiving endpoint' },
  wifiBand: { type: 'text', about: 'the WiFi band of the sending endpoint' },
  subnet: { type: 'text', about: 'the subnet of the sending endpoint' },
  building: { type: 'text', about: 'the building the sending endpoint’s subnet maps to (building file)' },
  network: { type: 'text', about: 'the network name the sending endpoint’s subnet maps to' },
  city: { type: 'text', about: 'the city of that building' },
  country: { type: 'text', about: 'the country of that building' },
  insideCorp: { type: 'boolean', about: 'whether the sending endpoint was inside the corporate network' },
  vpn: { type: 'boolean', about: 'whether the sending endpoint was on a VPN' },
  callType: { type: 'text', about: 'the call record’s type: peerToPeer, groupCall or unknown' },
  classification: { type: 'text', about: 'Good, Poor or Unclassified' },
  failureStage: { type: 'text', about: 'the failureInfo stage of the segment (or its session): callSetup or midcall' },
  failureReason: { type: 'text', about: 'the failureInfo reason of the segment (or its session)' },
  callId: { type: 'text', about: 'the call record’s id (for one call’s streams; many groups)' },
  callStart: { type: 'text', about: 'the call’s startDateTime as a sortable UTC key' },
} as const satisfies Record<string, { type: DimensionType; about: string }>;

/** A dimension's name. */
export type DimensionName = keyof typeof DIMENSIONS;

/** Names a filter accepts beside the dimensions: `date` is the day. */
export const FILTER_ALIASES: Readonly<Record<string, DimensionName>> = { date: 'day' };

/**
 * A name only a filter accepts: `userId eq '…'` keeps the streams either endpoint of which is that user (the
 * helpdesk view); it compares with eq, ne or in only.
 */
export const USER_FILTER = 'userId';

/** The measures, with what they count. */
export const MEASURES = {
  streams: 'streams',
  goodStreams: 'streams classified Good',
  poorStreams: 'streams classified Poor',
  unclassifiedStreams: 'streams left Unclassified',
  poorStreamPct: 'Poor / (Poor + Good) × 100; null when none is classified',
  poorDueToJitter: 'Poor streams with jitter among their reasons',
  poorDueToPacketLoss: 'Poor streams with packet loss among their reasons',
  poorDueToRoundTrip: 'Poor streams with round trip among their reasons',
  poorDueToDegradation: 'Poor streams with audio degradation among their reasons (legacy rule set)',
  poorDueToConcealedRatio: 'Poor streams with concealed-samples ratio among their reasons (legacy rule set)',
  poorDueToFrameLoss: 'Poor video streams decided by frame loss',
  poorDueToFrameRate: 'Poor video streams decided by frame rate',
  poorDueToPostFecPacketLoss: 'Poor video streams decided by post-FEC packet loss',
  calls: 'distinct call records',
  poorCalls: 'distinct call records with at least one Poor audio stream',
  poorCallPct: 'poor calls × 100 / calls with at least one classified audio stream',
  failures: 'distinct segments with failureInfo (on the segment or its session)',
  setupFailures: 'distinct segments whose failureInfo (or their session’s) has stage callSetup',
  drops: 'distinct segments whose failureInfo (or their session’s) has stage midcall',
  avgJitter: 'average jitter, ms',
  p90Jitter: '90th percentile of jitter, ms',
  avgRoundTrip: 'average round trip, ms',
  p90RoundTrip: '90th percentile of round trip, ms',
  avgPacketLoss: 'average packet loss rate (0–1)',
  p90PacketLoss: '90th percentile of packet loss rate (0–1)',
  avgFeedbackRating: 'average user feedback rating (1 bad … 5 excellent), over rated streams',
} as const;

/** A measure's name. */
export type MeasureName = keyof typeof MEASURES;

/** Whether `name` is a dimension. */
export function isDimension(name: string): name is DimensionName {
  return Object.hasOwn(DIMENSIONS, name);
}

/** Whether `name` is a measure. */
export function isMeasure(name: string): name is MeasureName {
  return Object.hasOwn(MEASURES, name);
}
