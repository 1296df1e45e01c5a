import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import type { LogKindName } from '../call-logs/log-kinds.js';
import { CallLogFactory } from './call-logs.js';
import { generateRecords, type GenerateOptions } from './generate-records.js';
import { DAY } from './graph-values.js';

/** The files `generate --logs <dir>` writes, one NDJSON file per log kind. */
export const LOG_FILES: Readonly<Record<LogKindName, string>> = {
  pstnCalls: 'pstnCalls.ndjson',
  directRoutingCalls: 'directRoutingCalls.ndjson',
  smsLog: 'smsLog.ndjson',
  pstnBlockedUsersLog: 'pstnBlockedUsersLog.ndjson',
  pstnOnlineMeetingDialoutReport: 'pstnOnlineMeetingDialoutReport.ndjson',
};

/** What `writeGeneratedLogs` wrote: rows per kind, and the period the dial-out report covers. */
export interface WrittenLogs {
  rows: Record<LogKindName, number>;
  period: { from: string; to: string };
}

/**
 * Writes the telephony rows of the calls `options` generates into `dir` (created if needed), one NDJSON file per
 * kind (LOG_FILES). The records are generated again, call by call, exactly as `generateRecords` makes them, so the
 * rows match the records of the same options; a call emitted in several versions brings its rows once. The dial-out
 * report covers the whole window: import it with `--period-from` and `--period-to` set to `period`.
 */
export async function writeGeneratedLogs(options: GenerateOptions, dir: string): Promise<WrittenLogs> {
  mkdirSync(dir, { recursive: true });
  const kinds = Object.keys(LOG_FILES) as LogKindName[];
  const streams = Object.fromEntries(
    kinds.map((k) => [k, createWriteStream(join(dir, LOG_FILES[k]), { highWaterMark: 1 << 20 })]),
  ) as Record<LogKindName, WriteStream>;
  const rows = Object.fromEntries(kinds.map((k) => [k, 0])) as Record<LogKindName, number>;
  const write = async (kind: LogKindName, row: unknown) => {
    rows[kind]++;
    if (!streams[kind].write(`${JSON.stringify(row)}\n`))
      await new Promise<void>((r) => streams[kind].once('drain', () => r()));
  };
  const factory = new CallLogFactory(options.seed);
  let lastId: unknown;
  for (const record of generateRecords(options)) {
    if (record.id === lastId) continue;
    lastId = record.id;
    for (const { kind, row } of factory.rowsOf(record)) await write(kind, row);
  }
  for (const row of factory.dialoutReport()) await write('pstnOnlineMeetingDialoutReport', row);
  for (const stream of Object.values(streams)) stream.end();
  await Promise.all(Object.values(streams).map((s) => finished(s)));
  const from = options.from.toISOString();
  return { rows, period: { from, to: new Date(options.from.getTime() + options.days * DAY).toISOString() } };
}
