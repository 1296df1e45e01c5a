import { ApiError } from './api.js';
import { h, replace } from './dom.js';

/** The page's heading: focusable, so a navigation can move the focus to it. */
export function heading(title: string, ...extra: (Node | string)[]): HTMLElement {
  return h('div', { class: 'page-head' }, h('h1', { tabindex: -1 }, title), ...extra);
}

/** A panel's loading state: a line that screen readers hear as busy. */
export function showLoading(target: Element, what: string): void {
  target.setAttribute('aria-busy', 'true');
  replace(target, h('p', { class: 'state loading', role: 'status' }, `Loading ${what}…`));
}

/** A panel's empty state: what is missing and, when given, what to do. */
export function showEmpty(target: Element, message: string, hint?: string): void {
  target.removeAttribute('aria-busy');
  replace(
    target,
    h(
      'div',
      { class: 'state empty' },
      h('p', {}, message),
      hint === undefined ? null : h('p', { class: 'hint' }, hint),
    ),
  );
}

/** The message a person reads for a failure: the server's Graph error, or a network failure. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    const details = error.details.map((d) => (d.target === undefined ? d.message : `${d.target}: ${d.message}`));
    return [`${error.message} (${error.status} ${error.code})`, ...details].join('\n');
  }
  return error instanceof Error ? `The server could not be reached: ${error.message}` : String(error);
}

/** A panel's error state: the message, and a button to try again when the failure may pass. */
export function showError(target: Element, error: unknown, retry?: () => void): void {
  target.removeAttribute('aria-busy');
  replace(
    target,
    h(
      'div',
      { class: 'state error', role: 'alert' },
      h('p', {}, describeError(error)),
      retry === undefined ? null : h('button', { type: 'button', onclick: retry }, 'Try again'),
    ),
  );
}

/** Marks a panel as done loading. */
export function showReady(target: Element, ...children: (Node | null)[]): void {
  target.removeAttribute('aria-busy');
  replace(target, ...children);
}
