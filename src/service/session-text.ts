import type { StoredSession } from '../storage/store.js';
import { appendMembers, projectObject } from './json-text.js';

/** A stored session as served: projected by `$select`, with its segments joined in when `$expand=segments`. */
export function sessionText(
  session: StoredSession,
  select: readonly string[] | undefined,
  withSegments: boolean,
): string {
  const base = select === undefined ? session.json : projectObject(session.json, select);
  return withSegments ? appendMembers(base, [['segments', session.segmentsJson]]) : base;
}
