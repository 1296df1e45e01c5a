import { createReadStream, statSync } from 'node:fs';
import { systemClock } from '../clock.js';
import { BatchIngest } from '../ingest/batch-ingest.js';
import { gunzipIfCompressed } from '../ingest/gunzip-source.js';
import { IngestService, type IngestItem, type ItemOutcome } from '../ingest/ingest-service.js';
import { parseItems } from '../ingest/parse-items.js';
import { readRecordBatches } from '../ingest/record-source.js';
import type { IngestSummary } from '../ingest/summary.js';
import { openStore } from '../storage/open-store.js';
import { CliError } from './cli-error.js';
import { databaseUrl, expandHome } from './config-values.js';
import { importProgress } from './import-progress.js';

/** The options of `callrecords import`. */
export interface ImportOptions {
  db: string;
  /** true: show the progress anywhere (`--progress`); false: never (`--no-progress`); unset: on a terminal. */
  progress?: boolean;
}

/**
 * Streams records from a file (or stdin; gzip-compressed or not) into the store in batches, with the progress on a
 * terminal, reports every rejected record with its line number on stderr, prints a summary on stdout and resolves to
 * 1 if any record was rejected, else 0. Importing the same file again reports every record `unchanged`.
 */
export async function importCommand(
  file: string,
  opts: ImportOptions,
  io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WriteStream } = process,
): Promise<number> {
  const path = file === '-' ? '-' : expandHome(file, 'import');
  const size = path === '-' ? undefined : fileSize(path);
  const db = databaseUrl(opts.db);
  const store = await openStore(db);
  const input = path === '-' ? process.stdin : createReadStream(path, { highWaterMark: 1 << 20 });
  const bar = importProgress({ force: opts.progress, stream: io.stderr, totalBytes: size });
  const report = (outcome: ItemOutcome) => {
    const where = outcome.line === undefined ? `record ${outcome.index + 1}` : `line ${outcome.line}`;
    const id = outcome.id === undefined ? '' : ` (id ${outcome.id})`;
    io.stderr.write(
      `${bar !== undefined && io.stderr.isTTY ? '\r\x1b[K' : ''}${where}${id}: rejected: ${outcome.reason ?? ''}\n`,
    );
  };

  const started = performance.now();
  let bytes = 0;
  let records = 0;
  const batches = new BatchIngest(new IngestService(store, systemClock), (outcomes) => {
    outcomes.filter((o) => o.status === 'rejected').forEach(report);
    records += outcomes.length;
    bar?.update(records, bytes);
  });
  try {
    // Items arrive grouped by input chunk: one await per chunk, not per record.
    for await (const chunk of readRecordBatches(gunzipIfCompressed(countBytes(input, (n) => (bytes += n))))) {
      const items: IngestItem[] = [];
      let text = 0;
      for (const item of chunk) {
        if (item.kind === 'error') items.push({ line: item.line, error: item.message });
        else {
          items.push(...parseItems(item.text, item.line));
          text += item.text.length;
        }
      }
      await batches.add(items, text);
    }
    await batches.finish();
    await store.optimize();
  } catch (error) {
    // zlib's own words ("unexpected end of file") do not say which input or what it was read as.
    const code = (error as NodeJS.ErrnoException).code;
    if (code?.startsWith('Z_') === true) {
      throw new CliError(`${file}: the gzip data is damaged: ${(error as Error).message}`, 1);
    }
    throw error;
  } finally {
    bar?.stop();
    await batches.settle();
    await store.close();
  }
  io.stdout.write(summaryText(file, batches.summary, (performance.now() - started) / 1000));
  return batches.summary.rejected > 0 ? 1 : 0;
}

function summaryText(file: string, s: IngestSummary, seconds: number): string {
  const rate = seconds > 0 ? Math.round(s.received / seconds) : s.received;
  return (
    `${file === '-' ? 'stdin' : file}: ${s.received} records in ${seconds.toFixed(1)} s (${rate} records/s)\n` +
    `  inserted ${s.inserted}, updated ${s.updated}, unchanged ${s.unchanged}, stale ${s.stale}, rejected ${s.rejected}\n`
  );
}

async function* countBytes(
  input: AsyncIterable<Buffer | string>,
  add: (n: number) => void,
): AsyncGenerator<Buffer | string> {
  for await (const chunk of input) {
    add(chunk.length);
    yield chunk;
  }
}

function fileSize(file: string): number {
  let stats;
  try {
    stats = statSync(file);
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`);
  }
  if (stats.isDirectory()) {
    throw new CliError(
      `${file} is a directory: give a file (NDJSON or JSON, optionally gzip-compressed) or - for stdin`,
    );
  }
  return stats.size;
}
