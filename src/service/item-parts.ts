import type { StoredItem } from '../storage/store.js';
import { objectParts, projectObject, type JsonPart } from './json-parts.js';

/** A stored session as served: projected by `$select`, with its segments joined in when `$expand=segments`. */
export function sessionParts(
  session: StoredItem,
  select: readonly string[] | undefined,
  withSegments: boolean,
): JsonPart[] {
  const base = select === undefined ? session.json : projectObject(session.json, select);
  if (!withSegments) return [base];
  return objectParts(base, [], [['segments', [session.segmentsJson ?? '[]']]]);
}

/** A stored participant (or any stored object) as served: projected by `$select` when asked. */
export function itemParts(item: JsonPart, select: readonly string[] | undefined): JsonPart[] {
  return [select === undefined ? item : projectObject(item, select)];
}
