import { annotateReceived } from '../ingest/received-annotation.js';
import { appendMembers } from '../service/json-text.js';
import type { HistoryStore, RecordStore } from '../storage/roles.js';
import type { ExportedRecord, ExportedVersion, ExportRange, VersionCursor } from '../storage/store.js';
import type { Writable } from 'node:stream';
import { CliError } from './cli-error.js';
import { dateOption } from './date-option.js';
import { exportStreams } from './stream-export.js';
import { openDatabaseOption, type DatabaseOptions } from './database-options.js';

/** The options of `callrecords export`. */
export interface ExportOptions extends DatabaseOptions {
  from?: string;
  to?: string;
  /** Every stored version with its receive time, not only the current one (a backup: docs/operations.md). */
  allVersions?: boolean;
  /** The per-stream analytics table instead of the records (stream-export.ts). */
  streams?: boolean;
  /** With `streams`: csv or parquet. */
  format?: string;
}

const EXPORT_PAGE = 500;

/**
 * Writes the current version of every record whose startDateTime is in [--from, --to) to stdout, one Graph-shaped
 * JSON object per line, ordered by startDateTime then id; with `allVersions`, every stored version of those records
 * instead, each record's oldest receive first, each annotated with its receive time. Importing the output into an
 * empty database and exporting again (the same way) gives the same bytes. A record its source cut short keeps the
 * source's next links (`sessions@odata.nextLink`), so an import of the output knows it is partial (docs/api.md,
 * "Version rules").
 */
export async function exportCommand(opts: ExportOptions, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const range = { fromKey: dateOption(opts.from, '--from'), toKey: dateOption(opts.to, '--to') };
  if (opts.streams === true) return streamsExport(opts, range, out);
  if (opts.format !== undefined && opts.format !== 'csv' && opts.format !== 'ndjson') {
    throw new CliError('--format applies to --streams only (records are exported as NDJSON)');
  }
  const database = await openDatabaseOption(opts, { mustExist: true });
  // A reader that stops early (`export | head`) is not an error: stop writing quietly.
  let closed = false;
  out.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    closed = true;
  });
  try {
    for await (const chunk of opts.allVersions
      ? versionPages(database.history, range)
      : recordPages(database.records, range)) {
      if (!out.write(chunk)) await drained(out);
      if (closed) break;
    }
  } finally {
    await database.close();
  }
  return 0;
}

/** `export --streams`: the per-stream table as CSV or Parquet (docs/analytics.md, "Export"). */
async function streamsExport(opts: ExportOptions, range: ExportRange, out: NodeJS.WritableStream): Promise<number> {
  if (opts.allVersions === true) throw new CliError('--streams and --all-versions cannot be combined');
  const database = await openDatabaseOption(opts, { mustExist: true });
  try {
    await exportStreams(database.streams, range, opts.format ?? 'csv', out as Writable);
  } finally {
    await database.close();
  }
  return 0;
}

/** The current version of each record, a page of lines at a time. */
async function* recordPages(store: RecordStore, range: ExportRange): AsyncGenerator<string> {
  let after: { startKey: string; id: string } | undefined;
  for (;;) {
    const page = await store.exportRecords(range, after, EXPORT_PAGE);
    if (page.length === 0) return;
    yield page.map((r) => `${exportedJson(r)}\n`).join('');
    const last = page.at(-1)!;
    after = { startKey: last.startKey, id: last.id };
  }
}

/** Every stored version of each record with its receive time, a page of lines at a time. */
async function* versionPages(store: HistoryStore, range: ExportRange): AsyncGenerator<string> {
  let after: VersionCursor | undefined;
  for (;;) {
    const page = await store.exportVersions(range, after, EXPORT_PAGE);
    if (page.length === 0) return;
    yield page.map((v) => `${annotateReceived(exportedJson(v), v.receivedAt)}\n`).join('');
    after = page.at(-1)!;
  }
}

/** A record's (or version's) JSON with the next links its source cut it short with, if any. */
function exportedJson(record: ExportedRecord | ExportedVersion): string {
  if (record.nextLinks === undefined) return record.rawJson;
  const links = Object.entries(JSON.parse(record.nextLinks) as Record<string, string>);
  return appendMembers(
    record.rawJson,
    links.map(([name, link]) => [name, JSON.stringify(link)]),
  );
}

// Resolves when the stream can take more, or when it failed (the 'error' listener above decides what that means).
function drained(out: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('error', done);
      resolve();
    };
    out.on('drain', done);
    out.on('error', done);
  });
}
