/**
 * The names an analytics query may use — CQD's model of dimensions × measures (docs/analytics.md, "Query API";
 * https://learn.microsoft.com/microsoftteams/dimensions-and-measures-available-in-call-quality-dashboard). What each
 * name means in SQL is the storage layer's business (src/storage/sql/analytics-sql.ts); this file only names them.
 */

/** How a dimension's values look: text, a `yyyy-mm-dd` date, or a flag. */
export type DimensionType = 'text' | 'date' | 'boolean';

/** The dimensions, with a name for people (headings, axes), their type and what they are. */
export const DIMENSIONS = {
  // A stream's day is its call's: the per-stream table keys days on the record's startDateTime (start_key).
  day: { label: 'Day', type: 'date', about: 'the UTC day the call started (yyyy-mm-dd)' },
  week: { label: 'Week', type: 'date', about: 'the Monday of the ISO week the call started in (yyyy-mm-dd)' },
  month: { label: 'Month', type: 'text', about: 'the month the call started in (yyyy-mm)' },
  mediaType: { label: 'Media type', type: 'text', about: 'audio, video, vbss (video-based screen sharing) or other' },
  mediaLabel: { label: 'Media label', type: 'text', about: "the stream's media label (main-audio, main-video, …)" },
  direction: { label: 'Direction', type: 'text', about: 'callerToCallee or calleeToCaller' },
  firstConnectionType: {
    label: 'First connection type',
    type: 'text',
    about: 'the First endpoint’s connection type (wired, wifi, mobile, tunnel, …)',
  },
  secondConnectionType: {
    label: 'Second connection type',
    type: 'text',
    about: 'the Second endpoint’s connection type',
  },
  platform: { label: 'Platform', type: 'text', about: 'the client platform of the sending endpoint' },
  productFamily: { label: 'Product family', type: 'text', about: 'the product family of the sending endpoint' },
  clientVersion: { label: 'Client version', type: 'text', about: 'the client version of the sending endpoint' },
  captureDevice: { label: 'Capture device', type: 'text', about: 'the capture device of the sending endpoint' },
  renderDevice: { label: 'Render device', type: 'text', about: 'the render device of the receiving endpoint' },
  wifiBand: { label: 'WiFi band', type: 'text', about: 'the WiFi band of the sending endpoint' },
  subnet: { label: 'Subnet', type: 'text', about: 'the subnet of the sending endpoint' },
  building: {
    label: 'Building',
    type: 'text',
    about: 'the building the sending endpoint’s subnet maps to (building file)',
  },
  network: { label: 'Network', type: 'text', about: 'the network name the sending endpoint’s subnet maps to' },
  city: { label: 'City', type: 'text', about: 'the city of that building' },
  country: { label: 'Country', type: 'text', about: 'the country of that building' },
  insideCorp: {
    label: 'Inside corporate network',
    type: 'boolean',
    about: 'whether the sending endpoint was inside the corporate network',
  },
  vpn: { label: 'VPN', type: 'boolean', about: 'whether the sending endpoint was on a VPN' },
  callType: { label: 'Call type', type: 'text', about: 'the call record’s type: peerToPeer, groupCall or unknown' },
  classification: { label: 'Classification', type: 'text', about: 'Good, Poor or Unclassified' },
  failureStage: {
    label: 'Failure stage',
    type: 'text',
    about: 'the failureInfo stage of the segment (or its session): callSetup or midcall',
  },
  failureReason: {
    label: 'Failure reason',
    type: 'text',
    about: 'the failureInfo reason of the segment (or its session)',
  },
  callId: { label: 'Call id', type: 'text', about: 'the call record’s id (for one call’s streams; many groups)' },
  callStart: { label: 'Call start', type: 'text', about: 'the call’s startDateTime as a sortable UTC key' },
} as const satisfies Record<string, { label: string; type: DimensionType; about: string }>;

/** A dimension's name. */
export type DimensionName = keyof typeof DIMENSIONS;

