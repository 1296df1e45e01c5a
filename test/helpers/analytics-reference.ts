/**
 * The analytics query API's measures and dimensions computed straight from stored stream rows in JavaScript, from
 * their definitions in docs/analytics.md (not from the SQL), so that tests compare the stores' answers with an
 * independent count.
 */
import type { Cell } from '../../src/analytics/query/model.js';
import type { StoredStream } from '../../src/storage/stream-types.js';

type Row = Record<string, string | number | null>;

const RATING: Record<string, number> = { bad: 1, poor: 2, fair: 3, good: 4, excellent: 5 };

/** A dimension's value of a row. */
export function dimensionOf(name: string, row: Row): Cell {
  const start = String(row.start_key);
  const flag = (v: unknown) => (v === null || v === undefined ? null : Number(v) !== 0);
  switch (name) {
    case 'day':
      return start.slice(0, 10);
    case 'month':
      return start.slice(0, 7);
    case 'week': {
      const day = new Date(`${start.slice(0, 10)}T00:00:00Z`);
      day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
      return day.toISOString().slice(0, 10);
    }
    case 'insideCorp':
      return flag(row.sender_inside_corp);
    case 'vpn':
      return flag(row.sender_vpn);
    case 'failureStage':
      return (row.segment_failure_stage ?? row.session_failure_stage) as Cell;
    case 'failureReason':
      return (row.segment_failure_reason ?? row.session_failure_reason) as Cell;
    default:
      return (row[COLUMN[name]!] ?? null) as Cell;
  }
}

const COLUMN: Record<string, string> = {
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
  callType: 'call_type',
  classification: 'classification',
  callId: 'record_id',
  callStart: 'start_key',
};

const REASON: Record<string, string> = {
  poorDueToJitter: 'poor_jitter',
  poorDueToPacketLoss: 'poor_packet_loss',
  poorDueToRoundTrip: 'poor_round_trip',
  poorDueToDegradation: 'poor_degradation',
  poorDueToConcealedRatio: 'poor_concealed',
  poorDueToFrameLoss: 'poor_frame_loss',
  poorDueToFrameRate: 'poor_frame_rate',
  poorDueToPostFecPacketLoss: 'poor_post_fec_loss',
};

const METRIC: Record<string, string> = {
  Jitter: 'average_jitter_ms',
  RoundTrip: 'average_round_trip_time_ms',
  PacketLoss: 'average_packet_loss_rate',
};

function distinct(rows: Row[], keep: (r: Row) => boolean, key: (r: Row) => string | null): number {
  return new Set(
    rows
      .filter(keep)
      .map(key)
      .filter((k) => k !== null),
  ).size;
}

const segmentKey = (r: Row) => `${r.record_id}/${r.session_id}/${r.segment_id}`;
const stage = (r: Row) => r.segment_failure_stage ?? r.session_failure_stage;

/** A measure over the rows of one group. */
export function measureOf(name: string, rows: Row[]): number | null {
  const is = (c: string) => rows.filter((r) => r.classification === c).length;
  const pct = (part: number, whole: number) => (whole === 0 ? null : (100 * part) / whole);
  if (REASON[name] !== undefined) return rows.reduce((n, r) => n + Number(r[REASON[name]!] ?? 0), 0);
  const metric = /^(avg|p90)(Jitter|RoundTrip|PacketLoss)$/.exec(name);
  if (metric !== null) {
    const values = rows
      .map((r) => r[METRIC[metric[2]!]!])
      .filter((v): v is number => v !== null && v !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
    if (values.length === 0) return null;
    if (metric[1] === 'avg') return values.reduce((a, b) => a + b, 0) / values.length;
    return values[Math.ceil(0.9 * values.length) - 1]!;
  }
  const audio = (r: Row) => r.media_type === 'audio';
  const poorCalls = distinct(
    rows,
    (r) => audio(r) && r.classification === 'Poor',
    (r) => String(r.record_id),
  );
  switch (name) {
    case 'streams':
      return rows.length;
    case 'goodStreams':
      return is('Good');
    case 'poorStreams':
      return is('Poor');
    case 'unclassifiedStreams':
      return rows.length - is('Good') - is('Poor');
    case 'poorStreamPct':
      return pct(is('Poor'), is('Poor') + is('Good'));
    case 'calls':
      return distinct(
        rows,
        () => true,
        (r) => String(r.record_id),
      );
    case 'poorCalls':
      return poorCalls;
    case 'poorCallPct':
      return pct(
        poorCalls,
        distinct(
          rows,
          (r) => audio(r) && (r.classification === 'Good' || r.classification === 'Poor'),
          (r) => String(r.record_id),
        ),
      );
    case 'failures':
      return distinct(rows, (r) => stage(r) !== null && stage(r) !== undefined, segmentKey);
    case 'setupFailures':
      return distinct(rows, (r) => stage(r) === 'callSetup', segmentKey);
    case 'drops':
      return distinct(rows, (r) => stage(r) === 'midcall', segmentKey);
    case 'avgFeedbackRating': {
      const ratings = rows.map((r) => RATING[String(r.sender_feedback_rating)]).filter((v) => v !== undefined);
      return ratings.length === 0 ? null : ratings.reduce((a, b) => a + b, 0) / ratings.length;
    }
    default:
      throw new Error(`no reference for ${name}`);
  }
}

/** The answer to `measures` by `by` over the rows `keep` keeps: rows of dimension values then measures, unordered. */
export function referenceTable(
  streams: readonly StoredStream[],
  measures: readonly string[],
  by: readonly string[],
  keep: (row: Row) => boolean = () => true,
): Cell[][] {
  const groups = new Map<string, { key: Cell[]; rows: Row[] }>();
  for (const stream of streams as unknown as Row[]) {
    if (!keep(stream)) continue;
    const key = by.map((d) => dimensionOf(d, stream));
    const id = JSON.stringify(key);
    const group = groups.get(id) ?? { key, rows: [] };
    group.rows.push(stream);
    groups.set(id, group);
  }
  if (by.length === 0 && groups.size === 0) groups.set('[]', { key: [], rows: [] });
  return [...groups.values()].map((g) => [...g.key, ...measures.map((m) => measureOf(m, g.rows))]);
}

/** Sorts rows as the stores do (byte order of the dimensions, nulls last) and rounds reals to six decimals. */
export function normalised(rows: readonly Cell[][], dims: number): Cell[][] {
  const round = (c: Cell) => (typeof c === 'number' && !Number.isInteger(c) ? Math.round(c * 1e4) / 1e4 : c);
  const sorted = rows.map((r) => r.map(round));
  sorted.sort((a, b) => {
    for (let i = 0; i < dims; i++) {
      const [x, y] = [a[i], b[i]];
      if (x === y) continue;
      if (x === null) return 1;
      if (y === null) return -1;
      return Buffer.compare(Buffer.from(String(x)), Buffer.from(String(y)));
    }
    return 0;
  });
  return sorted;
}
