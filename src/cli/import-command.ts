import { createReadStream, statSync } from 'node:fs';
import { CallLogService, logKindFor, reportPeriodFor } from '../call-logs/call-log-service.js';
import type { PreparedLogBatch } from '../call-logs/call-log-ingest.js';
import type { LogKind } from '../call-logs/log-kinds.js';
import type { ReportPeriod } from '../call-logs/log-row-write.js';
import { systemClock } from '../clock.js';
import { BatchIngest, type BatchService } from '../ingest/batch-ingest.js';
import { gunzipIfCompressed } from '../ingest/gunzip-source.js';
import { privacyHooks } from '../privacy/ingest-hooks.js';
import { logPrivacyHooks } from '../privacy/log-ingest-hooks.js';
import { wholeNumber } from './whole-number.js';
import { IngestService, type IngestItem, type ItemOutcome, type PreparedBatch } from '../ingest/ingest-service.js';
import { parseItems } from '../ingest/parse-items.js';
import { readRecordBatches } from '../ingest/record-source.js';
import { takeReceivedAt } from '../ingest/received-annotation.js';
import type { IngestSummary } from '../ingest/summary.js';
import { CliError } from './cli-error.js';
import { expandHome } from './config-values.js';
import { importProgress } from './import-progress.js';
import { EXIT_TRY_AGAIN, isTemporary, openDatabaseOption, type DatabaseOptions } from './database-options.js';

/** The options of `callrecords import`. */
export interface ImportOptions extends DatabaseOptions {
  /** true: show the progress anywhere (`--progress`); false: never (`--no-progress`); unset: on a terminal. */
  progress?: boolean;
  /** `--euii-days`: records older than this are stored without their EUII (src/privacy/). */
  euiiDays?: string;
  /** `--kind`: import telephony log rows of this kind (docs/call-logs.md) instead of call records. */
  kind?: string;
  /** `--period-from`, `--period-to`: the period a dial-out report file covers. */
  periodFrom?: string;
  periodTo?: string;
}

/**
 * Streams records from a file (or stdin; gzip-compressed or not) into the store in batches, with the progress on a
 * terminal, reports every rejected record with its line number on stderr, and each record whose current version is
 * partial (docs/api.md, "Version rules") with what it lacks; prints a summary on stdout and resolves to 1 if any
 * record was rejected, else 0 (a partial record is stored, so it is not a failure). Importing the same file again
 * reports every record `unchanged`.
 *
 * If it must stop before the end (the database stayed locked by another process, or failed), it still prints the
 * summary of what it stored, says on stderr up to which line the records are stored, and resolves to 75 (try again
 * later) or 1: running the same import again completes it.
 */