/** Names a filter accepts beside the dimensions: `date` is the day. */
export const FILTER_ALIASES: Readonly<Record<string, DimensionName>> = { date: 'day' };

/**
 * A name only a filter accepts: `userId eq '…'` keeps the streams either endpoint of which is that user (the
 * helpdesk view); it compares with eq, ne or in only.
 */
export const USER_FILTER = 'userId';

/**
 * How a measure's values read beside the number: a percentage, milliseconds, a rate from 0 to 1, a rating from 1 to 5;
 * a measure without a unit is a count.
 */
export type MeasureUnit = '%' | 'ms' | '0–1' | '1–5';

/** The measures, with a name for people (headings, axes), what they count and their unit (none: a count). */
export const MEASURES = {
  streams: { label: 'Streams', about: 'media streams' },
  goodStreams: { label: 'Good streams', about: 'streams classified Good' },
  poorStreams: { label: 'Poor streams', about: 'streams classified Poor' },
  unclassifiedStreams: { label: 'Unclassified streams', about: 'streams left Unclassified' },
  poorStreamPct: {
    label: 'Poor stream %',
    about: 'Poor / (Poor + Good) × 100; null when none is classified',
    unit: '%',
  },
  poorDueToJitter: { label: 'Poor due to jitter', about: 'Poor streams with jitter among their reasons' },
  poorDueToPacketLoss: { label: 'Poor due to packet loss', about: 'Poor streams with packet loss among their reasons' },
  poorDueToRoundTrip: { label: 'Poor due to round trip', about: 'Poor streams with round trip among their reasons' },
  poorDueToDegradation: {
    label: 'Poor due to degradation',
    about: 'Poor streams with audio degradation among their reasons (legacy rule set)',
  },
  poorDueToConcealedRatio: {
    label: 'Poor due to concealed ratio',
    about: 'Poor streams with concealed-samples ratio among their reasons (legacy rule set)',
  },
  poorDueToFrameLoss: { label: 'Poor due to frame loss', about: 'Poor video streams decided by frame loss' },
  poorDueToFrameRate: { label: 'Poor due to frame rate', about: 'Poor video streams decided by frame rate' },
  poorDueToPostFecPacketLoss: {
    label: 'Poor due to post-FEC packet loss',
    about: 'Poor video streams decided by post-FEC packet loss',
  },
  calls: { label: 'Calls', about: 'distinct call records' },
  poorCalls: { label: 'Poor calls', about: 'distinct call records with at least one Poor audio stream' },
  poorCallPct: {
    label: 'Poor call %',
    about: 'poor calls × 100 / calls with at least one classified audio stream',
    unit: '%',
  },
  failures: { label: 'Failures', about: 'distinct segments with failureInfo (on the segment or its session)' },
  setupFailures: {
    label: 'Setup failures',
    about: 'distinct segments whose failureInfo (or their session’s) has stage callSetup',
  },
  drops: { label: 'Drops', about: 'distinct segments whose failureInfo (or their session’s) has stage midcall' },
  avgJitter: { label: 'Avg jitter', about: 'average jitter', unit: 'ms' },
  p90Jitter: { label: 'P90 jitter', about: '90th percentile of jitter', unit: 'ms' },
  avgRoundTrip: { label: 'Avg round trip', about: 'average round trip', unit: 'ms' },
  p90RoundTrip: { label: 'P90 round trip', about: '90th percentile of round trip', unit: 'ms' },
  avgPacketLoss: { label: 'Avg packet loss', about: 'average packet loss rate', unit: '0–1' },
  p90PacketLoss: { label: 'P90 packet loss', about: '90th percentile of packet loss rate', unit: '0–1' },
  avgFeedbackRating: {
    label: 'Avg feedback rating',
    about: 'average user feedback rating (1 bad … 5 excellent), over rated streams',
    unit: '1–5',
  },
} as const satisfies Record<string, { label: string; about: string; unit?: MeasureUnit }>;

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
