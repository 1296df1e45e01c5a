import { createReadStream, statSync } from 'node:fs';
import { SingleBar, Presets } from 'cli-progress';
import { systemClock } from '../clock.js';
import { BatchIngest } from '../ingest/batch-ingest.js';
import { IngestService, type IngestItem, type ItemOutcome } from '../ingest/ingest-service.js';
import { parseItems } from '../ingest/parse-items.js';
import { readRecordBatches } from '../ingest/record-source.js';
import { takeReceivedAt } from '../ingest/received-annotation.js';
import type { IngestSummary } from '../ingest/summary.js';
import { openStore } from '../storage/open-store.js';
import { CliError } from './cli-error.js';

/** The options of `callrecords import`. */
export interface ImportOptions {
  db: string;
  progress: boolean;
}

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
  const started = performance.now();
  let bytes = 0;
  const batches = new BatchIngest(new IngestService(store, systemClock), (outcomes) => {
    outcomes.filter((o) => o.status === 'rejected').forEach(report);
    bar?.update(bytes);
  });
  bar?.start(size ?? 0, 0);
  try {
    // Items arrive grouped by input chunk: one await per chunk, not per record.
    for await (const chunk of readRecordBatches(countBytes(input, (n) => (bytes += n)))) {
      const items: IngestItem[] = [];
      let text = 0;
      for (const item of chunk) {
        if (item.kind === 'error') items.push({ line: item.line, error: item.message });
        else {
          // A backup made by `export --all-versions` gives each version its own receive time.
          items.push(...parseItems(item.text, item.line).map(takeReceivedAt));
          text += item.text.length;
        }
      }
      await batches.add(items, text);
    }
    await batches.finish();
    await store.optimize();
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
  try {
    return statSync(file).size;
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`);
  }
}
