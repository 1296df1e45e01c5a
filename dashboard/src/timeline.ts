import { h } from './dom.js';
import { dateTime, duration } from './format.js';
import { endpointName, type CallRecord, type Endpoint, type Session } from './graph-record.js';

/** One person's (or service's) row of the timeline: the sessions they took part in. */
interface Lane {
  name: string;
  sessions: { session: Session; index: number }[];
}

function isService(endpoint: Endpoint | null | undefined): boolean {
  return endpoint?.['@odata.type']?.endsWith('serviceEndpoint') ?? false;
}

/**
 * The lanes of a record: one per participant, in order of first appearance. A session is drawn on the row of each
 * client endpoint it joins (a peer-to-peer call's session is on both people's rows; a meeting's sessions are on the
 * row of the person who joined the conference server); a session between two services goes on the service's row.
 */
export function lanesOf(record: CallRecord): Lane[] {
  const lanes = new Map<string, Lane>();
  const add = (name: string, session: Session, index: number): void => {
    let lane = lanes.get(name);
    if (lane === undefined) lanes.set(name, (lane = { name, sessions: [] }));
    if (lane.sessions.at(-1)?.session !== session) lane.sessions.push({ session, index });
  };
  record.sessions.forEach((session, index) => {
    const sides = [session.caller, session.callee].filter((side) => !isService(side));
    if (sides.length === 0) add(endpointName(session.caller), session, index);
    for (const side of sides) add(endpointName(side), session, index);
  });
  return [...lanes.values()];
}

/** `10:00:05` of an ISO time (UTC). */
function clock(value: string): string {
  return /T(\d{2}:\d{2}:\d{2})/.exec(value)?.[1] ?? value;
}

/** What a session bar says to a screen reader and in its tooltip: who with whom, what, when, and a failure. */
export function sessionLabel(session: Session, index: number): string {
  const ms = Date.parse(session.endDateTime) - Date.parse(session.startDateTime);
  const failure = session.failureInfo ?? session.segments?.find((s) => s.failureInfo)?.failureInfo;
  return [
    `Session ${index + 1}: ${endpointName(session.caller)} → ${endpointName(session.callee)}`,
    (session.modalities ?? []).join(', ') || 'no modality',
    `${dateTime(session.startDateTime)} to ${clock(session.endDateTime)} (${duration(ms)})`,
    `${session.segments?.length ?? 0} segment(s)`,
    failure ? `failed: ${failure.stage ?? '?'} ${failure.reason ?? ''}`.trim() : '',
  ]
    .filter((part) => part !== '')
    .join('; ');
}

/**
 * The timeline of a record (Call Analytics' picture of who joined when): a row per participant, a bar per session
 * from its start to its end on the call's time axis, its segments inside it, failed sessions and segments marked.
 * Bars are positioned divs (styles set from code: the CSP forbids style attributes), each focusable with a text label.
 */
