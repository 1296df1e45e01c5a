/**
 * The records of one ingest request body (`POST /api/callRecords`), read with the same scanner as `callrecords import`
 * (record-source-scanner.ts) as the body arrives: each value's text is cut out and parsed on its own, so a line
 * number comes with every fault, and a body is refused as soon as it holds more records than one request may carry —
 * before the rest is read or parsed, so `[{},{},…]` costs no more memory than one chunk of it.
 */
import { AppError } from '../errors.js';
import type { IngestItem } from './ingest-service.js';
import { parseText } from './parse-items.js';
import { RecordScanner } from './record-source-scanner.js';
import { BOM_LENGTH, skipBom, type SourceItem } from './record-source.js';

/**
 * The most records one ingest request may carry (docs/api.md). Each gets an outcome in the answer, so this bounds
 * the answer and the memory of a request; larger sets go through `callrecords import`, which streams.
 */
export const MAX_INGEST_ITEMS = 1000;

/** The records of a body and whether it was one record on its own (which is answered like a Graph write). */
export interface BodyItems {
  items: IngestItem[];
  single: boolean;
}

// Bytes scanned between checks of the record count, so that little is cut out past the limit.
const SLICE_BYTES = 64 * 1024;

/**
 * A BodyItemsReader splits a request body into records, chunk by chunk. A body is all or nothing at the syntax level:
 * invalid JSON or UTF-8 anywhere (e.g. a truncated last NDJSON line) is a 400 `invalidJson` naming the line, and more
 * than `maxItems` records is a 413 `requestEntityTooLarge` naming the limit; both are thrown by `feed` or `end` as
 * soon as they are seen. Records that parse are validated one by one later.
 */
export class BodyItemsReader {
  private readonly items: IngestItem[] = [];
  private readonly found: SourceItem[] = [];
  private readonly scanner: RecordScanner;
  private head: Buffer | undefined = Buffer.alloc(0);
  private first: number | undefined;
  private collection = false;

  constructor(
    private readonly format: 'json' | 'ndjson',
    private readonly maxItems = MAX_INGEST_ITEMS,
    maxValueBytes = Number.MAX_SAFE_INTEGER,
  ) {
    this.scanner = new RecordScanner(maxValueBytes);
  }

  /** Reads the next chunk of the body; the reader keeps it (no copy), so the caller must not reuse it. */
  feed(chunk: Buffer): void {
    let bytes = chunk;
    if (this.head !== undefined) {
      // The first bytes are held until a byte order mark split across chunks can be recognised.
      this.head = this.head.length === 0 ? chunk : Buffer.concat([this.head, chunk]);
      if (this.head.length < BOM_LENGTH) return;
      bytes = skipBom(this.head);
      this.head = undefined;
    }
    this.first ??= firstByte(bytes);
    for (let at = 0; at < bytes.length && !this.scanner.done; at += SLICE_BYTES) {
      this.scanner.feed(bytes.subarray(at, at + SLICE_BYTES), this.found);
      this.take();
    }
  }

  /** Ends the body and returns its records. */
  end(): BodyItems {
    if (this.head !== undefined) {
      const head = skipBom(this.head);
      this.head = undefined;
      this.first ??= firstByte(head);
      this.scanner.feed(head, this.found);
    }
    this.scanner.end(this.found);
    this.take();
    if (this.format === 'json' && this.first === undefined) {
      throw new AppError('invalidJson', 'The request body is empty.');
    }
    // One record sent on its own, not an array or a page of one.
    const single = this.format === 'json' && this.items.length === 1 && !this.collection && this.first !== 0x5b;
    return { items: this.items, single };
  }

  private take(): void {
    for (const item of this.found) {
      if (item.kind === 'error') throw new AppError('invalidJson', notJson(item.message));
      // A Graph page is one value: its items are counted before it is parsed, so a page of a million is never built.
      if (this.items.length + pageItemsAtLeast(item.text, this.maxItems) > this.maxItems) this.tooMany();
      const { items: parsed, collection } = parseText(item.text, item.line);
      const broken = parsed.find((p) => p.error !== undefined);
      if (broken !== undefined) throw new AppError('invalidJson', notJson(`line ${item.line}: ${broken.error}`));
      this.collection ||= collection;
      if (this.items.length + parsed.length > this.maxItems) this.tooMany();
      for (const p of parsed) this.items.push(p);
    }
    this.found.length = 0;
  }

  private tooMany(): never {
    throw new AppError(
      'requestEntityTooLarge',
      `The request holds more than ${this.maxItems} call records, the limit of one request; send them in several ` +
        'requests or load the file with `callrecords import`.',
    );
  }
}

/**
 * How many items a value's text holds when it is a Graph page (`{"value": [...]}` without an `id`, as parse-items.ts
 * reads it): the elements of its top-level `value` array, counted without parsing; 1 for anything else.
 */
function pageItemsAtLeast(text: string, limit: number): number {
  // A page of more than `limit` items has at least 2 bytes per item; smaller texts need no count.
  if (text.charCodeAt(0) !== 0x7b || text.length <= 2 * limit || !text.includes('"value"')) return 1;
  let depth = 0;
  let inString = false;
  let stringStart = 0;
  let key = '';
  let inValue = false;
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) {
        inString = false;
        if (depth === 1) key = text.slice(stringStart, i);
        if (depth === 1 && key === 'id' && /^\s*:/.test(text.slice(i + 1, i + 64))) return 1; // a record, not a page
      }
    } else if (c === 0x22) {
      inString = true;
      stringStart = i + 1;
    } else if (c === 0x7b || c === 0x5b) {
      depth++;
      // The array after the top-level key "value": its first element, then one more per comma.
      if (depth === 2 && c === 0x5b && key === 'value') [inValue, count] = [true, 1];
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
      if (depth === 1) inValue = false;
    } else if (c === 0x2c && depth === 2 && inValue) {
      if (++count > limit) return count;
    }
  }
  return Math.max(1, count);
}

function notJson(message: string): string {
  return `The request body is not valid JSON: ${message}`;
}

function firstByte(bytes: Buffer): number | undefined {
  for (const b of bytes) if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) return b;
  return undefined;
}
