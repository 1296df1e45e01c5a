import { ApiError, type ApiClient } from './api.js';
import { announce, h, replace } from './dom.js';
import { count } from './format.js';
import { describeError } from './states.js';

/** `PUT /api/buildings`'s answer when the file was taken (docs/analytics.md, "Buildings"). */
export interface BuildingsReplaced {
  ruleSet: string;
  networks: number;
  mappedEndpoints: number;
}

/**
 * One problem of a refused file as a person reads it: "line N: …". The server's message already starts with its
 * line (`target`); the target is added only when it does not.
 */
function problemText(detail: ApiError['details'][number]): string {
  if (detail.target === undefined || detail.message.startsWith(detail.target)) return detail.message;
  return `${detail.target}: ${detail.message}`;
}

/**
 * The building file upload: a file input or pasted text, sent as text/csv to `PUT /api/buildings`. A refused file
 * lists every problem with its line (the 400 `invalidBuildingFile` answer's details) and nothing changes; a taken
 * file says how many networks were loaded, and `onLoaded` refreshes the page's numbers.
 */
export function buildingUploadForm(api: ApiClient, onLoaded: (result: BuildingsReplaced) => void): HTMLElement {
  const file = h('input', { type: 'file', id: 'building-file', accept: '.csv,.tsv,.txt,text/csv,text/plain' });
  const pasted = h('textarea', {
    id: 'building-text',
    rows: 5,
    spellcheck: 'false',
    placeholder: '10.1.0.0,HQ Floor 1,24,Seattle HQ,Owned,Office,Headquarters,Seattle,98101,US,WA,NA,1,0,0',
  });
  const submit = h('button', { type: 'submit', class: 'primary', id: 'building-upload' }, 'Replace the building file');
  const outcome = h('div', { id: 'building-outcome', 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'building-upload', id: 'building-form' },
    h(
      'p',
      { class: 'hint' },
      'CQD’s building file: CSV or TSV, no header, 14 or 15 columns (NetworkIP, NetworkName, NetworkRange, BuildingName, …). ' +
        'A file is taken whole or refused whole; it replaces the stored one and re-maps every stream.',
    ),
    h('label', { for: file.id }, 'Building file'),
    file,
    h('label', { for: pasted.id }, 'or paste its lines (sent instead of the file when filled)'),
    pasted,
    h('div', {}, submit),
    outcome,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void upload();
  });

  async function upload(): Promise<void> {
    const chosen = file.files?.[0];
    const text = pasted.value.trim() !== '' ? pasted.value : chosen !== undefined ? await chosen.text() : '';
    if (text.trim() === '') {
      replace(outcome, h('p', { class: 'state error', role: 'alert' }, 'Choose a building file or paste its lines.'));
      return;
    }
    submit.disabled = true;
    replace(outcome, h('p', { class: 'state loading', role: 'status' }, 'Checking and loading the building file…'));
    try {
      const result = await api.sendBody<BuildingsReplaced>('PUT', '/api/buildings', text, 'text/csv');
      replace(
        outcome,
        h(
          'p',
          { class: 'state ok', role: 'status', id: 'building-loaded' },
          `Loaded ${count(result?.networks)} networks; ${count(result?.mappedEndpoints)} stream endpoints now map to a building.`,
        ),
      );
      announce('The building file was replaced.');
      if (result !== undefined) onLoaded(result);
    } catch (error) {
      replace(outcome, refusal(error));
    } finally {
      submit.disabled = false;
    }
  }
  return form;
}

/** What a refused upload shows: every problem by line, or who may upload, or the failure. */
function refusal(error: unknown): HTMLElement {
  if (error instanceof ApiError && error.code === 'invalidBuildingFile' && error.details.length > 0) {
    return h(
      'div',
      { class: 'state error', role: 'alert' },
      h(
        'p',
        {},
        `The file was refused and nothing changed: ${error.details.length} ${error.details.length === 1 ? 'problem' : 'problems'}.`,
      ),
      h('ul', { id: 'building-errors' }, ...error.details.map((d) => h('li', {}, problemText(d)))),
    );
  }
  if (error instanceof ApiError && error.status === 403) {
    return h(
      'p',
      { class: 'state error', role: 'alert' },
      'Only an administrator (the CallRecords.Admin role) may replace the building file; nothing changed.',
    );
  }
  return h('p', { class: 'state error', role: 'alert' }, describeError(error));
}
