import { ApiError } from '../api.js';
import { h } from '../dom.js';
import { count, dateTime, duration } from '../format.js';
import type { Page, PageContext } from '../page.js';
import { heading, showEmpty, showError, showLoading, showReady } from '../states.js';

/** The answer of `GET /api/sync/status` (docs/graph-sync.md, "Status"; src/collector/sync-status.ts). */
interface SyncStatus {
  subscription: Record<string, unknown> | null;
  queue: {
    queued: number;
    due: number;
    inProgress: number;
    failed: number;
    oldest: { id: string; reason: string; queuedDateTime: string; ageSeconds: number } | null;
  };
  failed: {
    id: string;
    reason: string;
    attempts: number;
    queuedDateTime: string;
    failedDateTime: string;
    error: string;
  }[];
  lastSweep: Record<string, unknown> | null;
  backfill: Record<string, unknown> | null;
  throttledLastHour: number;
  lag: { samples: number; p50Seconds: number | null; p95Seconds: number | null };
  logs: { kind: string; cursor: string | null; lastPull: Record<string, unknown> | null }[];
}

/** True when the database holds no trace of a collector: it has never run (`serve --sync` or `sync`) against it. */
export function neverCollected(status: SyncStatus): boolean {
  const q = status.queue;
  return (
    status.subscription === null &&
    status.lastSweep === null &&
    status.backfill === null &&
    q.queued + q.inProgress + q.failed === 0 &&
    status.lag.samples === 0 &&
    status.throttledLastHour === 0 &&
    status.logs.every((log) => log.cursor === null && log.lastPull === null)
  );
}

function scalar(value: unknown): string {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'string') return /^\d{4}-\d{2}-\d{2}T/.test(value) ? dateTime(value) : value;
  if (typeof value === 'number') return count(value);
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** An object's members as a definition list (the status shows the collector's state objects as stored). */
function facts(object: Record<string, unknown>, id: string): HTMLElement {
  return h(
    'dl',
    { class: 'facts', id },
    ...Object.entries(object).flatMap(([name, value]) => [
      h('dt', {}, name),
      h('dd', { 'data-field': name }, scalar(value)),
    ]),
  );
}

function tile(id: string, label: string, value: string, warn = false): HTMLElement {
  return h(
    'div',
    { class: `tile${warn ? ' warn' : ''}` },
    h('p', { class: 'tile-label' }, label),
    h('p', { class: 'tile-value', id }, value),
  );
}

function section(id: string, title: string, ...children: (Node | null)[]): HTMLElement {
  return h(
    'section',
    { class: 'panel', id, 'aria-labelledby': `${id}-title` },
    h('h2', { id: `${id}-title` }, title),
    ...children,
  );
}

function subscriptionPanel(subscription: Record<string, unknown> | null): HTMLElement {
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

function failedTable(failed: SyncStatus['failed']): HTMLElement {
  if (failed.length === 0) return h('p', { class: 'state empty' }, 'No record was given up on.');
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      { id: 'collector-failed-table' },
      h('caption', {}, `Records given up on after every retry (latest ${failed.length})`),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...['Record', 'Why queued', 'Attempts', 'Failed at', 'Error'].map((t) => h('th', { scope: 'col' }, t)),
        ),
      ),
      h(
        'tbody',
        {},
        ...failed.map((f) =>
          h(
            'tr',
            {},
            h('td', {}, h('code', {}, f.id)),
            h('td', {}, f.reason),
            h('td', { class: 'num' }, count(f.attempts)),
            h('td', {}, dateTime(f.failedDateTime)),
            h('td', {}, f.error),
          ),
        ),
      ),
    ),
  );
}

function logsTable(logs: SyncStatus['logs']): HTMLElement {
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      { id: 'collector-logs-table' },
      h('caption', {}, 'Telephony logs: stored up to, and the last pull'),
      h('thead', {}, h('tr', {}, ...['Log', 'Stored up to', 'Last pull'].map((t) => h('th', { scope: 'col' }, t)))),
      h(
        'tbody',
        {},
        ...logs.map((log) =>
          h(
            'tr',
            {},
            h('td', {}, log.kind),
            h('td', {}, scalar(log.cursor)),
            h(
              'td',
              {},
              log.lastPull === null
                ? '–'
                : Object.entries(log.lastPull)
                    .filter(([name]) => name !== 'kind')
                    .map(([name, value]) => `${name}: ${scalar(value)}`)
                    .join(', '),
            ),
          ),
        ),
      ),
    ),
  );
}

