import type { ApiClient } from '../api.js';
import { h } from '../dom.js';
import { dateTime } from '../format.js';
import { jsonDiff, preview } from '../json-diff.js';
import type { VersionList } from '../../../src/storage/version-info.js';
import type { PageContext } from '../page.js';
import { dataTable } from '../panels.js';
import { showEmpty, showError, showLoading, showReady } from '../states.js';

/** The most differences listed; the rest are counted. */
const SHOWN = 400;

function versionPath(id: string, version?: number): string {
  const base = `/api/callRecords/${encodeURIComponent(id)}/versions`;
  return version === undefined ? base : `${base}/${version}`;
}

export function loadVersions(api: ApiClient, id: string): Promise<VersionList> {
  return api.json<VersionList>(versionPath(id));
}

function versionSelect(id: string, label: string, versions: VersionList['value'], chosen: number): HTMLElement[] {
  const select = h(
    'select',
    { id, name: id },
    ...versions.map((v) =>
      h('option', { value: v.version, selected: v.version === chosen }, `${v.version}${v.current ? ' (current)' : ''}`),
    ),
  );
  return [h('label', { for: id }, label), select];
}

/**
 * The version history (every version the archive received, oldest first) and the differences between two chosen
 * versions: the paths that changed, with old → new values. The chosen pair is in the URL (`diff=1..3`).
 */
export function drawVersions(context: PageContext, target: HTMLElement, id: string, list: VersionList): void {
  const versions = list.value;
  if (versions.length === 0) return showEmpty(target, 'No version history for this record.');
  const history = dataTable({
    id: 'version-table',
    caption: `${versions.length} version(s) received, oldest first`,
    header: [{ text: 'Version', numeric: true }, 'Last modified', 'Received', 'Note'],
    rows: versions.map((v) => [
      { text: String(v.version), numeric: true },
      dateTime(v.lastModifiedDateTime),
      dateTime(v.receivedDateTime),
      [v.current ? 'current' : '', v.partial ? `partial: ${v.partial}` : ''].filter(Boolean).join('; '),
    ]),
  });
  if (versions.length < 2) {
    return showReady(target, history, h('p', { class: 'hint' }, 'Only one version: nothing to compare.'));
  }
  const numbers = versions.map((v) => v.version);
  const asked = /^(\d+)\.\.(\d+)$/.exec(context.params.get('diff') ?? '');
  const pick = (value: string | undefined, fallback: number): number =>
    value !== undefined && numbers.includes(Number(value)) ? Number(value) : fallback;
  const older = pick(asked?.[1], numbers.at(-2)!);
  const newer = pick(asked?.[2], numbers.at(-1)!);
  const form = h(
    'form',
    { class: 'filters diff-form', id: 'diff-form' },
    ...versionSelect('diff-from', 'Compare version', versions, older),
    ...versionSelect('diff-to', 'with version', versions, newer),
    h('button', { type: 'submit', class: 'primary' }, 'Show differences'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const from = (form.querySelector('#diff-from') as HTMLSelectElement).value;
    const to = (form.querySelector('#diff-to') as HTMLSelectElement).value;
    // Only the diff panel changes: the record, its streams and the version list are not asked for again.
    context.setParams({ diff: `${from}..${to}` }, { redraw: false });
    void drawDiff(context, result, id, Number(from), Number(to));
  });
  const result = h('div', { id: 'version-diff', 'aria-live': 'polite' });
  showReady(target, history, form, result);
  void drawDiff(context, result, id, older, newer);
}

/** Which pair was asked for last, per diff panel: an older pair's answer arriving late is not drawn. */
const latestPair = new WeakMap<HTMLElement, number>();

async function drawDiff(
  context: PageContext,
  target: HTMLElement,
  id: string,
  older: number,
  newer: number,
): Promise<void> {
  const asked = (latestPair.get(target) ?? 0) + 1;
  latestPair.set(target, asked);
  const current = (): boolean => context.isCurrent() && latestPair.get(target) === asked;
  showLoading(target, `the differences between versions ${older} and ${newer}`);
  try {
    const [a, b] = await Promise.all([
      context.api.json<unknown>(versionPath(id, older)),
      context.api.json<unknown>(versionPath(id, newer)),
    ]);
    if (!current()) return;
    const changes = jsonDiff(a, b);
    if (changes.length === 0) return showEmpty(target, `Versions ${older} and ${newer} are the same.`);
    const shown = changes.slice(0, SHOWN);
    showReady(
      target,
      h(
        'div',
        { class: 'table-scroll' },
        h(
          'table',
          { class: 'diff', id: 'diff-table' },
          h('caption', {}, `${changes.length} difference(s) from version ${older} to version ${newer}`),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', { scope: 'col' }, 'Path'),
              h('th', { scope: 'col' }, 'Change'),
              h('th', { scope: 'col' }, `Version ${older}`),
              h('th', { scope: 'col' }, `Version ${newer}`),
            ),
          ),
          h(
            'tbody',
            {},
            ...shown.map((c) =>
              h(
                'tr',
                { class: `diff-${c.kind}` },
                h('td', { class: 'path' }, h('code', {}, c.path === '' ? '(whole record)' : c.path)),
                h('td', {}, c.kind),
                h('td', { class: 'value' }, c.kind === 'added' ? '' : preview(c.before)),
                h('td', { class: 'value' }, c.kind === 'removed' ? '' : preview(c.after)),
              ),
            ),
          ),
        ),
      ),
      changes.length > SHOWN ? h('p', { class: 'hint' }, `… and ${changes.length - SHOWN} more differences.`) : null,
    );
  } catch (error) {
    if (current()) showError(target, error, () => void drawDiff(context, target, id, older, newer));
  }
}
