/**
 * Turns benchmark results into the printed table and bench/RESULTS.md: machine, command, figures with their ratio
 * to the floor, and what the CPU profiles say limits each path.
 */
import { cpus, platform, release, totalmem } from 'node:os';
import { shareOf, type ProfileSummary } from './cpu-profile.js';
import type { GetBenchResult } from './get-expand.js';
import type { ImportBenchResult } from './import.js';

/** Everything one `npm run bench` measured. */
export interface BenchResults {
  date: Date;
  command: string;
  commit: string;
  quick: boolean;
  importBench: ImportBenchResult;
  getBench: GetBenchResult;
  totalSeconds: number;
  /** The 1-minute load average before and after the run: other work on the machine skews the figures. */
  load: [number, number];
  /** src/ had changed since dist/ was built: the figures are for the older build. */
  staleDist: boolean;
}

/**
 * Named groups of profile entries, so the note can say what the time is spent on. Matched by function name against
 * the compiled src/ of this commit: a group that drops to 0% after a refactor means a function was renamed.
 */
interface CostGroup {
  label: string;
  pattern: RegExp;
  /** Match project functions by inclusive time instead of self time. */
  inclusive?: boolean;
}

const GC: CostGroup = { label: 'garbage collection', pattern: /^\(garbage collector\)$/ };

