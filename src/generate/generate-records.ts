/**
 * The programmatic API of the generator: a stream of realistic, valid Graph callRecord objects from a seed, and an
 * NDJSON writer over it. Same options → the same records, byte for byte; records are built one call at a time, so
 * memory stays flat however many are asked for.
 */
import { CallFactory } from './call-records.js';
import { CallSchedule } from './call-schedule.js';
import { createDirectory } from './directory.js';
import { DAY } from './graph-values.js';
import { versionsOf } from './record-versions.js';
import { seededRandom } from './seeded-random.js';

/** What to generate. */
export interface GenerateOptions {
  /** Distinct calls; with `versions` each may yield 1–3 records. */
  calls: number;
  /** The seed: the same seed and options give the same output. Only its low 32 bits count. */
  seed: number;
  /** The start of the window the calls start in. */
  from: Date;
  /** The length of that window in days. */
  days: number;
  /** Emit every version of each call (first incomplete, last complete) instead of only the last. */
  versions: boolean;
  /**
   * Every call of one size instead of the drawn mix: 1 makes each a call between two employees (one session), more
   * makes each a meeting of exactly that many sessions. Default: drawn.
   */
  sessions?: number;
  /** False leaves every segment's `media` empty: records of a few KB instead of about 41 KB, still valid. */
  media?: boolean;
}

// The directory and the calls draw from two sources, so the people of a seed do not depend on the options.
const CALLS_STREAM = 0x5bd1e995;

/**
 * The records of `options.calls` calls, in order of start time, each a fresh object the caller may keep or change.
 * Options out of range throw a RangeError at once, before the first record.
 */
export function generateRecords(options: GenerateOptions): Generator<Record<string, unknown>> {
  checkOptions(options);
  return records(options);
}

function* records(options: GenerateOptions): Generator<Record<string, unknown>> {
  const directory = createDirectory(seededRandom(options.seed));
  const rng = seededRandom((options.seed ^ CALLS_STREAM) >>> 0);
  const factory = new CallFactory(rng, directory, { sessions: options.sessions, media: options.media ?? true });
  const schedule = new CallSchedule(options.from.getTime(), options.days, options.calls);
  for (let i = 0; i < options.calls; i++) {
    const call = factory.call(schedule.startOf(i, rng));
    if (options.versions) yield* versionsOf(call);
    else yield call.record;
  }
}

/** Bytes gathered before each write: few enough writes to be fast, small enough for flat memory. */
const CHUNK = 1 << 16;

/**
 * Writes the generated records to `out` as NDJSON, one record per line, waiting for `drain` whenever the stream asks
 * to, and resolves to the number of lines written. It does not end `out`; it rejects if `out` fails.
 */
export async function writeGeneratedNdjson(options: GenerateOptions, out: NodeJS.WritableStream): Promise<number> {
  let failure: Error | undefined;
  const onError = (error: Error) => (failure = error);
  out.on('error', onError);
  let lines = 0;
  let chunk = '';
  const flush = async () => {
    const ok = out.write(chunk);
    chunk = '';
    if (!ok && failure === undefined) await drained(out);
    if (failure !== undefined) throw failure;
  };
  try {
    for (const record of generateRecords(options)) {
      chunk += `${JSON.stringify(record)}\n`;
      lines++;
      if (chunk.length >= CHUNK) await flush();
    }
    if (chunk.length > 0) await flush();
  } finally {
    out.off('error', onError);
  }
  return lines;
}

// Resolves on 'drain', rejects on 'error', and leaves no listener behind either way.
function drained(out: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve, reject) => {
    const onDrain = () => {
      out.off('error', onError);
      resolve();
    };
    const onError = (error: Error) => {
      out.off('drain', onDrain);
      reject(error);
    };
    out.once('drain', onDrain);
    out.once('error', onError);
  });
}

function checkOptions(o: GenerateOptions): void {
  if (!Number.isSafeInteger(o.calls) || o.calls < 0)
    throw new RangeError(`calls must be a whole number, not ${o.calls}`);
  if (!Number.isSafeInteger(o.seed)) throw new RangeError(`seed must be an integer, not ${o.seed}`);
  if (!Number.isSafeInteger(o.days) || o.days < 1)
    throw new RangeError(`days must be a whole number ≥ 1, not ${o.days}`);
  if (o.sessions !== undefined && (!Number.isSafeInteger(o.sessions) || o.sessions < 1))
    throw new RangeError(`sessions must be a whole number ≥ 1, not ${o.sessions}`);
  if (Number.isNaN(o.from.getTime())) throw new RangeError('from is not a valid date');
  if (o.from.getTime() + o.days * DAY > Date.UTC(9999, 0, 1))
    throw new RangeError('the window ends after the year 9999');
}
