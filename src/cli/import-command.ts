import { createReadStream, statSync } from 'node:fs';
import { SingleBar, Presets } from 'cli-progress';
import { systemClock } from '../clock.js';
import { IngestService, type IngestItem, type ItemOutcome } from '../ingest/ingest-service.js';
import { parseItems } from '../ingest/parse-items.js';
import { readRecordBatches } from '../ingest/record-source.js';

import { emptySummary, summarise, type IngestSummary } from '../ingest/summary.js';
import { openStore } from '../storage/open-store.js';
import { CliError } from './cli-error.js';

/** The options of `callrecords import`. */
export interface ImportOptions {
  db: string;
  progress: boolean;
}

/**
 * A batch is validated and written together once it holds this many records or BATCH_TEXT_BYTES of their text,
 * whichever comes first (it is flushed after the input chunk that fills it): large enough to amortise a transaction.
 */
const BATCH_SIZE = 500;

/**
 * The text bound of a batch. A batch's parsed records take several times their text in heap, and the heap's peak is
 * the import's peak: with batches of 500 records of 43 KB, importing 1 GB took 480 MB of RSS; with 4 MiB batches,
 * 240 MB at the same speed (bench/RESULTS.md, History).
 */
const BATCH_TEXT_BYTES = 4 * 2 ** 20;

/**
 * Streams records from a file (or stdin) into the store in batches, with a progress bar on a terminal, reports every
 * rejected record with its line number on stderr, prints a summary on stdout and resolves to 1 if any record was
 * rejected, else 0. Importing the same file again reports every record `unchanged`.
 */
export async function importCommand(
  file: string,
  opts: ImportOptions,
  io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WriteStream } = process,
): Promise<number> {
  const size = file === '-' ? undefined : fileSize(file);
  const input = file === '-' ? process.stdin : createReadStream(file, { highWaterMark: 1 << 20 });
  const bar =
    opts.progress && io.stderr.isTTY && size !== undefined
      ? new SingleBar({ hideCursor: true }, Presets.shades_classic)
      : undefined;
  const report = (outcome: ItemOutcome) => {
    const where = outcome.line === undefined ? `record ${outcome.index + 1}` : `line ${outcome.line}`;
    const id = outcome.id === undefined ? '' : ` (id ${outcome.id})`;
    io.stderr.write(`${bar === undefined ? '' : '\r\x1b[K'}${where}${id}: rejected: ${outcome.reason ?? ''}\n`);
  };

  const store = await openStore(opts.db);
  const ingest = new IngestService(store, systemClock);
  const summary = emptySummary();
  const started = performance.now();
  let bytes = 0;
  let batch: IngestItem[] = [];
  let batchText = 0;
  let queued = 0;
  // One batch is written while the next is read and validated (with PostgreSQL the write waits on the server);
  // batches reach the store one at a time, in file order.
  let writing: Promise<void> = Promise.resolve();
  const flush = async () => {
    const prepared = ingest.prepare(batch, queued);
    queued += batch.length;
    batch = [];
    batchText = 0;
    await writing;
    writing = ingest.commit(prepared).then((outcomes) => {
      summarise(outcomes, summary);
      outcomes.filter((o) => o.status === 'rejected').forEach(report);
      bar?.update(bytes);
    });
    // A failed write is raised where `writing` is next awaited, not as an unhandled rejection meanwhile.
    writing.catch(() => undefined);
  };
  bar?.start(size ?? 0, 0);
  try {
    // Items arrive grouped by input chunk: one await per chunk, not per record.
    for await (const items of readRecordBatches(countBytes(input, (n) => (bytes += n)))) {
      for (const item of items) {
        if (item.kind === 'error') batch.push({ line: item.line, error: item.message });
        else {
          batch.push(...parseItems(item.text, item.line));
          batchText += item.text.length;
        }
      }
      if (batch.length >= BATCH_SIZE || batchText >= BATCH_TEXT_BYTES) await flush();
    }
    if (batch.length > 0) await flush();
    await writing;
    await store.optimize();
  } finally {
    bar?.stop();
    await writing.catch(() => undefined);
    await store.close();
  }
  io.stdout.write(summaryText(file, summary, (performance.now() - started) / 1000));
  return summary.rejected > 0 ? 1 : 0;
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
  try {
    return statSync(file).size;
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`);
  }
}
