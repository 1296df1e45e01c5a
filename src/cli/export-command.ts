import { annotateReceived } from '../ingest/received-annotation.js';
import { openStore } from '../storage/open-store.js';
import type { CallRecordStore, ExportRange, VersionCursor } from '../storage/store.js';
import { dateOption } from './date-option.js';

/** The options of `callrecords export`. */
export interface ExportOptions {
  db: string;
  from?: string;
  to?: string;
  /** Every stored version with its receive time, not only the current one (a backup: docs/operations.md). */
  allVersions?: boolean;
}

const EXPORT_PAGE = 500;

/**
 * Writes the current version of every record whose startDateTime is in [--from, --to) to stdout, one Graph-shaped
 * JSON object per line, ordered by startDateTime then id; with `allVersions`, every stored version of those records
 * instead, each record's oldest receive first, each annotated with its receive time. Importing the output into an
 * empty database and exporting again (the same way) gives the same bytes.
 */
export async function exportCommand(opts: ExportOptions, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const range = { fromKey: dateOption(opts.from, '--from'), toKey: dateOption(opts.to, '--to') };
  const store = await openStore(opts.db);
  // A reader that stops early (`export | head`) is not an error: stop writing quietly.
  let closed = false;
  out.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    closed = true;
  });
  try {
    for await (const chunk of opts.allVersions ? versionPages(store, range) : recordPages(store, range)) {
      if (!out.write(chunk)) await drained(out);
      if (closed) break;
    }
  } finally {
    await store.close();
  }
  return 0;
}

/** The current version of each record, a page of lines at a time. */
async function* recordPages(store: CallRecordStore, range: ExportRange): AsyncGenerator<string> {
  let after: { startKey: string; id: string } | undefined;
  for (;;) {
    const page = await store.exportRecords(range, after, EXPORT_PAGE);
    if (page.length === 0) return;
    yield page.map((r) => `${r.rawJson}\n`).join('');
    const last = page.at(-1)!;
    after = { startKey: last.startKey, id: last.id };
  }
}

/** Every stored version of each record with its receive time, a page of lines at a time. */
async function* versionPages(store: CallRecordStore, range: ExportRange): AsyncGenerator<string> {
  let after: VersionCursor | undefined;
  for (;;) {
    const page = await store.exportVersions(range, after, EXPORT_PAGE);
    if (page.length === 0) return;
    yield page.map((v) => `${annotateReceived(v.rawJson, v.receivedAt)}\n`).join('');
    after = page.at(-1)!;
  }
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
