import { createWriteStream, writeFileSync } from 'node:fs';
import { generatedBuildingFile } from '../generate/building-file.js';
import { finished } from 'node:stream/promises';
import { writeGeneratedNdjson, type GenerateOptions } from '../generate/index.js';
import { CliError } from './cli-error.js';
import { expandHome } from './config-values.js';
import { dateOption } from './date-option.js';
import { wholeNumber } from './whole-number.js';

/** The options of `callrecords generate`, as commander hands them over. */
export interface GenerateCommandOptions {
  calls: string;
  seed: string;
  from?: string;
  days: string;
  out?: string;
  versions?: boolean;
  buildings?: string;
}

const DAY_MS = 86_400_000;

/**
 * Writes generated call records as NDJSON to `--out` or stdout and resolves to 0. Without `--from` the window is the
 * `--days` days ending now, so only a run with `--from` is reproducible byte for byte.
 */
export async function generateCommand(
  opts: GenerateCommandOptions,
  io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream } = process,
  now: () => Date = () => new Date(),
): Promise<number> {
  const days = wholeNumber(opts.days, '--days', 1);
  const from =
    opts.from === undefined
      ? new Date(now().getTime() - days * DAY_MS)
      : new Date(fromKey(dateOption(opts.from, '--from')!));
  const options: GenerateOptions = {
    calls: wholeNumber(opts.calls, '--calls'),
    seed: seed(opts.seed),
    from,
    days,
    versions: opts.versions === true,
  };
  if (opts.buildings !== undefined) writeBuildings(expandHome(opts.buildings, '--buildings'), options.seed, io.stderr);
  if (opts.out === undefined) {
    try {
      await writeGeneratedNdjson(options, io.stdout);
    } catch (error) {
      // The reader went away (`generate | head`): that is how a pipe ends, not a failure.
      if ((error as NodeJS.ErrnoException).code !== 'EPIPE') throw error;
    }
    return 0;
  }
  const out = expandHome(opts.out, '--out');
  const started = performance.now();
  const file = createWriteStream(out, { highWaterMark: 1 << 20 });
  const opened = new Promise<void>((resolve, reject) => file.once('open', () => resolve()).once('error', reject));
  try {
    await opened;
  } catch (error) {
    throw new CliError(`cannot write ${out}: ${(error as Error).message}`);
  }
  const lines = await writeGeneratedNdjson(options, file);
  file.end();
  await finished(file);
  const seconds = (performance.now() - started) / 1000;
  io.stderr.write(`${out}: ${lines} records of ${options.calls} calls in ${seconds.toFixed(1)} s\n`);
  return 0;
}

// The building file of the seed's organisation (src/generate/building-file.ts), written before the records.
function writeBuildings(file: string, seed: number, stderr: NodeJS.WritableStream): void {
  const text = generatedBuildingFile(seed);
  try {
    writeFileSync(file, text);
  } catch (error) {
    throw new CliError(`cannot write ${file}: ${(error as Error).message}`);
  }
  stderr.write(`${file}: ${text.split('\n').length - 1} networks (CQD building file)\n`);
}

// A sortable UTC key (7 fractional digits) as a Date: milliseconds are all a window start needs.
function fromKey(key: string): string {
  return `${key.slice(0, 23)}Z`;
}

function seed(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 0xffffffff) {
    throw new CliError(`--seed must be a whole number from 0 to 4294967295, not '${value}'`);
  }
  return Number(value);
}
