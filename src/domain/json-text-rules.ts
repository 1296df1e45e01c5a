/**
 * Rules a record's JSON text must follow beyond the model: values that JSON.parse changes silently or that one of the
 * stores cannot hold. They are found in the raw text (cheaply, and exactly where JSON.parse would hide them), then
 * located in the parsed value so that the finding names its path like every other validation issue.
 */
import type { ValidationIssue } from './validate.js';
import { MAX_VALIDATION_ISSUES } from './validate.js';

/**
 * Whether a text holds U+0000. No stored id or value does (ingest refuses it), and PostgreSQL cannot even compare
 * such a text, so a lookup by it finds nothing on either store without asking the database.
 */
export function holdsNul(text: string): boolean {
  return text.includes('\0');
}

/** What the raw text of a record (or of a page of records) holds that the rules below refuse. */
export interface TextFindings {
  /** A `\u0000` escape: PostgreSQL `text` cannot hold U+0000, so no store may accept it. */
  nul: boolean;
  /** An integer literal beyond ±(2^53 − 1): JSON.parse would round it to another number without a word. */
  unsafeInteger: boolean;
}

// `\u0000` preceded by an even number of backslashes (an odd number makes it the escaped text `\u0000`).
const NUL_ESCAPE = /(?:^|[^\\])(?:\\\\)*\\u0000/;
// Only a run of 16 digits can exceed 2^53 − 1 (9007199254740991, 16 digits); most texts have none. Spelled out: V8
// runs `\d{16}` some 7 times slower (1.3 s against 0.18 s over 200 MB of generated records).
const SIXTEEN_DIGITS = /\d\d\d\d\d\d\d\d\d\d\d\d\d\d\d\d/;
const MAX_SAFE_DIGITS = String(Number.MAX_SAFE_INTEGER);

/** Scans a JSON text for what the rules refuse; undefined when it holds none of it (the common case). */
export function findInText(text: string): TextFindings | undefined {
  const nul = text.includes('\\u0000') && NUL_ESCAPE.test(text);
  const unsafeInteger = SIXTEEN_DIGITS.test(text) && hasUnsafeIntegerLiteral(text);
  return nul || unsafeInteger ? { nul, unsafeInteger } : undefined;
}

/**
 * The issues of one parsed value whose text had `findings`: each string or property name holding U+0000 and each
 * integer beyond ±(2^53 − 1), with its path (at most MAX_VALIDATION_ISSUES). Iterative, so any nesting depth is safe.
 */
export function textIssues(value: unknown, findings: TextFindings): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const stack: { value: unknown; path: string }[] = [{ value, path: '$' }];
  while (stack.length > 0 && issues.length < MAX_VALIDATION_ISSUES) {
    const { value: v, path } = stack.pop()!;
    if (typeof v === 'string') {
      if (findings.nul && v.includes('\0')) issues.push({ path, rule: 'holds U+0000, which cannot be stored' });
    } else if (typeof v === 'number') {
      if (findings.unsafeInteger && Number.isInteger(v) && Math.abs(v) > Number.MAX_SAFE_INTEGER) {
        issues.push({ path, rule: 'an integer beyond ±9007199254740991 cannot be kept exactly; send it as a string' });
      }
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], path: `${path}[${i}]` });
    } else if (typeof v === 'object' && v !== null) {
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i]!;
        if (findings.nul && key.includes('\0')) {
          issues.push({ path, rule: 'a property name holds U+0000, which cannot be stored' });
        }
        stack.push({ value: (v as Record<string, unknown>)[key], path: path === '$' ? key : `${path}.${key}` });
      }
    }
  }
  return issues;
}

/** Whether the text has an integer literal (no fraction, no exponent) outside strings beyond ±(2^53 − 1). */
function hasUnsafeIntegerLiteral(text: string): boolean {
  const n = text.length;
  let inString = false;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      // A backslash escapes the next character; a quote ends the string.
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c >= 0x30 && c <= 0x39) {
      let end = i;
      while (end < n && isDigit(text.charCodeAt(end))) end++;
      const next = text.charCodeAt(end);
      const integer = next !== 0x2e && next !== 0x65 && next !== 0x45; // not followed by `.`, `e` or `E`
      if (integer && beyondSafe(text.slice(i, end))) return true;
      i = end - 1;
      // Skip the rest of a number with a fraction or exponent, so its digits are not read as an integer.
      while (i + 1 < n && /[0-9.eE+-]/.test(text[i + 1]!)) i++;
    }
  }
  return false;
}

function beyondSafe(digits: string): boolean {
  if (digits.length !== MAX_SAFE_DIGITS.length) return digits.length > MAX_SAFE_DIGITS.length;
  return digits > MAX_SAFE_DIGITS;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}