export function timeline(record: CallRecord): HTMLElement {
  const times = record.sessions.flatMap((s) => [Date.parse(s.startDateTime), Date.parse(s.endDateTime)]);
  const start = Math.min(Date.parse(record.startDateTime), ...times);
  const end = Math.max(Date.parse(record.endDateTime), ...times, start + 1000);
  const span = end - start;
  const at = (value: string): number => ((Date.parse(value) - start) / span) * 100;
  const place = (element: HTMLElement, from: number, to: number): void => {
    element.style.left = `${Math.max(0, from)}%`;
    element.style.width = `${Math.max(0.4, to - from)}%`;
  };

  const axis = h('div', { class: 'timeline-axis', 'aria-hidden': 'true' });
  for (const fraction of [0, 0.25, 0.5, 0.75, 1]) {
    const tick = h('span', { class: 'tick' }, clock(new Date(start + fraction * span).toISOString()));
    tick.style.left = `${fraction * 100}%`;
    if (fraction === 1) tick.classList.add('last');
    axis.append(tick);
  }

  const rows = lanesOf(record).map((lane, row) => {
    const track = h('div', { class: 'timeline-track' });
    for (const { session, index } of lane.sessions) {
      const failed = Boolean(session.failureInfo) || (session.segments ?? []).some((s) => Boolean(s.failureInfo));
      const label = sessionLabel(session, index);
      const bar = h('div', {
        class: `timeline-bar${failed ? ' failed' : ''}`,
        // Roving tabindex: the whole timeline is one Tab stop (the first bar); arrow keys move between bars.
        tabindex: row === 0 && lane.sessions[0]?.session === session ? 0 : -1,
        role: 'img',
        'aria-label': label,
        title: label,
        'data-session': session.id,
        'data-details': `${lane.name} — ${label}`,
      });
      place(bar, at(session.startDateTime), at(session.endDateTime));
      const sessionStart = Date.parse(session.startDateTime);
      const sessionSpan = Math.max(1, Date.parse(session.endDateTime) - sessionStart);
      for (const segment of session.segments ?? []) {
        const piece = h('span', { class: `timeline-segment${segment.failureInfo ? ' failed' : ''}` });
        const from = ((Date.parse(segment.startDateTime) - sessionStart) / sessionSpan) * 100;
        const to = ((Date.parse(segment.endDateTime) - sessionStart) / sessionSpan) * 100;
        place(piece, from, to);
        bar.append(piece);
      }
      if (failed) bar.append(h('span', { class: 'timeline-mark', 'aria-hidden': 'true' }, '✕'));
      track.append(bar);
    }
    return h(
      'div',
      { class: 'timeline-row', role: 'listitem' },
      h('span', { class: 'timeline-name' }, lane.name),
      track,
    );
  });

  const list = h('div', { class: 'timeline-rows', role: 'list' }, ...rows);
  const details = h(
    'p',
    { class: 'timeline-details', id: 'timeline-details', 'aria-live': 'polite' },
    'Select a session (tap it, or Tab to the timeline and use the arrow keys) to see who, when and on what.',
  );
  roveAndDescribe(list, details);
  return h(
    'figure',
    { class: 'timeline', 'aria-labelledby': 'timeline-caption' },
    h(
      'figcaption',
      { id: 'timeline-caption' },
      `Sessions per participant, ${dateTime(new Date(start).toISOString())} to ${clock(new Date(end).toISOString())} ` +
        `UTC (${duration(span)}); segments inside each bar; ✕ marks a failure`,
    ),
    h('div', { class: 'timeline-head' }, h('span', { class: 'timeline-name' }, 'Participant'), axis),
    list,
    details,
  );
}

/**
 * Keyboard and touch for the bars: a tooltip shows neither on a phone nor for keyboard focus, so the focused (or
 * tapped) bar's label is written as text under the timeline. Arrow keys, Home and End move the focus between bars,
 * in reading order (row by row), and the focused bar becomes the timeline's one Tab stop
 * (https://www.w3.org/WAI/ARIA/apg/practices/keyboard-interface/#kbd_roving_tabindex).
 */
function roveAndDescribe(list: HTMLElement, details: HTMLElement): void {
  const bars = (): HTMLElement[] => [...list.querySelectorAll<HTMLElement>('.timeline-bar')];
  list.addEventListener('focusin', (event) => {
    const bar = (event.target as Element).closest<HTMLElement>('.timeline-bar');
    if (bar === null) return;
    for (const other of bars()) other.tabIndex = other === bar ? 0 : -1;
    for (const other of list.querySelectorAll('.timeline-bar.selected')) other.classList.remove('selected');
    bar.classList.add('selected');
    details.textContent = bar.dataset.details ?? '';
  });
  list.addEventListener('keydown', (event) => {
    const all = bars();
    const at = all.indexOf(event.target as HTMLElement);
    if (at < 0) return;
    const moves: Record<string, number> = {
      ArrowRight: at + 1,
      ArrowDown: at + 1,
      ArrowLeft: at - 1,
      ArrowUp: at - 1,
      Home: 0,
      End: all.length - 1,
    };
    const to = moves[event.key];
    if (to === undefined) return;
    event.preventDefault();
    all[Math.min(all.length - 1, Math.max(0, to))]?.focus();
  });
}
