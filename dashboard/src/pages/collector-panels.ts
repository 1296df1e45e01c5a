import type { SyncStatusReport as SyncStatus } from '../../../src/collector/sync-status-report.js';
import { h } from '../dom.js';
import { count, dateTime, duration } from '../format.js';
import { dataTable, panel, tile as sharedTile } from '../panels.js';

/** The answer of `GET /api/sync/status`, as the server declares it (docs/graph-sync.md, "Status"). */
export type { SyncStatusReport as SyncStatus } from '../../../src/collector/sync-status-report.js';

/** A value of the status as text: times as UTC, counts with separators, objects as JSON. */
export function scalar(value: unknown): string {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'string') return /^\d{4}-\d{2}-\d{2}T/.test(value) ? dateTime(value) : value;
  if (typeof value === 'number') return count(value);
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** An object's members as a definition list (the status shows the collector's state objects as stored). */
export function facts(object: Record<string, unknown>, id: string): HTMLElement {
  return h(
    'dl',
    { class: 'facts', id },
    ...Object.entries(object).flatMap(([name, value]) => [
      h('dt', {}, name),
      h('dd', { 'data-field': name }, scalar(value)),
    ]),
  );
}

/** A headline number; `warn` colours it when it asks for attention (failures, throttling). */
export function tile(id: string, label: string, value: string, warn = false): HTMLElement {
  return sharedTile(id, label, value, warn).element;
}

/** A titled panel of the page, with its content. */
export function section(id: string, title: string, ...children: (Node | null)[]): HTMLElement {
  const { section: element, body } = panel(id, title);
  body.append(...children.filter((child): child is Node => child !== null));
  return element;
}

/** Graph's subscription as the collector keeps it, and how long until it expires; or that there is none. */
export function subscriptionPanel(subscription: Record<string, unknown> | null): HTMLElement {
  if (subscription === null) {
    return section(
      'collector-subscription',
      'Change notifications',
      h('p', { class: 'state empty' }, 'No subscription: the collector runs on sweeps only (no --notification-url).'),
    );
  }
  const expiry =
    typeof subscription.expirationDateTime === 'string' ? Date.parse(subscription.expirationDateTime) : NaN;
  const left = expiry - Date.now();
  const note = Number.isNaN(expiry)
    ? null
    : h(
        'p',
        { class: left <= 0 ? 'state error' : 'hint', id: 'subscription-expiry' },
        left <= 0
          ? 'The subscription has expired: notifications stop until it is renewed.'
          : `Expires in ${duration(left)}.`,
      );
  return section(
    'collector-subscription',
    'Change notifications (Graph subscription)',
    facts(subscription, 'subscription-facts'),
    note,
  );
}

/** The records given up on after every retry, with their error. */
export function failedTable(failed: SyncStatus['failed']): HTMLElement {
  if (failed.length === 0) return h('p', { class: 'state empty' }, 'No record was given up on.');
  return dataTable({
    id: 'collector-failed-table',
    caption: `Records given up on after every retry (latest ${failed.length})`,
    header: ['Record', 'Why queued', 'Attempts', 'Failed at', 'Error'],
    rows: failed.map((f) => [
      h('code', {}, f.id),
      f.reason,
      { text: count(f.attempts), numeric: true },
      dateTime(f.failedDateTime),
      f.error,
    ]),
  });
}

/** Per telephony log: the time up to which rows are stored, and what the last pull found. */
export function logsTable(logs: SyncStatus['logs']): HTMLElement {
  return dataTable({
    id: 'collector-logs-table',
    caption: 'Telephony logs: stored up to, and the last pull',
    header: ['Log', 'Stored up to', 'Last pull'],
    rows: logs.map((log) => [
      log.kind,
      scalar(log.cursor),
      log.lastPull === null
        ? '–'
        : Object.entries(log.lastPull)
            .filter(([name]) => name !== 'kind')
            .map(([name, value]) => `${name}: ${scalar(value)}`)
            .join(', '),
    ]),
  });
}