export async function importCommand(
  file: string,
  opts: ImportOptions,
  io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WriteStream } = process,
): Promise<number> {
  const path = file === '-' ? '-' : expandHome(file, 'import');
  const logKind = opts.kind === undefined ? undefined : cliLogKind(opts);
  const size = path === '-' ? undefined : fileSize(path);
  const euiiDays = opts.euiiDays === undefined ? undefined : wholeNumber(opts.euiiDays, '--euii-days', 1);
  const database = await openDatabaseOption(opts);
  // BatchIngest calls prepare and commit itself: the list of erased people is read once, here.
  const privacy = privacyHooks(database, systemClock, euiiDays);
  await privacy.beforeBatch();
  const logHooks = logPrivacyHooks(database, systemClock, euiiDays);
  if (logKind !== undefined) await logHooks.beforeBatch();
  const input = path === '-' ? process.stdin : createReadStream(path, { highWaterMark: 1 << 20 });
  const bar = importProgress({ force: opts.progress, stream: io.stderr, totalBytes: size });
  const report = (outcome: ItemOutcome, what: string) => {
    const where = outcome.line === undefined ? `record ${outcome.index + 1}` : `line ${outcome.line}`;
    // An id is the sender's text: control characters (a NUL, an escape sequence) are shown escaped, not sent to the terminal.
    const id = outcome.id === undefined ? '' : ` (id ${outcome.id.replace(/\p{Cc}/gu, escapeControl)})`;
    io.stderr.write(`${bar !== undefined && io.stderr.isTTY ? '\r\x1b[K' : ''}${where}${id}: ${what}\n`);
  };

  const started = performance.now();
  let bytes = 0;
  let records = 0;
  const service: BatchService<PreparedBatch | PreparedLogBatch> =
    logKind === undefined
      ? new IngestService(database.records, systemClock, privacy)
      : new CallLogService(database.callLogs, systemClock, logHooks).ingestFor(logKind.kind, logKind.period);
  const batches = new BatchIngest(service, (outcomes) => {
    for (const o of outcomes) {
      if (o.status === 'rejected') report(o, `rejected: ${o.reason ?? ''}`);
      else if (o.partial !== undefined) report(o, `partial: ${o.partial}`);
    }
    records += outcomes.length;
    bar?.update(records, bytes);
  });
  let stopped: unknown;
  try {
    // Items arrive grouped by input chunk: one await per chunk, not per record.
    for await (const chunk of readRecordBatches(gunzipIfCompressed(countBytes(input, (n) => (bytes += n))))) {
      const items: IngestItem[] = [];
      let text = 0;
      for (const item of chunk) {
        if (item.kind === 'error') items.push({ line: item.line, error: item.message });
        else {
          // Not spread into push(): a Graph page of a million items would overflow the call stack. A backup made by
          // `export --all-versions` gives each version its own receive time.
          for (const parsed of parseItems(item.text, item.line)) items.push(logKind ? parsed : takeReceivedAt(parsed));
          text += item.text.length;
        }
      }
      await batches.add(items, text);
    }
    await batches.finish();
    await database.upkeep.optimize();
  } catch (error) {
    // zlib's own words ("unexpected end of file") do not say which input or what it was read as.
    const code = (error as NodeJS.ErrnoException).code;
    // Running it again would not help: it is not a stop part-way but a broken input.
    if (code?.startsWith('Z_') === true) {
      throw new CliError(`${file}: the gzip data is damaged: ${(error as Error).message}`, 1);
    }
    stopped = error;
  } finally {
    bar?.stop();
    await batches.settle();
    await database.close();
  }
  io.stdout.write(summaryText(file, batches.summary, (performance.now() - started) / 1000, logKind?.kind.name));
  if (stopped !== undefined) {
    io.stderr.write(stoppedText(file, batches, stopped));
    return isTemporary(stopped) ? EXIT_TRY_AGAIN : 1;
  }
  return batches.summary.rejected > 0 ? 1 : 0;
}

/** The log kind and (for dial-out reports) the period of `import --kind`, or a CliError naming what is wrong. */
function cliLogKind(opts: ImportOptions): { kind: LogKind; period: ReportPeriod | undefined } {
  try {
    const kind = logKindFor(opts.kind!);
    return { kind, period: reportPeriodFor(kind, opts.periodFrom, opts.periodTo) };
  } catch (error) {
    const message = (error as Error).message.replace('fromDateTime and toDateTime', '--period-from and --period-to');
    throw new CliError(`--kind: ${message}`);
  }
}

/** What an import that stopped early has stored, and how to finish it. */
function stoppedText(
  file: string,
  batches: Pick<BatchIngest<unknown>, 'summary' | 'lastWrittenLine'>,
  error: unknown,
): string {
  const stored = batches.summary.received;
  const where =
    stored === 0
      ? 'nothing was imported'
      : `the first ${stored} records` +
        (batches.lastWrittenLine === undefined ? '' : ` (through line ${batches.lastWrittenLine})`) +
        ' are stored, nothing after them';
  const again = file === '-' ? 'send the same input again' : 'run the same import again';
  return (
    `callrecords: import stopped before the end: ${(error as Error).message}\n` +
    `  ${where}; ${again} to finish (stored records come back unchanged)\n`
  );
}

function summaryText(file: string, s: IngestSummary, seconds: number, kind?: string): string {
  const what = kind === undefined ? 'records' : `${kind} rows`;
  const rate = seconds > 0 ? Math.round(s.received / seconds) : s.received;
  return (
    `${file === '-' ? 'stdin' : file}: ${s.received} ${what} in ${seconds.toFixed(1)} s (${rate} ${kind === undefined ? 'records' : 'rows'}/s)\n` +
    `  inserted ${s.inserted}, updated ${s.updated}, unchanged ${s.unchanged}, stale ${s.stale}, rejected ${s.rejected}` +
    `, partial ${s.partial}\n`
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

function escapeControl(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}
