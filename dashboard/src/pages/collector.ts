import { ApiError } from '../api.js';
import { h } from '../dom.js';
import { count, dateTime, duration } from '../format.js';
import type { Page, PageContext } from '../page.js';
import { heading, showEmpty, showError, showLoading, showReady } from '../states.js';
import {
  failedTable,
  facts,
  logsTable,
  section,
  subscriptionPanel,
  tile,
  type SyncStatus,
} from './collector-panels.js';

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
    // Two quick Refresh clicks ask twice; only the answer to the latest one is drawn, whichever arrives last.
    let latest = 0;
    const draw = async (): Promise<void> => {
      const asked = ++latest;
      const current = (): boolean => context.isCurrent() && asked === latest;
      showLoading(body, 'the collector’s status');
      try {
        const status = await api.json<SyncStatus>('/api/sync/status');
        if (!current()) return;
        drawStatus(body, status);
      } catch (error) {
        if (!current()) return;
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
