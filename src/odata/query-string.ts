/**
 * Raw query-string splitting for OData requests (docs/dependencies.md, "Traps" 1).
 *
 * Generic parsers (URLSearchParams, Fastify's default) split on every `&` and read `+` as a space. Graph clients do
 * not encode the way those parsers assume: the Graph JS client sends `&` and `+` unencoded inside `$filter` string
 * literals (`id eq 'a&b'`), Kiota percent-encodes `=` inside `$expand` (`sessions($expand%3Dsegments)`), and a
 * DateTimeOffset such as `2024-01-01T00:00:00+01:00` must keep its `+`. So the value of a system query option (a
 * name starting with `$`) ends only at an `&` outside single-quoted literals and outside parentheses, and decoding
 * is `decodeURIComponent`, which leaves `+` alone. Custom query options (no `$`) are split on every `&`.
 */
import { AppError } from '../errors.js';

/**
 * Splits `raw` (everything after `?` of the request URL, undecoded) into decoded `[name, value]` pairs in request
 * order; empty parts are skipped and a part without `=` has the value `''`. Throws `invalidQueryOption` naming the
 * option when a name or value holds a malformed percent escape.
 */
export function splitQueryString(raw: string): Array<[name: string, value: string]> {
  const pairs: Array<[name: string, value: string]> = [];
  let start = 0;
  while (start < raw.length) {
    const end = findPartEnd(raw, start);
    if (end > start) pairs.push(decodePair(raw.slice(start, end)));
    start = end + 1;
  }
  return pairs;
}

/** Index of the `&` that ends the part starting at `start`, or `raw.length`. */
function findPartEnd(raw: string, start: number): number {
  const systemOption = raw.startsWith('$', start) || raw.slice(start, start + 3).toLowerCase() === '%24';
  let depth = 0;
  let quoted = false;
  for (let i = start; i < raw.length; i++) {
    const ch = raw[i];
    if (ch === '&' && (!systemOption || (!quoted && depth === 0))) return i;
    if (!systemOption) continue;
    // OData doubles a quote inside a literal ('a''b'): toggling on every quote handles that without look-ahead.
    if (ch === "'") quoted = !quoted;
    else if (!quoted && ch === '(') depth++;
    else if (!quoted && ch === ')' && depth > 0) depth--;
  }
  return raw.length;
}

function decodePair(part: string): [name: string, value: string] {
  const eq = part.indexOf('=');
  const rawName = eq === -1 ? part : part.slice(0, eq);
  const name = decode(rawName, rawName);
  return [name, eq === -1 ? '' : decode(part.slice(eq + 1), name)];
}

function decode(text: string, optionName: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new AppError(
      'invalidQueryOption',
      `Query option '${optionName}' is not correctly percent-encoded: every '%' must start an escape such as %20 ` +
        `that decodes to UTF-8 text.`,
    );
  }
}
