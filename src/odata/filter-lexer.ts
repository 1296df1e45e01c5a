/**
 * The lexer of the `$filter` subset (the grammar is in filter-parser.ts). It turns the decoded `$filter` value into
 * tokens with their 0-based character positions, so every error can say where it happened.
 */
import { AppError, type ErrorCode } from '../errors.js';

/** The kinds of token: a word (name or keyword), an unquoted literal, a quoted string, punctuation, the end. */
export type TokenKind = 'word' | 'literal' | 'string' | '(' | ')' | '/' | ':' | ',' | 'end';

/** One token: `text` as written, `value` with quotes removed and `''` unescaped (strings), `pos` 0-based. */
export interface Token {
  kind: TokenKind;
  text: string;
  value: string;
  pos: number;
}

/** What the filter accepts, appended to every `$filter` error message. */
export const FILTER_SUPPORTED =
  "startDateTime lt|le|gt|ge <DateTimeOffset>, participants_v2/any(p:p/id eq '<id>'), joined with 'and'";

const PUNCTUATION = new Set(['(', ')', '/', ':', ',']);
const WORD = /[A-Za-z_][A-Za-z0-9_]*/y;
// An unquoted literal starts with a digit; a '+' belongs to it only as a zone offset (…T10:25:00+01:00).
const LITERAL = /[0-9](?:[A-Za-z0-9_.:-]|\+(?=\d\d:\d\d))*/y;

/** Returns the `$filter` error for a problem at `pos`, in the one message format every filter error uses. */
export function filterError(code: ErrorCode, detail: string, pos: number): AppError {
  return new AppError(code, `Invalid $filter at position ${pos}: ${detail}; supported: ${FILTER_SUPPORTED}.`);
}

/** Names a token for an error message: `'eq'`, `string 'a b'`, `the end of the expression`. */
export function describeToken(token: Token): string {
  if (token.kind === 'end') return 'the end of the expression';
  return token.kind === 'string' ? `string ${token.text}` : `'${token.text}'`;
}

/**
 * Splits a decoded `$filter` value into tokens ending with one `end` token. Throws `invalidQueryOption` on a
 * character that no token can start with, or on an unterminated string literal.
 */
export function tokenizeFilter(source: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  for (;;) {
    pos = skipSpace(source, pos);
    if (pos >= source.length) break;
    const token = readToken(source, pos);
    tokens.push(token);
    pos += token.text.length;
  }
  tokens.push({ kind: 'end', text: '', value: '', pos: source.length });
  return tokens;
}

// A '+' outside a literal is a space: form-encoding clients (Python requests, curl --data-urlencode) send spaces as
// '+', and the query-string splitter keeps '+' literal so that zone offsets survive.
function skipSpace(source: string, pos: number): number {
  while (pos < source.length && /[\s+]/.test(source.charAt(pos))) pos++;
  return pos;
}

function readToken(source: string, pos: number): Token {
  const ch = source.charAt(pos);
  if (PUNCTUATION.has(ch)) return { kind: ch as TokenKind, text: ch, value: ch, pos };
  if (ch === "'") return readString(source, pos);
  for (const [kind, pattern] of [
    ['word', WORD],
    ['literal', LITERAL],
  ] as const) {
    pattern.lastIndex = pos;
    const m = pattern.exec(source);
    if (m !== null) return { kind, text: m[0], value: m[0], pos };
  }
  throw filterError('invalidQueryOption', `unexpected character '${ch}'`, pos);
}

function readString(source: string, start: number): Token {
  let value = '';
  let pos = start + 1;
  for (;;) {
    const quote = source.indexOf("'", pos);
    if (quote === -1) throw filterError('invalidQueryOption', 'unterminated string literal', start);
    value += source.slice(pos, quote);
    if (source[quote + 1] !== "'") {
      return { kind: 'string', text: source.slice(start, quote + 1), value, pos: start };
    }
    value += "'";
    pos = quote + 2;
  }
}
