/**
 * Small operations on JSON texts: joining a record from its serialised parts on ingest, and dropping nulls for
 * `Prefer: omit-values=nulls`. (Responses are assembled from stored bytes in json-parts.ts.)
 */

type JsonObject = Record<string, unknown>;

/** A JSON object text with `members` (already-encoded JSON values) put after the object's own members. */
export function appendMembers(objectJson: string, members: ReadonlyArray<readonly [string, string]>): string {
  if (members.length === 0) return objectJson;
  const tail = members.map(([name, value]) => `${JSON.stringify(name)}:${value}`).join(',');
  return objectJson === '{}' ? `{${tail}}` : `${objectJson.slice(0, -1)},${tail}}`;
}

/** A JSON array text of the given JSON texts. */
export function arrayOf(items: readonly string[]): string {
  return `[${items.join(',')}]`;
}

/** The value with every null member and null array item removed, recursively (`Prefer: omit-values=nulls`, https://learn.microsoft.com/graph/api/callrecords-callrecord-get). */
export function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((v) => v !== null).map(withoutNulls);
  if (value !== null && typeof value === 'object') {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = withoutNulls(v);
    return out;
  }
  return value;
}
