/**
 * The records of one ingest request body (`POST /api/callRecords`), read with the same scanner as `callrecords import`
 * (record-source-scanner.ts): each value's text is cut out and parsed on its own, so a line number comes with every
 * fault, and a body is refused as soon as it holds more records than one request may carry — before the rest is
 * parsed, so `[{},{},…]` costs no more memory than its bytes.
 */
import { AppError } from '../errors.js';
import type { IngestItem } from './ingest-service.js';
import { parseText } from './parse-items.js';
import { RecordScanner } from './record-source-scanner.js';
import type { SourceItem } from './record-source.js';

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

// Bytes scanned between checks of the record count: small enough that little is cut out past the limit.
const SLICE_BYTES = 64 * 1024;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Splits a request body into records. A body is all or nothing at the syntax level: invalid JSON or UTF-8 anywhere
 * (e.g. a truncated last NDJSON line) is a 400 `invalidJson` naming the line, and more than `maxItems` records is
 * a 413 `requestEntityTooLarge` naming the limit; records that parse are validated one by one later.
 */
export function bodyItems(body: Buffer, format: 'json' | 'ndjson', maxItems = MAX_INGEST_ITEMS): BodyItems {
  const bytes = body.subarray(0, 3).equals(BOM) ? body.subarray(3) : body;
  const items: IngestItem[] = [];
  const scanner = new RecordScanner(bytes.length);
  const found: SourceItem[] = [];
  let values = 0;
  let collection = false;
  const take = () => {
    for (const item of found) {
      if (item.kind === 'error') throw new AppError('invalidJson', notJson(item.message));
      const { items: parsed, collection: many } = parseText(item.text, item.line);
      const broken = parsed.find((p) => p.error !== undefined);
      if (broken !== undefined) throw new AppError('invalidJson', notJson(`line ${item.line}: ${broken.error}`));
      values++;
      collection ||= many;
      items.push(...parsed);
      if (items.length > maxItems) {
        throw new AppError(
          'requestEntityTooLarge',
          `The request holds more than ${maxItems} call records, the limit of one request; send them in several ` +
            'requests or load the file with `callrecords import`.',
        );
      }
    }
    found.length = 0;
  };
  for (let at = 0; at < bytes.length && !scanner.done; at += SLICE_BYTES) {
    scanner.feed(bytes.subarray(at, at + SLICE_BYTES), found);
    take();
  }
  scanner.end(found);
  take();
  if (format === 'json' && firstByte(bytes) === undefined) throw new AppError('invalidJson', 'The request body is empty.');
  // One record sent on its own, not an array or a page of one.
  const single = format === 'json' && values === 1 && !collection && firstByte(bytes) !== 0x5b;
  return { items, single };
}

function notJson(message: string): string {
  return `The request body is not valid JSON: ${message}`;
}

function firstByte(bytes: Buffer): number | undefined {
  for (const b of bytes) if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) return b;
  return undefined;
}