function drawStatus(body: HTMLElement, status: SyncStatus): void {
  if (neverCollected(status)) {
    return showEmpty(
      body,
      'The Graph collector is not configured: this archive has never collected from Microsoft Graph.',
      'Start the server with --sync and the Graph app’s --graph-tenant-id and --graph-client-id (its secret in ' +
        'CALLRECORDS_GRAPH_CLIENT_SECRET), and --notification-url for change notifications; ' +
        '`callrecords sync --backfill-days 30` fills the last 30 days. See docs/graph-sync.md.',
    );
  }
  const q = status.queue;
  const seconds = (value: number | null): string => (value === null ? '–' : `${value} s`);
  showReady(
    body,
    h(
      'div',
      { class: 'tiles' },
      tile('collector-queued', 'Queued', count(q.queued)),
      tile('collector-due', 'Due now', count(q.due)),
      tile('collector-in-progress', 'Fetching', count(q.inProgress)),
      tile('collector-failed', 'Given up', count(q.failed), q.failed > 0),
      tile(
        'collector-lag',
        'Lag p50 / p95 (last hour)',
        `${seconds(status.lag.p50Seconds)} / ${seconds(status.lag.p95Seconds)}`,
      ),
      tile(
        'collector-throttled',
        'Throttled (429) last hour',
        count(status.throttledLastHour),
        status.throttledLastHour > 0,
      ),
    ),
    h(
      'div',
      { class: 'grid' },
      subscriptionPanel(status.subscription),
      section(
        'collector-queue',
        'Queue',
        q.oldest === null
          ? h('p', { class: 'state empty' }, 'Nothing is waiting.')
          : h(
              'p',
              { id: 'collector-oldest' },
              `Oldest waiting: `,
              h('code', {}, q.oldest.id),
              ` (${q.oldest.reason}), queued ${dateTime(q.oldest.queuedDateTime)}, ${duration(q.oldest.ageSeconds * 1000)} ago.`,
            ),
      ),
      section(
        'collector-sweep',
        'Last sweep',
        status.lastSweep === null
          ? h('p', { class: 'state empty' }, 'No sweep has finished yet.')
          : facts(status.lastSweep, 'sweep-facts'),
      ),
      section(
        'collector-backfill',
        'Backfill',
        status.backfill === null
          ? h('p', { class: 'state empty' }, 'No backfill has run.')
          : facts(status.backfill, 'backfill-facts'),
      ),
    ),
    section('collector-failures', 'Given up', failedTable(status.failed)),
    section('collector-logs', 'Telephony logs', logsTable(status.logs)),
  );
}

/** Collector status: the Graph collector's subscription, queue, lag, sweeps and failures, from `GET /api/sync/status`. */
export const collectorPage: Page = {
  title: 'Collector status',
  async render(context: PageContext) {
    const { api, root } = context;
    const body = h('div', { id: 'collector' });
    const refresh = h('button', { type: 'button', id: 'collector-refresh' }, 'Refresh');
    root.append(heading('Collector status', refresh), body);
    const draw = async (): Promise<void> => {
      showLoading(body, 'the collector’s status');
      try {
        const status = await api.json<SyncStatus>('/api/sync/status');
        if (!context.isCurrent()) return;
        drawStatus(body, status);
      } catch (error) {
        if (!context.isCurrent()) return;
        if (error instanceof ApiError && error.status === 403) {
          body.removeAttribute('aria-busy');
          body.replaceChildren(
            h(
              'div',
              { class: 'state error', role: 'alert', id: 'collector-forbidden' },
              h('p', {}, 'The collector’s status needs the Admin role (CallRecords.Admin).'),
              h(
                'p',
                { class: 'hint' },
                'You are signed in without it: ask an administrator for the role (docs/security.md).',
              ),
            ),
          );
          return;
        }
        showError(body, error, () => void draw());
      }
    };
    refresh.addEventListener('click', () => void draw());
    await draw();
  },
};
