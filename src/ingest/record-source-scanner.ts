/**
 * The state machine behind readRecordTexts (record-source.ts): what the input is (one array or a sequence of
 * values), where each value starts, and what is an error. Finding where a value ends is record-source-value.ts; holding
 * and decoding its bytes is record-source-bytes.ts.
 */
import { PendingValue } from './record-source-bytes.js';
import { ValueScan } from './record-source-value.js';
import type { SourceItem } from './record-source.js';

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const COMMA = 0x2c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;

// START: before the first non-whitespace byte. TOP: between the values of a sequence. VALUE: inside a `{...}` or
// `[...]` of a sequence. STRAY: top-level text that is not a value, read to the end of its line. WAIT: in the
// top-level array, before an element. ELEMENT: inside an element. AFTER: after the array's `]`. DONE: stopped.
const START = 0;
const TOP = 1;
const VALUE = 2;
const STRAY = 3;
const WAIT = 4;
const ELEMENT = 5;
const AFTER = 6;
const DONE = 7;

const EMPTY = Buffer.alloc(0);

/** A RecordScanner turns chunks of bytes into SourceItems, holding only the value it is reading. */
export class RecordScanner {
  private state = START;
  private readonly cursor = new ValueScan();
  private startLine = 1;
  private arrayLine = 1;
  private afterComma = false;
  private readonly value: PendingValue;

  constructor(maxValueBytes: number) {
    this.value = new PendingValue(maxValueBytes);
  }

  /** Whether the scanner has stopped (text after the top-level array) and looks at no further input. */
  get done(): boolean {
    return this.state === DONE;
  }

  /** Scans one chunk, appending the items it completes to `out`. */
  feed(buf: Buffer, out: SourceItem[]): void {
    const n = buf.length;
    let i = 0;
    let from = 0; // where the current value starts in `buf`; 0 when it began in an earlier chunk
    while (i < n && this.state !== DONE) {
      const state = this.state;
      if (state === VALUE || state === ELEMENT) {
        const stop = this.cursor.scan(buf, i);
        if (stop === n) break;
        const b = buf[stop];
        if (b === LF) {
          // JSON forbids a line break in a string (RFC 8259 §7): the line was cut short, so resume on the next.
          this.cursor.line++;
          this.cursor.inString = this.cursor.escape = false;
          this.value.clear();
          out.push(this.error(`JSON value starting on line ${this.startLine} breaks off inside a string`));
          this.state = TOP;
        } else if (state === VALUE) {
          this.emit(buf, from, stop + 1, false, out);
          this.state = TOP;
        } else {
          this.emit(buf, from, stop, true, out);
          this.afterComma = b === COMMA;
          this.state = this.afterComma ? WAIT : AFTER;
        }
        i = stop + 1;
      } else if (state === STRAY) {
        const lf = buf.indexOf(LF, i);
        if (lf === -1) break;
        this.emit(buf, from, lf, true, out);
        this.cursor.line++;
        this.state = TOP;
        i = lf + 1;
      } else {
        i = this.skipWhitespace(buf, i);
        if (i === n) break;
        const b = buf[i];
        const line = this.cursor.line;
        if (state === AFTER) {
          const message = `unexpected text on line ${line} after the JSON array that starts on line ${this.arrayLine}`;
          out.push(this.error(message, line));
          this.state = DONE;
        } else if (state === WAIT && (b === COMMA || b === CLOSE_BRACKET)) {
          // `[,`, `,,` or `,]`: JSON has no empty elements (a trailing comma is the usual slip).
          if (b === COMMA || this.afterComma) out.push(this.error(`empty array element on line ${line}`, line));
          this.afterComma = true;
          if (b === CLOSE_BRACKET) this.state = AFTER;
          i++;
        } else if (state === START && b === OPEN_BRACKET) {
          this.state = WAIT;
          this.arrayLine = line;
          i++;
        } else {
          // The first byte of the value is left for scanValue (or the line search of STRAY) to read.
          this.state = state === WAIT ? ELEMENT : b === OPEN_BRACE || b === OPEN_BRACKET ? VALUE : STRAY;
          this.startLine = line;
          this.cursor.depth = 0;
          this.cursor.inArray = state === WAIT;
          from = i;
        }
      }
    }
    const state = this.state;
    if ((state === VALUE || state === ELEMENT || state === STRAY) && from < n) this.value.keep(buf, from, n);
  }

  /** Ends the input, appending the items its end completes (a stray last line) or reveals (a truncation). */
  end(out: SourceItem[]): void {
    const { state, arrayLine } = this;
    const open = this.cursor.depth > 0 || this.cursor.inString;
    if (state === STRAY || (state === ELEMENT && !open)) this.emit(EMPTY, 0, 0, true, out);
    if (state === VALUE || (state === ELEMENT && open)) {
      out.push(this.error(`truncated JSON value starting on line ${this.startLine}`));
    } else if (state === ELEMENT || state === WAIT) {
      out.push(this.error(`JSON array starting on line ${arrayLine} is not closed with ']'`, arrayLine));
    }
    this.value.clear();
    this.state = DONE;
  }

  private skipWhitespace(buf: Buffer, i: number): number {
    const n = buf.length;
    let line = this.cursor.line;
    for (; i < n; i++) {
      const b = buf[i];
      if (b === LF) line++;
      else if (b !== SPACE && b !== CR && b !== TAB) break;
    }
    this.cursor.line = line;
    return i;
  }

  private emit(buf: Buffer, from: number, to: number, trim: boolean, out: SourceItem[]): void {
    const text = this.value.take(buf, from, to, trim);
    if (typeof text === 'string') out.push({ kind: 'value', line: this.startLine, text });
    else if (text === null) out.push(this.error(`JSON value starting on line ${this.startLine} is not valid UTF-8`));
    else out.push(this.error(`JSON value starting on line ${this.startLine} is over ${this.value.maxBytes} bytes`));
  }

  private error(message: string, line = this.startLine): SourceItem {
    return { kind: 'error', line, message };
  }
}
