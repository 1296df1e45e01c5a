import { h } from '../dom.js';
import { decimal } from '../format.js';
import type { CallStreamsAnswer as CallStreams, StreamRow } from '../../../src/analytics/call-search-answers.js';
import type { CallRecord } from '../graph-record.js';

/** The answer of `GET /api/analytics/calls/{id}/streams`, as the server declares it. */
export type { CallStreamsAnswer as CallStreams, StreamRow } from '../../../src/analytics/call-search-answers.js';

/**
 * The metrics shown per stream, and the poor reason (docs/analytics.md, "Classification") that each one decides:
 * a Poor stream's reasons name the metrics that crossed their threshold, and those cells are highlighted.
 */
const METRICS: { column: string; label: string; unit: string; reason: string; digits: number }[] = [
  { column: 'averageJitterMs', label: 'Jitter', unit: 'ms', reason: 'jitter', digits: 1 },
  { column: 'averagePacketLossRate', label: 'Packet loss', unit: 'rate', reason: 'packetLoss', digits: 3 },
  { column: 'averageRoundTripTimeMs', label: 'Round trip', unit: 'ms', reason: 'roundTrip', digits: 0 },
  { column: 'averageAudioDegradation', label: 'Degradation', unit: 'MOS', reason: 'degradation', digits: 2 },
  {
    column: 'averageRatioOfConcealedSamples',
    label: 'Concealed',
    unit: 'ratio',
    reason: 'concealedRatio',
    digits: 3,
  },
  { column: 'averageVideoFrameLossPercentage', label: 'Frame loss', unit: '%', reason: 'frameLoss', digits: 1 },
  { column: 'averageVideoFrameRate', label: 'Frame rate', unit: 'fps', reason: 'frameRate', digits: 1 },
  {
    column: 'postForwardErrorCorrectionPacketLossRate',
    label: 'Loss after FEC',
    unit: 'rate',
    reason: 'postFecPacketLoss',
    digits: 3,
  },
];

const REASON_TEXT: Record<string, string> = {
  jitter: 'jitter',
  packetLoss: 'packet loss',
  roundTrip: 'round trip',
  degradation: 'degradation',
  concealedRatio: 'concealed samples',
  frameLoss: 'frame loss',
  frameRate: 'low frame rate',
  postFecPacketLoss: 'loss after FEC',
};

/** The reasons of a row (`poorReasons`, joined with `;`). */
export function reasonsOf(row: StreamRow): string[] {
  const text = row.poorReasons;
  return typeof text === 'string' && text !== '' ? text.split(';') : [];
}

function text(value: string | number | null | undefined): string {
  return value === null || value === undefined || value === '' ? '–' : String(value);
}

/** Who sent or received a stream: the user's name, else the Teams service, else the endpoint's role. */
function side(row: StreamRow, which: 'sender' | 'receiver'): string {
  const name = row[`${which}UserName`];
  if (typeof name === 'string' && name !== '') return name;
  return row[`${which}Kind`] === 'server' ? 'Teams service' : text(row[`${which}Role`]);
}

/**
 * One table of every stream of the call, in document order: where it is (session and segment number, as on the
 * timeline), its media and direction, who sent it to whom, the metrics, and its class. Poor rows are marked and the
 * metric values behind each reason highlighted, with the reason in words.
 */
export function streamTable(record: CallRecord, streams: CallStreams): HTMLElement {
  const sessionNumber = new Map<string, number>();
  const segmentNumber = new Map<string, string>();
  record.sessions.forEach((session, i) => {
    sessionNumber.set(session.id, i + 1);
    (session.segments ?? []).forEach((segment, j) =>
      segmentNumber.set(`${session.id}/${segment.id}`, `${i + 1}.${j + 1}`),
    );
  });
  const poorCount = streams.value.filter((r) => r.classification === 'Poor').length;
  const rows = streams.value.map((row) => {
    const reasons = reasonsOf(row);
    const poor = row.classification === 'Poor';
    const session = sessionNumber.get(String(row.sessionId));
    const segment = segmentNumber.get(`${String(row.sessionId)}/${String(row.segmentId)}`);
    return h(
      'tr',
      { class: poor ? 'poor-row' : undefined, 'data-stream': row.streamOrdinal ?? undefined },
      h('td', {}, session === undefined ? '–' : `#${session}`),
      h('td', {}, segment ?? '–'),
      h('td', {}, text(row.mediaLabel)),
      h('td', {}, `${side(row, 'sender')} → ${side(row, 'receiver')}`),
      ...METRICS.map((metric) => {
        const value = row[metric.column];
        const over = poor && reasons.includes(metric.reason);
        return h(
          'td',
          {
            class: over ? 'num poor' : 'num',
            title: over ? `over the threshold: ${REASON_TEXT[metric.reason]}` : undefined,
          },
          typeof value === 'number' ? decimal(value, metric.digits) : '–',
          over ? h('span', { class: 'visually-hidden' }, ' (poor)') : null,
        );
      }),
      h('td', {}, poor ? h('strong', { class: 'badge poor' }, 'Poor') : text(row.classification)),
      h('td', { class: 'reasons' }, reasons.map((r) => REASON_TEXT[r] ?? r).join(', ')),
    );
  });
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      { class: 'streams', id: 'stream-table' },
      h(
        'caption',
        {},
        `${streams.value.length} streams, ${poorCount} poor (rule set ${streams.ruleSet}); a poor stream's metrics ` +
          'over the threshold are highlighted',
      ),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 'Session'),
          h('th', { scope: 'col' }, 'Segment'),
          h('th', { scope: 'col' }, 'Media'),
          h('th', { scope: 'col' }, 'From → to'),
          ...METRICS.map((m) => h('th', { scope: 'col', class: 'num' }, m.label, h('br'), `(${m.unit})`)),
          h('th', { scope: 'col' }, 'Class'),
          h('th', { scope: 'col' }, 'Why poor'),
        ),
      ),
      h('tbody', {}, ...rows),
    ),
  );
}
