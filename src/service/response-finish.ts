import { EVOLVABLE_ENUM_PROPERTIES } from '../domain/model.js';
import type { ReadContext, ReadResult } from './read-context.js';
import { withoutNulls } from './json-text.js';

// Stored JSON is compact JSON.stringify output, so `"productFamily":"azureCommunicationServices"` can only be a
// member (a quote inside a string value would be escaped).
const EVOLVABLE_REWRITES = Object.entries(EVOLVABLE_ENUM_PROPERTIES).flatMap(([property, members]) =>
  members.map((member) => [`"${property}":"${member}"`, `"${property}":"unknownFutureValue"`] as const),
);

/**
 * Applies the client's preferences to an assembled JSON body: evolvable enum members become `unknownFutureValue`
 * unless `Prefer: include-unknown-enum-members` (spec §9), and nulls go with `Prefer: omit-values=nulls`.
 * `mayHaveEvolvable` comes from ingest, so the common case is a plain pass-through.
 */
export function finishJson(body: string, mayHaveEvolvable: boolean, ctx: ReadContext, pageSize?: number): ReadResult {
  let text = body;
  if (mayHaveEvolvable && !ctx.prefer.includeUnknownEnumMembers) {
    for (const [from, to] of EVOLVABLE_REWRITES) text = text.replaceAll(from, to);
  }
  if (ctx.prefer.omitNulls) text = JSON.stringify(withoutNulls(JSON.parse(text)));
  return { body: text, contentType: 'json', applied: appliedPreferences(ctx, pageSize) };
}

// A page size is echoed as the size used, which may be below what the client asked for (Graph's maximum, spec §8).
function appliedPreferences(ctx: ReadContext, pageSize: number | undefined): string[] {
  const applied: string[] = [];
  if (pageSize !== undefined && ctx.prefer.maxPageSize !== undefined) applied.push(`odata.maxpagesize=${pageSize}`);
  if (ctx.prefer.includeUnknownEnumMembers) applied.push('include-unknown-enum-members');
  if (ctx.prefer.omitNulls) applied.push('omit-values=nulls');
  return applied;
}
