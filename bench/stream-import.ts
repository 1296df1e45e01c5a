/**
 * `node --import tsx bench/stream-import.ts`: what the per-stream table (issue 12) costs an import. The same
 * generated records are imported in this process — parse, validate, cut (toRecordWrite), store.write in batches of
 * 500 — into a fresh database with the stream table derived at every write, and with its derivation switched off
 * (the store's `derivation` replaced by one with `off`, so nothing else differs), alternately, best of the runs.
 * Target: with ÷ without ≥ 0.75. SQLite (a file) and PostgreSQL when reachable. Prints a Markdown section and writes
 * it between the stream-import markers of bench/RESULTS.md.
 *
 * STREAM_BENCH_RECORDS (default 3000) and STREAM_BENCH_RUNS (default 3) change the size.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_DERIVATION, type StreamDerivation } from '../src/analytics/stream-rows.js';
import { validateCallRecord } from '../src/domain/validate.js';
import { generateRecords } from '../src/generate/index.js';
import { toRecordWrite } from '../src/service/record-fragments.js';
import { databaseOf } from '../src/storage/open-database.js';
import { PostgresStore } from '../src/storage/postgres/postgres-store.js';
import type { CallRecordDatabase } from '../src/storage/roles.js';
import { openSqliteDatabase } from '../src/storage/sqlite/sqlite-database.js';
import type { RecordWrite } from '../src/storage/store.js';
import { BENCH_POSTGRES_URL, dropSchema, postgresReachable } from './postgres-import.js';

const RECORDS = Number(process.env.STREAM_BENCH_RECORDS ?? 3000);
const RUNS = Number(process.env.STREAM_BENCH_RUNS ?? 3);
const BATCH = 500;
const OFF: StreamDerivation = { ...DEFAULT_DERIVATION, off: true };
const RESULTS = join(import.meta.dirname, 'RESULTS.md');
const START = '<!-- stream-import -->';
const END = '<!-- /stream-import -->';

interface Backend {
  name: string;
  open(run: string): Promise<{ db: CallRecordDatabase; drop(): Promise<void> }>;
}

const sqlite: Backend = {
  name: 'SQLite (file)',
  async open() {
    const dir = mkdtempSync(join(tmpdir(), 'callrecords-stream-bench-'));
    const db = await openSqliteDatabase(join(dir, 'bench.db'));
    return { db, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  },
};

const postgres: Backend = {
  name: 'PostgreSQL',
  async open(run) {
    const schema = `cr_stream_bench_${process.pid}_${run}`;
    const db = databaseOf(await PostgresStore.open(`${BENCH_POSTGRES_URL}?schema=${schema}`));
    return { db, drop: () => dropSchema(schema) };
  },
};

/** Imports the lines into a fresh database, with or without the stream table; seconds. */
async function importOnce(backend: Backend, lines: readonly string[], withStreams: boolean, run: string) {
  const { db, drop } = await backend.open(run);
  if (!withStreams) {
    const streams = db.streams as unknown as { derivation: () => StreamDerivation | Promise<StreamDerivation> };
    streams.derivation = () => OFF;
  }
  try {
    const started = performance.now();
    let batch: RecordWrite[] = [];
    for (const line of lines) {
      const result = validateCallRecord(JSON.parse(line) as Record<string, unknown>);
      if (!result.ok) throw new Error('a generated record is invalid');
      batch.push(toRecordWrite(result.record, result.hasEvolvableMembers));
      if (batch.length === BATCH) {
        await db.records.write(batch, '2026-01-01T00:00:00.000Z');
        batch = [];
      }
    }
    if (batch.length > 0) await db.records.write(batch, '2026-01-01T00:00:00.000Z');
    return (performance.now() - started) / 1000;
  } finally {
    await db.close();
    await drop();
  }
}

async function main(): Promise<void> {
  const from = new Date('2026-01-05T00:00:00Z');
  const lines = [...generateRecords({ calls: RECORDS, seed: 20240301, from, days: 30, versions: false })].map((r) =>
    JSON.stringify(r),
  );
  const streams = lines.reduce((n, l) => n + (l.match(/"streamDirection"/g)?.length ?? 0), 0);
  const load = loadavg()[0]!.toFixed(2);
  const backends = (await postgresReachable()) ? [sqlite, postgres] : [sqlite];
  const rows: string[] = [];
  for (const backend of backends) {
    const times = { with: [] as number[], without: [] as number[] };
    for (let run = 0; run < RUNS; run++) {
      times.without.push(await importOnce(backend, lines, false, `${run}a`));
      times.with.push(await importOnce(backend, lines, true, `${run}b`));
    }
    const best = (t: number[]) => Math.min(...t);
    const rate = (t: number[]) => Math.round(RECORDS / best(t)).toLocaleString('en-US');
    const ratio = best(times.without) / best(times.with);
    rows.push(
      `| ${backend.name} | ${rate(times.with)} rec/s | ${rate(times.without)} rec/s | ${ratio.toFixed(2)} | ≥ 0.75 ${
        ratio >= 0.75 ? 'met' : '**missed**'
      } | ${times.with.map((t) => t.toFixed(2)).join(', ')} / ${times.without.map((t) => t.toFixed(2)).join(', ')} |`,
    );
  }
  const section = [
    START,
    '## Import with the stream table against import without it',
    '',
    `- Command: \`node --import tsx bench/stream-import.ts\` (${new Date().toISOString()}; ${cpus().length} cores; ` +
      `1-minute load average ${load} before, ${loadavg()[0]!.toFixed(2)} after)`,
    `- ${RECORDS.toLocaleString('en-US')} generated realistic records (${streams.toLocaleString('en-US')} streams), ` +
      `parsed, validated, cut and written in batches of ${BATCH} in one process; best of ${RUNS}, alternating.`,
    '',
    '| Store | with stream table | without | ratio | target | seconds with / without |',
    '| ----- | ----------------- | ------- | ----- | ------ | ---------------------- |',
    ...rows,
    END,
  ].join('\n');
  process.stdout.write(`${section}\n`);
  const current = readFileSync(RESULTS, 'utf8');
  const start = current.indexOf(START);
  const next =
    start === -1
      ? `${current.trimEnd()}\n\n${section}\n`
      : `${current.slice(0, start)}${section}${current.slice(current.indexOf(END) + END.length)}`;
  writeFileSync(RESULTS, next);
}

await main();
