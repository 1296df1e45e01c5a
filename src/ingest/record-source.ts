/**
 * The first stage of `callrecords import`: cuts an input of any size into one JSON text per record, each with the
 * line it starts on, holding only the record being read in memory. It does not parse JSON: the consumer parses each
 * text and reports a rejection against its line. The rules are applied by record-source-scanner.ts.
 */
import { RecordScanner } from './record-source-scanner.js';

/**
 * One item read from the input, with the 1-based line it starts on: a value's text for the consumer to parse, or a
 * fault that no single text can carry.
 */
export type SourceItem =
  /** A complete top-level JSON value, or element of the top-level array, as text; not parsed. */
  | { kind: 'value'; line: number; text: string }
  /** A fault of the input's structure, such as a value cut off by the end of input or text after the array. */
  | { kind: 'error'; line: number; message: string };

/** Options of readRecordTexts. */
export interface ReadRecordOptions {
  /** Largest value, in bytes, that is kept; a larger one becomes an error item. Defaults to MAX_VALUE_BYTES. */
  maxValueBytes?: number;
}

/**
 * The default cap on one value's size (64 MiB). It bounds memory when a value is never closed — an NDJSON line cut
 * off outside a string swallows the lines after it — yet fits a Graph list page of expanded call records.
 */
export const MAX_VALUE_BYTES = 64 * 1024 * 1024;

const BOM = [0xef, 0xbb, 0xbf] as const;

/** How many bytes to hold before a byte order mark split across chunks can be recognised. */
export const BOM_LENGTH = BOM.length;

/**
 * Splits a UTF-8 byte stream into top-level JSON values, yielding each as text with the line it starts on.
 *
 * - A leading UTF-8 byte order mark is skipped.
 * - When the first non-whitespace byte is `[`, the input is one array: each element is yielded as its own value
 *   (trimmed; scalars included), and anything but whitespace after the closing `]` is an error item.
 * - Otherwise the input is a sequence of values (NDJSON, concatenated or pretty-printed documents): each
 *   `{...}`/`[...]` is yielded whole, spanning lines as needed; brackets inside strings do not count. Top-level text
 *   that starts otherwise (`not json`, `123`, a stray `}`) is yielded as a value up to the end of its line, so that
 *   the consumer's JSON.parse rejects it with that line.
 * - A value still open at the end of input gives one error item, `truncated JSON value starting on line N`. A line
 *   break inside a string can never be valid JSON, so outside an array it ends the value with an error item and
 *   reading resumes on the next line: a truncated NDJSON line then costs only itself.
 * - A value over `maxValueBytes` gives an error item instead of text; reading goes on after it.
 *
 * Buffers are retained (not copied) while their value is incomplete, so the caller must not reuse them; a string
 * chunk must hold whole characters (as a stream with `setEncoding('utf8')` gives). Stopping the iteration early, or
 * an error after the closing `]`, stops reading `input` (its iterator's `return()` is called).
 */
export async function* readRecordTexts(
  input: AsyncIterable<Buffer | string>,
  options: ReadRecordOptions = {},
): AsyncGenerator<SourceItem> {
  for await (const batch of readRecordBatches(input, options)) {
    for (const item of batch) yield item;
  }
}

/**
 * Yields the items of readRecordTexts, in order, grouped by the input chunk that completes them (never an empty
 * group). It is the form for a hot loop: an async generator costs some 0.3–0.5 µs per item it yields, as much as
 * scanning a small record.
 */
export async function* readRecordBatches(
  input: AsyncIterable<Buffer | string>,
  options: ReadRecordOptions = {},
): AsyncGenerator<SourceItem[]> {
  const scanner = new RecordScanner(options.maxValueBytes ?? MAX_VALUE_BYTES);
  // The first bytes are held until there are enough of them to recognise a byte order mark split across chunks.
  let head: Buffer | undefined = Buffer.alloc(0);
  for await (const chunk of input) {
    let bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    if (head !== undefined) {
      head = head.length === 0 ? bytes : Buffer.concat([head, bytes]);
      if (head.length < BOM.length) continue;
      bytes = skipBom(head);
      head = undefined;
    }
    const items: SourceItem[] = [];
    scanner.feed(bytes, items);
    if (items.length > 0) yield items;
    if (scanner.done) return;
  }
  const items: SourceItem[] = [];
  if (head !== undefined) scanner.feed(skipBom(head), items);
  scanner.end(items);
  if (items.length > 0) yield items;
}

/** The bytes without a leading UTF-8 byte order mark. */
export function skipBom(bytes: Buffer): Buffer {
  const hasBom = bytes.length >= BOM.length && BOM.every((b, i) => bytes[i] === b);
  return hasBom ? bytes.subarray(BOM.length) : bytes;
}
