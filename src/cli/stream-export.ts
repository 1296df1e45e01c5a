import type { Writable } from 'node:stream';
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import { csvLine } from '../analytics/query/csv.js';
import { STREAM_COLUMNS, type StreamColumn } from '../analytics/stream-columns.js';
import type { StreamStore } from '../storage/roles.js';
import type { ExportRange } from '../storage/store.js';
import type { StoredStream, StreamCursor } from '../storage/stream-types.js';
import { CliError } from './cli-error.js';

/** The formats of `export --streams`. */
export const STREAM_EXPORT_FORMATS = ['csv', 'parquet'] as const;

/** Rows read per store call, and per Parquet row group. */
const PAGE = 20_000;

/**
 * Writes the per-stream table's rows whose record started in `range` to `out`, in (call start, call id, stream)
 * order, with the documented column names of STREAM_COLUMNS as header (docs/analytics.md, "Export"): CSV (RFC 4180,
 * `poorReasons` joined with `;`, empty for null) or Parquet (text as UTF-8 strings, integers as INT64, reals as
 * DOUBLE, all optional; one row group per page). Resolves to the number of rows written.
 */
export async function exportStreams(
  store: Pick<StreamStore, 'readStreams'>,
  range: ExportRange,
  format: string,
  out: Writable,
): Promise<number> {
  if (!(STREAM_EXPORT_FORMATS as readonly string[]).includes(format)) {
    throw new CliError(`--format '${format}' is not one of ${STREAM_EXPORT_FORMATS.join(', ')}`);
  }
  const sink = format === 'csv' ? csvSink(out) : parquetSink(out);
  let rows = 0;
  for await (const page of pages(store, range)) {
    rows += page.length;
    await sink.page(page);
  }
  await sink.end();
  return rows;
}

async function* pages(store: Pick<StreamStore, 'readStreams'>, range: ExportRange): AsyncGenerator<StoredStream[]> {
  let after: StreamCursor | undefined;
  for (;;) {
    const page = await store.readStreams(range, after, PAGE);
    if (page.length === 0) return;
    yield page;
    const last = page.at(-1)!;
    after = { startKey: last.start_key, recordId: last.record_id, ordinal: Number(last.ordinal) };
  }
}

interface Sink {
  page(rows: readonly StoredStream[]): Promise<void>;
  end(): Promise<void>;
}

function valueOf(row: StoredStream, column: StreamColumn): string | number | null {
  const value = (row as unknown as Record<string, string | number | null | undefined>)[column.column];
  return value === undefined || value === null ? null : value;
}

function csvSink(out: Writable): Sink {
  let header = csvLine(STREAM_COLUMNS.map((c) => c.name));
  return {
    async page(rows) {
      const text = rows.map((row) => csvLine(STREAM_COLUMNS.map((c) => valueOf(row, c)))).join('');
      await write(out, header + text);
      header = '';
    },
    async end() {
      if (header !== '') await write(out, header);
    },
  };
}

/** A ByteWriter that hands its bytes to `out` after each row group (and at the end), so memory holds one group. */
class StreamingWriter extends ByteWriter {
  constructor(private readonly out: Writable) {
    super(1 << 20);
  }

  flush(): Promise<void> {
    const bytes = Buffer.from(this.getBytes());
    this.index = 0;
    return write(this.out, bytes);
  }

  override finish(): Promise<void> {
    return this.flush();
  }
}

function parquetSink(target: Writable): Sink {
  const writer = new StreamingWriter(target);
  const parquet = new ParquetWriter({
    writer,
    schema: [
      { name: 'root', num_children: STREAM_COLUMNS.length },
      ...STREAM_COLUMNS.map((c) => ({
        name: c.name,
        repetition_type: 'OPTIONAL' as const,
        ...(c.kind === 'text'
          ? { type: 'BYTE_ARRAY' as const, converted_type: 'UTF8' as const }
          : c.kind === 'integer'
            ? { type: 'INT64' as const }
            : { type: 'DOUBLE' as const }),
      })),
    ],
    createdBy: 'callrecords export --streams',
  });
  return {
    async page(rows) {
      const columnData = STREAM_COLUMNS.map((c) => ({
        name: c.name,
        data: rows.map((row) => {
          const v = valueOf(row, c);
          if (v === null) return null;
          if (c.kind === 'integer') return BigInt(v);
          return c.kind === 'real' ? Number(v) : String(v);
        }),
      }));
      await parquet.write({ columnData, rowGroupSize: rows.length });
    },
    async end() {
      await parquet.finish();
    },
  };
}

function write(target: Writable, chunk: string | Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    target.write(chunk, (error) => (error ? reject(error) : resolve()));
  });
}
