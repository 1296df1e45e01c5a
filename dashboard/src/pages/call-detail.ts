import { ApiError } from '../api.js';
import { h } from '../dom.js';
import { dateTime, duration } from '../format.js';
import { identityName, loadCallRecord, type CallRecord } from '../graph-record.js';
import type { Page, PageContext } from '../page.js';
import { panel as widePanel } from '../panels.js';
import { heading, showEmpty, showError, showLoading, showReady } from '../states.js';
import { lanesOf, timeline } from '../timeline.js';
import { failures, feedback } from './call-failures.js';
import { streamTable, type CallStreams } from './call-streams.js';
import { drawVersions, loadVersions } from './call-versions.js';

/** Every panel of the call detail spans the page: the timeline and the tables need the width. */
function panel(id: string, title: string): { section: HTMLElement; body: HTMLElement } {
  return widePanel(id, title, { wide: true });
}

function facts(items: [string, string | Node][]): HTMLElement {
  return h('dl', { class: 'facts' }, ...items.flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]));
}

/** The record's summary: what kind of call, when, who organised it and who took part, which version. */
function summary(record: CallRecord): HTMLElement {
  const organizer = record.organizer_v2?.identity ?? record.organizer;
  // participants_v2 comes only with its own $expand (paged apart); the sessions name everyone who joined.
  const listed = (record.participants_v2?.map((p) => p.identity) ?? record.participants ?? []).map(identityName);
  const people = listed.length > 0 ? listed : lanesOf(record).map((lane) => lane.name);
  const ms = Date.parse(record.endDateTime) - Date.parse(record.startDateTime);
  const shown = people.slice(0, 20).join(', ');
  return facts([
    ['Type', record.type],
    ['Modalities', (record.modalities ?? []).join(', ') || '–'],
    ['Start', dateTime(record.startDateTime)],
    ['End', `${dateTime(record.endDateTime)} (${duration(ms)})`],
    ['Organizer', organizer ? identityName(organizer) : '–'],
    ['Participants', people.length > 20 ? `${shown} and ${people.length - 20} more` : shown || '–'],
    ['Sessions', String(record.sessions.length)],
    ['Version', `${record.version}, last modified ${dateTime(record.lastModifiedDateTime)}`],
  ]);
}

/** The Graph JSON as loaded (every session page merged), drawn only when opened: a meeting's JSON is megabytes. */
function rawJson(record: CallRecord): HTMLElement {
  const pre = h('pre', { id: 'raw-json', tabindex: 0 });
  const details = h('details', { id: 'raw' }, h('summary', {}, 'Graph JSON of the current version'), pre);
  details.addEventListener('toggle', () => {
    if (details.open && pre.textContent === '') pre.textContent = JSON.stringify(record, null, 2);
  });
  return details;
}

/**
 * Call detail: one call as Call Analytics shows it. The record comes from Graph's own route with every session page
 * followed; the streams from the analytics API (their class and reasons); the history from the versions API.
 */
export const callDetailPage: Page = {
  title: 'Call detail',
  async render(context: PageContext) {
    const { api, root } = context;
    const id = context.path.id ?? '';
    const head = heading('Call detail', h('p', { class: 'hint' }, h('code', {}, id)));
    const main = h('div', { id: 'call', 'aria-busy': 'true' });
    root.append(head, h('p', {}, h('a', { href: '/calls' }, '← Calls')), main);
    showLoading(main, 'the call record');
    const streamsPath = `/api/analytics/calls/${encodeURIComponent(id)}/streams`;
    const streamsPromise = api.json<CallStreams>(streamsPath);
    const versionsPromise = loadVersions(api, id);
    // Rejections are handled where each panel is drawn; these keep an early failure from being reported unhandled.
    streamsPromise.catch(() => undefined);
    versionsPromise.catch(() => undefined);
    let record: CallRecord;
    try {
      record = await loadCallRecord(api, id, context.signal);
    } catch (error) {
      if (!context.isCurrent()) return;
      if (error instanceof ApiError && error.status === 404) {
        main.removeAttribute('aria-busy');
        main.replaceChildren(
          h(
            'div',
            { class: 'state empty not-found', role: 'alert' },
            h('p', {}, 'No call record with this id is archived.'),
            h(
              'p',
              { class: 'hint' },
              'Check the id, or find the call on the ',
              h('a', { href: '/calls' }, 'Calls'),
              ' page.',
            ),
          ),
        );
        return;
      }
      // A retry draws the same URL again without a history entry, so Back still leaves the page.
      showError(main, error, () => context.redraw());
      return;
    }
    if (!context.isCurrent()) return;

    const parts = {
      summary: panel('call-summary', 'Summary'),
      timeline: panel('call-timeline', 'Timeline'),
      streams: panel('call-streams', 'Streams'),
      failures: panel('call-failures', 'Failures'),
      feedback: panel('call-feedback', 'Feedback'),
      versions: panel('call-versions', 'Versions'),
      raw: panel('call-raw', 'Raw record'),
    };
    showReady(main, ...Object.values(parts).map((p) => p.section));
    parts.summary.body.append(summary(record));
    parts.timeline.body.append(
      record.sessions.length === 0
        ? h('p', { class: 'state empty' }, 'This record has no sessions.')
        : timeline(record),
    );
    const failed = failures(record);
    if (failed === null) showEmpty(parts.failures.body, 'No session or segment failed.');
    else showReady(parts.failures.body, failed);
    const said = feedback(record);
    if (said === null) showEmpty(parts.feedback.body, 'No participant left feedback in this record.');
    else showReady(parts.feedback.body, said);
    parts.raw.body.append(rawJson(record));

    showLoading(parts.streams.body, 'the streams');
    showLoading(parts.versions.body, 'the version history');
    const drawStreams = async (promise: Promise<CallStreams>): Promise<void> => {
      try {
        const streams = await promise;
        if (!context.isCurrent()) return;
        if (streams.value.length === 0) {
          return showEmpty(
            parts.streams.body,
            'This record has no media streams.',
            'Missed calls and records cut short have none.',
          );
        }
        showReady(parts.streams.body, streamTable(record, streams));
      } catch (error) {
        if (context.isCurrent()) {
          showError(parts.streams.body, error, () => void drawStreams(api.json<CallStreams>(streamsPath)));
        }
      }
    };
    const drawHistory = async (promise: ReturnType<typeof loadVersions>): Promise<void> => {
      try {
        const list = await promise;
        if (!context.isCurrent()) return;
        drawVersions(context, parts.versions.body, id, list);
      } catch (error) {
        if (context.isCurrent()) showError(parts.versions.body, error, () => void drawHistory(loadVersions(api, id)));
      }
    };
    await Promise.all([drawStreams(streamsPromise), drawHistory(versionsPromise)]);
  },
};
