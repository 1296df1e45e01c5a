/**
 * The memory benchmark: the peak resident set size of `callrecords import` of a large NDJSON file of realistic
 * records into an empty database. The import streams its input and writes in batches, so the peak should not grow
 * with the file; this case holds it to a number.
 */
import { join } from 'node:path';
import { benchNdjson, type BenchFile } from './bench-data.js';
import { importOnce } from './import.js';

/** The figures of the memory benchmark. */
export interface MemoryBenchResult {
  file: BenchFile;
  generateSeconds: number;
  peakRssBytes: number;
  /** `time`: GNU time's maxrss; `proc`: VmHWM polled from /proc. */
  source: 'time' | 'proc';
  seconds: number;
}

/** Imports `records` realistic records (43 KB each on average) once and reports the child's peak RSS. */
export async function runMemoryBench(options: { records: number; workDir: string }): Promise<MemoryBenchResult> {
  const { file, seconds: generateSeconds } = await benchNdjson({ records: options.records, shape: 'realistic' });
  const run = await importOnce(file, join(options.workDir, 'memory.db'));
  return { file, generateSeconds, peakRssBytes: run.peakRssBytes, source: run.peakRssSource, seconds: run.seconds };
}