const IMPORT_COSTS: readonly CostGroup[] = [
  {
    label: 'SQLite statements and COMMIT',
    pattern: /^(sqliteTransaction|run|get|all) .*(better-sqlite3|storage\/sqlite)/,
  },
  { label: 'JSON.stringify of the record and its fragments', pattern: /^to(Record|Session|Participant)Write / },
  { label: 'JSON.parse', pattern: /^(parseItems |parse \(native\))/ },
  { label: 'validation (inclusive)', pattern: /^validateCallRecord /, inclusive: true },
  GC,
  { label: 'SHA-256 of each record', pattern: / node:internal\/crypto\// },
  { label: 'cutting the input into records', pattern: / dist\/ingest\/record-source/ },
];

const GET_COSTS: readonly CostGroup[] = [
  {
    label: 'socket writes',
    pattern: /^(writev \(native\)|writevGeneric |writeGeneric )/,
  },
  { label: 'Buffer.byteLength of the body string (Content-Length)', pattern: /^\(native\) in byteLength node:buffer/ },
  { label: 'SQLite reads (rows to Buffers)', pattern: /^(all|get) dist\/storage\// },
  { label: 'assembling the body (joining parts)', pattern: / dist\/service\/json-parts\.js/ },
  GC,
  { label: 'Fastify and its router', pattern: / (fastify|find-my-way|avvio)\// },
];

const HEADER = [
  'Case',
  'callrecords',
  'MB/s',
  'p50 / p99 ms',
  'Floor',
  'Floor MB/s',
  'Floor p50 / p99 ms',
  'Ratio',
] as const;

/** The one results table, as Markdown (it reads as plain text on a terminal too). */
export function resultsTable(r: BenchResults): string {
  const { importBench: im, getBench: get } = r;
  const rows: string[][] = [
    [
      `import ${int(im.file.records)} records (${mb(im.file.bytes)} MB NDJSON) into empty SQLite`,
      `${int(im.importRun.recordsPerSecond)} rec/s`,
      im.importRun.mbPerSecond.toFixed(1),
      '–',
      `parse-only ${int(im.parse.recordsPerSecond)} rec/s`,
      im.parse.mbPerSecond.toFixed(1),
      '–',
      im.ratio.toFixed(2),
    ],
    ...get.cases.map((c) => [
      `${c.name}, ${int(c.responseBytes / 1000)} KB`,
      `${int(c.service.requestsPerSecond)} req/s`,
      c.service.mbPerSecond.toFixed(1),
      `${c.service.p50} / ${c.service.p99}`,
      `node:http ${int(c.plain.requestsPerSecond)} req/s`,
      c.plain.mbPerSecond.toFixed(1),
      `${c.plain.p50} / ${c.plain.p99}`,
      c.ratio.toFixed(2),
    ]),
  ];
  const lines = [HEADER as readonly string[], HEADER.map(() => '---'), ...rows];
  return lines.map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/** The whole of bench/RESULTS.md. */
export function resultsMarkdown(r: BenchResults): string {
  const cpu = cpus();
  const im = r.importBench;
  const out = [
    '# Benchmark results',
    '',
    `Written by \`bench/run.ts\`; do not edit by hand — run the command again.${r.quick ? ' **Quick run (BENCH_QUICK=1): smaller data set, shorter load runs.**' : ''}`,
    '',
    `- Date: ${r.date.toISOString()}`,
    `- Machine: ${cpu[0]?.model.trim() ?? 'unknown CPU'} × ${cpu.length}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${platform()} ${release()}`,
    `- Node ${process.version}; commit ${r.commit}` +
      (r.staleDist ? ' — **src/ was newer than dist/: these figures are for the older build**' : ''),
    `- Command: \`${r.command}\` (took ${r.totalSeconds.toFixed(0)} s; 1-minute load average ` +
      `${r.load[0].toFixed(2)} before, ${r.load[1].toFixed(2)} after, on ${cpu.length} cores)`,
    '',
    '## Figures',
    '',
    resultsTable(r),
    '',
    'Ratio = callrecords ÷ floor (1.00 would be as fast as the floor). MB = 10⁶ bytes.',
    '',
    '- **Import** is the wall time of the `callrecords import` child process (start-up, opening and migrating the',
    `  database, reading, validating, writing, the final WAL checkpoint), best of ${im.allRuns.importRun.length}: ` +
      `${secs(im.allRuns.importRun)}. The CLI's own figure for the best run, without start-up, is ` +
      `${int(im.importReportedRate)} rec/s; importing an empty file takes ${im.fixedSeconds.toFixed(2)} s.`,
    `- **Parse-only floor**: \`readline\` over the same file and \`JSON.parse\` of each line, in the benchmark's own`,
    `  process after a warm-up pass, best of ${im.allRuns.parse.length}: ${secs(im.allRuns.parse)}.`,
    `- Data: ${int(im.file.records)} generated records (\`bench/sample-data.ts\`, fixed seed), ` +
      `${mb(im.file.bytes)} MB, ${int(im.file.bytes / im.file.records / 1000)} KB per record on average; ` +
      `generated in ${im.generateSeconds.toFixed(1)} s.`,
    `- **GET**: the real server (\`callrecords serve --log-level warn\`) and a plain \`node:http\` server sending the ` +
      'identical bytes and content type, each a child process; autocannon in the benchmark process, ' +
      `${r.quick ? 3 : 10} s per run after a 1 s warm-up, 10 connections; latencies in ms.`,
    '',
    '## What limits it',
    '',
    ...limits(r),
  ];
  return `${out.join('\n')}\n`;
}

function limits(r: BenchResults): string[] {
  const out: string[] = [];
  const im = r.importBench;
  if (im.profile !== undefined) {
    out.push(
      `### Import (${(im.ratio * 100).toFixed(0)}% of the parse floor)`,
      '',
      `\`node --cpu-prof\` of \`callrecords import\` on the first ${int(im.profile.records)} records of the same data:`,
      '',
      ...profileText(im.profile.summary, IMPORT_COSTS),
    );
  } else {
    out.push(`Import: no profile taken (ratio ${im.ratio.toFixed(2)}${r.quick ? ', quick run' : ''}).`, '');
  }
  for (const gp of r.getBench.profiles) {
    out.push(
      `### ${gp.caseName}`,
      '',
      `\`node --cpu-prof\` of \`callrecords serve\` under ${gp.seconds} s of the same load (plus the 1 s warm-up):`,
      '',
      ...profileText(gp.summary, GET_COSTS),
    );
  }
  if (r.getBench.profiles.length === 0) out.push(`GET: no profile taken${r.quick ? ' (quick run)' : ''}.`, '');
  out.push(
    "Reading these profiles: V8 charges `JSON.parse`, `JSON.stringify` and better-sqlite3's native calls to the",
    'JavaScript function that calls them, so the self time of e.g. `parseItems` is mostly `JSON.parse`, that of',
    '`toRecordWrite`/`toSessionWrite` mostly `JSON.stringify`, and `sqliteTransaction`/`run` are SQLite itself',
    '(the COMMIT, with the WAL auto-checkpoints it triggers, and each statement). Shares are of the busy (non-idle)',
    'time of the whole process, start-up included. Paths under `dist/` are the compiled `src/` files.',
  );
  return out;
}

function profileText(p: ProfileSummary, groups: readonly CostGroup[]): string[] {
  const pct = (share: number) => `${(share * 100).toFixed(1)}%`;
  const costs = groups
    .map((g) => ({ label: g.label, share: shareOf(g.inclusive === true ? p.inclusive : p.self, g.pattern) }))
    .sort((a, b) => b.share - a.share);
  return [
    `Where the busy time goes: ${costs.map((c) => `${c.label} ${pct(c.share)}`).join('; ')}.`,
    '',
    `Busy ${p.busyMs.toFixed(0)} ms, idle ${p.idleMs.toFixed(0)} ms. By area: ` +
      p.areas
        .filter((a) => a.share >= 0.01)
        .map((a) => `${a.name} ${pct(a.share)}`)
        .join(', ') +
      '.',
    '',
    '| Self time | Function |',
    '| ---: | --- |',
    ...p.self.slice(0, 10).map((e) => `| ${pct(e.share)} | \`${e.name}\` |`),
    '',
    '| Inclusive | Project function |',
    '| ---: | --- |',
    ...p.inclusive.slice(0, 10).map((e) => `| ${pct(e.share)} | \`${e.name}\` |`),
    '',
  ];
}

function int(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(0);
}

function secs(list: readonly number[]): string {
  return list.map((s) => `${s.toFixed(2)} s`).join(', ');
}
