import { AppError } from '../../errors.js';

/**
 * The parameters of an analytics URL, read from the raw query string (after `?`, undecoded), because a filter's
 * text literals may hold `&` and `+` (`building eq 'R&D'`): a value ends at an `&` outside single quotes; `+` is a
 * space outside quotes (as forms and most clients encode one) and itself inside them; `%XX` escapes are decoded.
 * The last of repeated names wins. A malformed escape is a `BadRequest` naming the parameter.
 */
export function analyticsParams(raw: string): Record<string, string> {
  const params: Record<string, string> = {};
  let start = 0;
  while (start < raw.length) {
    let end = start;
    let quoted = false;
    for (; end < raw.length; end++) {
      const ch = raw[end];
      if (ch === '&' && !quoted) break;
      if (ch === "'" || raw.startsWith('%27', end)) quoted = !quoted;
    }
    const part = raw.slice(start, end);
    if (part !== '') {
      const eq = part.indexOf('=');
      const name = decode(eq === -1 ? part : part.slice(0, eq), part);
      params[name] = eq === -1 ? '' : decode(part.slice(eq + 1), name);
    }
    start = end + 1;
  }
  return params;
}

function decode(text: string, name: string): string {
  let spaced = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === "'" || text.startsWith('%27', i)) quoted = !quoted;
    spaced += ch === '+' && !quoted ? '%20' : ch;
  }
  try {
    return decodeURIComponent(spaced);
  } catch {
    throw new AppError('BadRequest', `The query parameter '${name}' holds a malformed percent escape.`);
  }
}
