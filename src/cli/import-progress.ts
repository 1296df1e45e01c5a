import { SingleBar } from 'cli-progress';

/** What `callrecords import` shows while it runs. */
export interface ImportProgress {
  /** Shows the records written so far and the bytes read (of the file as stored: compressed for a .gz). */
  update(records: number, bytes: number): void;
  stop(): void;
}

const MB = 1_000_000;

/**
 * The import's progress on stderr: a bar with the MB read of the file's size and the records written, or, reading
 * stdin (size unknown), the MB read and the records. Shown on a terminal, or anywhere when `force` is true (then a
 * line every 2 s); never when `force` is false (`--no-progress`).
 */
export function importProgress(options: {
  force: boolean | undefined;
  stream: NodeJS.WriteStream;
  totalBytes: number | undefined;
}): ImportProgress | undefined {
  const { force, stream, totalBytes } = options;
  if (force === false || (force === undefined && !stream.isTTY)) return undefined;
  const format =
    totalBytes === undefined
      ? '{mb} MB read | {records} records | {duration_formatted}'
      : '[{bar}] {percentage}% | {mb} of {totalMb} MB | {records} records | {duration_formatted}';
  const bar = new SingleBar({
    format,
    stream,
    hideCursor: true,
    noTTYOutput: force === true,
    barCompleteChar: '=',
    barIncompleteChar: ' ',
  });
  const payload = (records: number, bytes: number) => ({
    records: records.toLocaleString('en-US'),
    mb: (bytes / MB).toFixed(1),
    totalMb: ((totalBytes ?? 0) / MB).toFixed(1),
  });
  bar.start(totalBytes ?? 0, 0, payload(0, 0));
  return {
    update: (records, bytes) => bar.update(bytes, payload(records, bytes)),
    stop: () => bar.stop(),
  };
}
