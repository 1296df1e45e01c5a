import { withQuery } from '../api.js';
import { h } from '../dom.js';
import { periodControls } from '../filters.js';
import { count, dateTime } from '../format.js';
import type {
  CallListItem as CallSummary,
  CallListPage as CallPage,
} from '../../../src/analytics/call-search-answers.js';
import type { Page, PageContext } from '../page.js';
import { dataTable, panel } from '../panels.js';
import { heading, showEmpty, showError, showLoading, showReady } from '../states.js';

/** Names shown per call before "and N more". */
const NAMES = 3;

function participants(call: CallSummary): string {
  const names = call.participants.map((p) => p.displayName ?? p.id);
  if (names.length === 0) return '–';
  const shown = names.slice(0, NAMES).join(', ');
  return names.length > NAMES ? `${shown} and ${names.length - NAMES} more` : shown;
}

/** The skip token of the answer's next link: kept in the page's URL, so Next is a link (and Back the previous page). */
function nextToken(link: string | undefined): string | undefined {
  if (link === undefined) return undefined;
  return new URL(link, location.href).searchParams.get('skiptoken') ?? undefined;
}

function callRow(call: CallSummary): HTMLElement {
  return h(
    'tr',
    { class: call.poor ? 'poor-row' : undefined, 'data-call': call.id },
    h('td', {}, h('a', { href: `/calls/${encodeURIComponent(call.id)}` }, dateTime(call.startDateTime))),
    h('td', {}, call.callType ?? '–'),
    h('td', {}, participants(call)),
    h('td', { class: 'num' }, count(call.streams)),
    h('td', { class: `num${call.poorStreams > 0 ? ' poor' : ''}` }, count(call.poorStreams)),
    h('td', { class: 'num' }, count(call.failures)),
    h('td', {}, call.poor ? h('strong', { class: 'badge poor' }, 'Poor') : ''),
  );
}

/**
 * Calls: the call search (by person — an id or part of a name —, period, poor only), newest first, a page at a
 * time. Next follows the answer's `@odata.nextLink` by keeping its skip token in the URL; Previous is the browser's
 * Back (each page is a history entry), and "First page" drops the token.
 */
export const callsPage: Page = {
  title: 'Calls',
  async render(context: PageContext) {
    const { api, root, params } = context;
    // A new question starts on its first page: every change of the search drops the skip token.
    const search: PageContext = {
      ...context,
      setParams: (changes) => context.setParams({ ...changes, skiptoken: undefined, page: undefined }),
    };
    const { element: periodBar, period } = periodControls(search);
    const user = params.get('user') ?? '';
    const poorOnly = params.get('poorOnly') === 'true';
    const skiptoken = params.get('skiptoken') ?? undefined;
    const pageNumber = Math.max(1, Number(params.get('page') ?? '1') || 1);

    const userInput = h('input', {
      type: 'search',
      id: 'calls-user',
      name: 'user',
      value: user,
      autocomplete: 'off',
      placeholder: 'Adele or a user id',
    });
    const poorBox = h('input', { type: 'checkbox', id: 'calls-poor', name: 'poorOnly', checked: poorOnly });
    poorBox.addEventListener('change', () => search.setParams({ poorOnly: poorBox.checked ? 'true' : undefined }));
    const form = h(
      'form',
      { class: 'filters', id: 'calls-search', role: 'search' },
      periodBar,
      h(
        'span',
        { class: 'filter' },
        h('label', { for: 'calls-user' }, 'Person (id or name)'),
        userInput,
        h('button', { type: 'submit', class: 'primary' }, 'Search'),
      ),
      h('span', { class: 'filter inline' }, poorBox, h('label', { for: 'calls-poor' }, 'Poor calls only')),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      search.setParams({ user: userInput.value.trim() });
    });
    const { section: list, body } = panel('call-list', poorOnly ? 'Poor calls' : 'Calls', { wide: true });
    root.append(heading('Calls'), form, list);

    const draw = async (): Promise<void> => {
      showLoading(body, 'calls');
      try {
        const answer = await api.json<CallPage>(
          withQuery('/api/analytics/calls', {
            from: period.from,
            to: period.to,
            user: user === '' ? undefined : user,
            poorOnly: poorOnly ? 'true' : undefined,
            skiptoken,
          }),
        );
        if (!context.isCurrent()) return;
        if (answer.value.length === 0) {
          return showEmpty(
            body,
            skiptoken === undefined ? 'No calls match.' : 'No more calls.',
            'Calls are found by the people of their media streams: try part of a name, a user id, or a longer period.',
          );
        }
        const next = nextToken(answer['@odata.nextLink']);
        const here = new URLSearchParams(location.search);
        const linkTo = (token: string | undefined, page: number | undefined): string => {
          const query = new URLSearchParams(here);
          if (token === undefined) query.delete('skiptoken');
          else query.set('skiptoken', token);
          if (page === undefined) query.delete('page');
          else query.set('page', String(page));
          return `/calls?${query.toString()}`;
        };
        const pager = h(
          'nav',
          { class: 'pager', 'aria-label': 'Pages of calls' },
          skiptoken === undefined
            ? null
            : h('a', { href: linkTo(undefined, undefined), id: 'calls-first' }, '« First page'),
          h('span', { id: 'calls-page' }, `Page ${pageNumber}`),
          next === undefined
            ? h('span', { class: 'hint' }, 'Last page')
            : h('a', { href: linkTo(next, pageNumber + 1), id: 'calls-next', rel: 'next' }, 'Next page »'),
          skiptoken === undefined ? null : h('span', { class: 'hint' }, 'Back returns to the previous page.'),
        );
        showReady(
          body,
          dataTable({
            id: 'calls-table',
            caption: `${answer.value.length} calls, newest first (page ${pageNumber})`,
            header: [
              'Start',
              'Type',
              'Participants',
              { text: 'Streams', numeric: true },
              { text: 'Poor streams', numeric: true },
              { text: 'Failures', numeric: true },
              h('span', { class: 'visually-hidden' }, 'Poor call'),
            ],
            rows: answer.value.map(callRow),
          }),
          pager,
        );
      } catch (error) {
        if (context.isCurrent()) showError(body, error, () => void draw());
      }
    };
    await draw();
  },
};
