/**
 * Responses as lists of parts — stored JSON bytes (Buffers, as the store returns them) and small strings written
 * here — joined into one Buffer at the end. Stored fragments are never decoded, re-encoded or copied more than once
 * on the way to the socket; only $select, `omit-values=nulls` and evolvable enum members make a reader parse JSON.
 */

/** A piece of a JSON text: stored UTF-8 bytes or a string. */
export type JsonPart = Buffer | string;

/** A JSON member: its name and its value's parts. */
export type JsonMember = readonly [name: string, value: readonly JsonPart[]];

/** The parts of an object: the `before` members, the members of the stored object `object`, then `after`. */
export function objectParts(
  object: JsonPart | undefined,
  before: readonly JsonMember[],
  after: readonly JsonMember[] = [],
): JsonPart[] {
  const parts: JsonPart[] = ['{'];
  let first = true;
  const separator = () => {
    if (!first) parts.push(',');
    first = false;
  };
  for (const [name, value] of before) {
    separator();
    parts.push(`${JSON.stringify(name)}:`, ...value);
  }
  if (object !== undefined && object.length > 2) {
    separator();
    parts.push(typeof object === 'string' ? object.slice(1, -1) : object.subarray(1, object.length - 1));
  }
  for (const [name, value] of after) {
    separator();
    parts.push(`${JSON.stringify(name)}:`, ...value);
  }
  parts.push('}');
  return parts;
}

/** The parts of an array of items, each given as its own parts. */
export function arrayParts(items: readonly (readonly JsonPart[])[]): JsonPart[] {
  const parts: JsonPart[] = ['['];
  items.forEach((item, i) => {
    if (i > 0) parts.push(',');
    parts.push(...item);
  });
  parts.push(']');
  return parts;
}

/** A JSON string value as parts. */
export function stringValue(value: string): JsonPart[] {
  return [JSON.stringify(value)];
}

/** Joins parts into one Buffer with a single copy of each part. */
export function joinParts(parts: readonly JsonPart[]): Buffer {
  let length = 0;
  for (const part of parts) length += typeof part === 'string' ? Buffer.byteLength(part) : part.length;
  const out = Buffer.allocUnsafe(length);
  let offset = 0;
  for (const part of parts) {
    offset += typeof part === 'string' ? out.write(part, offset) : part.copy(out, offset);
  }
  return out;
}

/** The stored object reduced to the named members (and `@odata.type`), in stored order: a parse, for $select. */
export function projectObject(object: JsonPart, names: readonly string[]): string {
  const source = JSON.parse(object.toString()) as Record<string, unknown>;
  const picked: Record<string, unknown> = {};
  for (const name of Object.keys(source)) {
    if (names.includes(name) || name === '@odata.type') picked[name] = source[name];
  }
  return JSON.stringify(picked);
}

/** Whether a stored compact object has the named member (a quoted name followed by a colon is always a key). */
export function hasMember(object: JsonPart, name: string): boolean {
  return object.includes(`${JSON.stringify(name)}:`);
}
