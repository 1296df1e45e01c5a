/**
 * The hot loop of readRecordTexts (record-source.ts): finds where a JSON value ends by counting `{}`/`[]` nesting
 * outside strings, without parsing it. Every structural character of JSON is ASCII and every byte of a multi-byte
 * UTF-8 sequence is 0x80 or above, so scanning bytes is safe.
 */

const LF = 0x0a;
const QUOTE = 0x22;
const COMMA = 0x2c;
const OPEN_BRACKET = 0x5b;
const BACKSLASH = 0x5c;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/** A ValueScan finds where a value ends, chunk by chunk, carrying what it has seen from one chunk to the next. */
export class ValueScan {
  /** 1-based line of the byte being read. */
  line = 1;
  /** Open `{` and `[` of the value. */
  depth = 0;
  inString = false;
  /** A string's backslash was the last byte of the previous chunk, so the next byte is escaped. */
  escape = false;
  /** The value is an element of the top-level array, ended by the `,` or `]` after it. */
  inArray = false;

  /**
   * Reads the value from `buf[i]` on and returns the index where it stops: at the bracket that closes it; or, in an
   * array, at the `,` or `]` after it; or, outside an array, at a line break inside a string, which no valid JSON
   * has (RFC 8259 §7); or else at `buf.length`.
   */
  scan(buf: Buffer, i: number): number {
    const n = buf.length;
    const inArray = this.inArray;
    let { depth, line, inString } = this;
    if (this.escape) {
      this.escape = false;
      if (buf[i] !== LF) i++;
    }
    while (i < n) {
      if (inString) {
        for (; i < n; i++) {
          const c = buf[i];
          if (c === QUOTE) break;
          if (c === LF) {
            if (!inArray) break;
            line++;
          } else if (c === BACKSLASH) {
            // Skip the escaped byte, unless it is in the next chunk or is a line break (which must still count).
            if (i + 1 === n) this.escape = true;
            else if (buf[i + 1] !== LF) i++;
          }
        }
        if (i === n || buf[i] === LF) break;
        inString = false;
        i++;
      }
      for (; i < n; i++) {
        const b = buf[i];
        if (b === QUOTE) break;
        if (b === OPEN_BRACE || b === OPEN_BRACKET) depth++;
        else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
          if (depth > 0) {
            if (--depth === 0 && !inArray) break;
          } else if (b === CLOSE_BRACKET) break;
        } else if (b === COMMA) {
          if (depth === 0 && inArray) break;
        } else if (b === LF) line++;
      }
      if (i === n || buf[i] !== QUOTE) break;
      inString = true;
      i++;
    }
    this.depth = depth;
    this.line = line;
    this.inString = inString;
    return i;
  }
}
