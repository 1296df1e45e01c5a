/**
 * Small operations on stored JSON texts, so that responses are assembled from stored fragments by concatenation;
 * objects are parsed only when a request asks for a projection ($select) or `Prefer: omit-values=nulls`.
 */

type JsonObject = Record<string, unknown>;

/** A JSON object text with `members` (already-encoded JSON values) put before the object's own members. */
export function prependMembers(objectJson: string, members: ReadonlyArray<readonly [string, string]>): string {
  if (members.length === 0) return objectJson;
  const head = members.map(([name, value]) => `${JSON.stringify(name)}:${value}`).join(',');
  return objectJson === '{}' ? `{${head}}` : `{${head},${objectJson.slice(1)}`;
}

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

/** The object text reduced to the named members, in the order stored. */
export function projectObject(objectJson: string, names: readonly string[]): string {
  const source = JSON.parse(objectJson) as JsonObject;
  const picked: JsonObject = {};
  for (const name of Object.keys(source)) {
    if (names.includes(name) || name === '@odata.type') picked[name] = source[name];
  }
  return JSON.stringify(picked);
}

/** Whether a stored object text has the named top-level member (keys are the only place a quoted name meets a colon). */
export function hasMember(objectJson: string, name: string): boolean {
  return objectJson.includes(`${JSON.stringify(name)}:`);
}

/** The value with every null member and null array item removed, recursively (`Prefer: omit-values=nulls`, spec §7). */
export function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((v) => v !== null).map(withoutNulls);
  if (value !== null && typeof value === 'object') {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = withoutNulls(v);
    return out;
  }
  return value;
}
