import { EVOLVABLE_ENUM_PROPERTIES } from '../domain/model.js';
import type { ReadContext, ReadResult } from './read-context.js';
import { joinParts, type JsonPart } from './json-parts.js';
import { withoutNulls } from './json-text.js';

// Stored JSON is compact JSON.stringify output, so `"productFamily":"azureCommunicationServices"` can only be a
// member (a quote inside a string value would be escaped).
const EVOLVABLE_REWRITES = Object.entries(EVOLVABLE_ENUM_PROPERTIES).flatMap(([property, members]) =>
  members.map((member) => [`"${property}":"${member}"`, `"${property}":"unknownFutureValue"`] as const),
);

/**
 * Joins a response's parts and applies the client's preferences: evolvable enum members become
 * `unknownFutureValue` unless `Prefer: include-unknown-enum-members` (https://learn.microsoft.com/graph/best-practices-concept#handling-future-members-in-evolvable-enumerations), and nulls go with
 * `Prefer: omit-values=nulls`. `mayHaveEvolvable` comes from ingest, so the common case is one copy of each part.
 */
export function finishJson(
  parts: readonly JsonPart[],
  mayHaveEvolvable: boolean,
  ctx: ReadContext,
  pageSize?: number,
): ReadResult {
  let body = joinParts(parts);
  if (mayHaveEvolvable && !ctx.prefer.includeUnknownEnumMembers) {
    let text = body.toString();
    for (const [from, to] of EVOLVABLE_REWRITES) text = text.replaceAll(from, to);
    body = Buffer.from(text);
  }
  if (ctx.prefer.omitNulls) body = Buffer.from(JSON.stringify(withoutNulls(JSON.parse(body.toString()))));
  return { body, contentType: 'json', applied: appliedPreferences(ctx, pageSize) };
}

// A page size is echoed as the size used, which may be below what the client asked for (Graph's maximum, https://learn.microsoft.com/graph/paging).
function appliedPreferences(ctx: ReadContext, pageSize: number | undefined): string[] {
  const applied: string[] = [];
  if (pageSize !== undefined && ctx.prefer.maxPageSize !== undefined) applied.push(`odata.maxpagesize=${pageSize}`);
  if (ctx.prefer.includeUnknownEnumMembers) applied.push('include-unknown-enum-members');
  if (ctx.prefer.omitNulls) applied.push('omit-values=nulls');
  return applied;
}
