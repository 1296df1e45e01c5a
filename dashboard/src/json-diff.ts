/**
 * The differences between two JSON values as a list of paths with their old and new values: what the call detail
 * shows between two versions of a record. Pure (no DOM), so it is unit tested in Node
 * (test/dashboard-json-diff.test.ts).
 */

/** One difference: `added` (only in the new value), `removed` (only in the old) or `changed`. */
export interface JsonChange {
  /** Where: `sessions[3].segments[0].endDateTime`; `` (empty) for the whole value. */
  path: string;
  kind: 'added' | 'removed' | 'changed';
  /** Absent for `added`. */
  before?: unknown;
  /** Absent for `removed`. */
  after?: unknown;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A member name as a path step: `.name` when it reads as an identifier, else `["odd name"]`. */
function member(path: string, name: string): string {
  if (/^[A-Za-z_$@][\w$@-]*$/.test(name)) return path === '' ? name : `${path}.${name}`;
  return `${path}[${JSON.stringify(name)}]`;
}

/**
 * Every difference between `before` and `after`, depth first in document order (the old value's members first, then
 * members only the new one has). Arrays are compared by position: Graph keeps sessions and segments in order, and a
 * later version of a record adds to their ends. Objects and arrays are walked; a value that changes type is one
 * `changed` entry at its path.
 */
export function jsonDiff(before: unknown, after: unknown, path = ''): JsonChange[] {
  if (Array.isArray(before) && Array.isArray(after)) {
    const changes: JsonChange[] = [];
    const length = Math.max(before.length, after.length);
    for (let i = 0; i < length; i++) {
      const at = `${path}[${i}]`;
      if (i >= after.length) changes.push({ path: at, kind: 'removed', before: before[i] });
      else if (i >= before.length) changes.push({ path: at, kind: 'added', after: after[i] });
      else changes.push(...jsonDiff(before[i], after[i], at));
    }
    return changes;
  }
  if (isObject(before) && isObject(after)) {
    const changes: JsonChange[] = [];
    for (const name of Object.keys(before)) {
      const at = member(path, name);
      if (!Object.prototype.hasOwnProperty.call(after, name))
        changes.push({ path: at, kind: 'removed', before: before[name] });
      else changes.push(...jsonDiff(before[name], after[name], at));
    }
    for (const name of Object.keys(after)) {
      if (!Object.prototype.hasOwnProperty.call(before, name)) {
        changes.push({ path: member(path, name), kind: 'added', after: after[name] });
      }
    }
    return changes;
  }
  if (sameScalar(before, after)) return [];
  return [{ path, kind: 'changed', before, after }];
}

function sameScalar(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b) || isObject(a) || isObject(b)) return false;
  return Object.is(a, b) || (a === 0 && b === 0);
}

/** A value as one short line for a diff list: JSON, cut at `max` characters. */
export function preview(value: unknown, max = 120): string {
  const text = value === undefined ? '(none)' : JSON.stringify(value as Json);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
