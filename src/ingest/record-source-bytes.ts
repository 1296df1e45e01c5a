/**
 * The bytes of the one value a RecordScanner is reading: pieces of the chunks it spans, held without copying and
 * joined and decoded once, when the value is complete.
 */
import { isUtf8 } from 'node:buffer';

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;

/** A PendingValue holds the pieces of an unfinished value, up to `maxBytes`; past that it only counts them. */
export class PendingValue {
  private parts: Buffer[] = [];
  private size = 0;
  private oversize = false;

  constructor(readonly maxBytes: number) {}

  /** Holds `buf[from, to)`, the tail of a chunk that ends before the value does. */
  keep(buf: Buffer, from: number, to: number): void {
    this.size += to - from;
    if (this.oversize) return;
    this.parts.push(buf.subarray(from, to));
    if (this.size > this.maxBytes) {
      this.oversize = true;
      this.parts = [];
    }
  }

  /**
   * Completes the value with `buf[from, to)` and returns its text, without trailing whitespace when `trim` is set;
   * undefined when it has more than `maxBytes` bytes (counted before trimming), null when it is not valid UTF-8
   * (decoding would replace the bad bytes with U+FFFD, silently changing the record). Either way the holder is
   * emptied.
   */
  take(buf: Buffer, from: number, to: number, trim: boolean): string | null | undefined {
    const size = this.size + to - from;
    let text: string | null | undefined;
    if (!this.oversize && size <= this.maxBytes) {
      let bytes = buf;
      if (this.parts.length > 0) {
        this.parts.push(buf.subarray(from, to));
        bytes = Buffer.concat(this.parts, size);
        from = 0;
        to = size;
      }
      if (trim) while (to > from && isWhitespace(bytes[to - 1]!)) to--;
      text = isUtf8(bytes.subarray(from, to)) ? bytes.toString('utf8', from, to) : null;
    }
    this.clear();
    return text;
  }

  /** Forgets the value being held. */
  clear(): void {
    if (this.parts.length > 0) this.parts = [];
    this.size = 0;
    this.oversize = false;
  }
}

function isWhitespace(b: number): boolean {
  return b === SPACE || b === LF || b === CR || b === TAB;
}
