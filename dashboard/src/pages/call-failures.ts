import { h } from '../dom.js';
import { endpointName, type CallRecord, type Endpoint, type FailureInfo } from '../graph-record.js';
import { dataTable } from '../panels.js';

/*
 * The call detail's failures and feedback, read from the Graph record
 * (https://learn.microsoft.com/graph/api/resources/callrecords-failureinfo,
 * https://learn.microsoft.com/graph/api/resources/callrecords-userfeedback).
 */

function failureText(failure: FailureInfo): string {
  return `${failure.stage ?? 'unknown stage'}: ${failure.reason ?? 'no reason given'}`;
}

/** Each session's and segment's failureInfo (callSetup: the call never connected; midcall: it dropped). */
export function failures(record: CallRecord): HTMLElement | null {
  const rows: HTMLElement[] = [];
  record.sessions.forEach((session, i) => {
    const who = `${endpointName(session.caller)} → ${endpointName(session.callee)}`;
    if (session.failureInfo) {
      rows.push(
        h(
          'tr',
          {},
          h('td', {}, `#${i + 1}`),
          h('td', {}, '–'),
          h('td', {}, who),
          h('td', {}, failureText(session.failureInfo)),
        ),
      );
    }
    (session.segments ?? []).forEach((segment, j) => {
      if (!segment.failureInfo) return;
      const segmentWho = `${endpointName(segment.caller ?? session.caller)} → ${endpointName(segment.callee ?? session.callee)}`;
      rows.push(
        h(
          'tr',
          {},
          h('td', {}, `#${i + 1}`),
          h('td', {}, `${i + 1}.${j + 1}`),
          h('td', {}, segmentWho),
          h('td', {}, failureText(segment.failureInfo)),
        ),
      );
    });
  });
  if (rows.length === 0) return null;
  return dataTable({
    id: 'failure-table',
    caption: `${rows.length} failure(s)`,
    header: ['Session', 'Segment', 'Caller → callee', 'Stage: reason'],
    rows,
  });
}

/** The feedback participants gave at the end of the call (participantEndpoint.feedback: rating, text, tokens). */
export function feedback(record: CallRecord): HTMLElement | null {
  const seen = new Set<string>();
  const rows: HTMLElement[] = [];
  const add = (endpoint: Endpoint | null | undefined, where: string): void => {
    const given = endpoint?.feedback;
    // A segment repeats its session's endpoints: the same feedback is listed once.
    const key = JSON.stringify([endpointName(endpoint), given]);
    if (!endpoint || !given || seen.has(key)) return;
    seen.add(key);
    const tokens = Object.entries(given.tokens ?? {})
      .filter(([name, value]) => value === true && !name.startsWith('@'))
      .map(([name]) => name);
    rows.push(
      h(
        'tr',
        {},
        h('td', {}, endpointName(endpoint)),
        h('td', {}, where),
        h('td', {}, given.rating ?? '–'),
        h('td', {}, [given.text ?? '', tokens.join(', ')].filter(Boolean).join(' — ') || '–'),
      ),
    );
  };
  record.sessions.forEach((session, i) => {
    add(session.caller, `session #${i + 1}`);
    add(session.callee, `session #${i + 1}`);
    (session.segments ?? []).forEach((segment, j) => {
      add(segment.caller, `segment ${i + 1}.${j + 1}`);
      add(segment.callee, `segment ${i + 1}.${j + 1}`);
    });
  });
  if (rows.length === 0) return null;
  return dataTable({
    id: 'feedback-table',
    caption: `Feedback from ${rows.length} participant endpoint(s)`,
    header: ['Who', 'Where', 'Rating', 'Said'],
    rows,
  });
}
