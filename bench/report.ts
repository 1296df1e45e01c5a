/**
 * Turns benchmark results into the printed table and bench/RESULTS.md: machine, command, figures with their ratio
 * to the floor, and what the CPU profiles say limits each path.
 */
import { cpus, platform, release, totalmem } from 'node:os';
import { shareOf, type ProfileSummary } from './cpu-profile.js';
import type { AuthGetResult } from './auth-get.js';
import type { GetBenchResult } from './get-expand.js';
import type { ImportBenchResult } from './import.js';
import type { ListBenchResult } from './list-filter.js';
import type { MemoryBenchResult } from './memory.js';
import type { PostgresImportCase } from './postgres-import.js';

/** Everything one `npm run bench` measured. */
export interface BenchResults {
  date: Date;
  command: string;
  commit: string;
  quick: boolean;
  importBench: ImportBenchResult;
  getBench: GetBenchResult;
  /** Full-expand GET with authentication on (Entra token, cached JWKS) against off (issue 11). */
  authGet?: AuthGetResult | undefined;
  listBench: ListBenchResult;
  memoryBench: MemoryBenchResult;
  /** The PostgreSQL cases, or why they did not run. */
  postgres: { importCase: PostgresImportCase; getBench: GetBenchResult } | { skipped: string };
  totalSeconds: number;
  /** The 1-minute load average before and after the run: other work on the machine skews the figures. */
  load: [number, number];
  /** Seconds of each GET and list load run. */
  getSeconds: number;
  listSeconds: number;
  /** src/ had changed since dist/ was built: the figures are for the older build. */
  staleDist: boolean;
  /** What `npm run bench` and `BENCH_QUICK=1 npm run bench` each measure. */
  runSizes: { full: string; quick: string };
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
  { label: 'brotli of the history version (in the store)', pattern: /^processChunkSync node:zlib/ },
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
  'Baseline',
  'Baseline MB/s',
  'Baseline p50 / p99 ms',
  'Ratio',
  'Target',
] as const;

/** The targets of the issue, checked in the table. */
export const TARGETS = {
  importRatio: 0.5,
  getRatio: 0.7,
  /** p50 at the largest size ÷ p50 at the smallest. */
  listGrowth: 1.5,
  peakRssBytes: 300 * 2 ** 20,
  /** PostgreSQL import ÷ raw COPY of the same rows (issue: PostgreSQL store). */
  postgresImportRatio: 0.5,
  /** GET with `--auth entra` ÷ `--auth none` (issue 11). */
  authRatio: 0.9,
};

/** The one results table, as Markdown (it reads as plain text on a terminal too). */
export function resultsTable(r: BenchResults): string {
  const { importBench: im, getBench: get, listBench: list, memoryBench: mem } = r;
  const smallest = list.cases[0];
  const rows: string[][] = [
    ...im.cases.map((c) => [
      `import ${int(c.file.records)} records (${mb(c.file.bytes)} MB NDJSON) into empty SQLite`,
      `${int(c.importRun.recordsPerSecond)} rec/s`,
      c.importRun.mbPerSecond.toFixed(1),
      '–',
      `parse-only ${int(c.parse.recordsPerSecond)} rec/s`,
      c.parse.mbPerSecond.toFixed(1),
      '–',
      c.ratio.toFixed(2),
      met(c.ratio >= TARGETS.importRatio, `≥ ${TARGETS.importRatio}`),
    ]),
    ...get.cases.map((c) => getRow(c, '')),
    ...(r.authGet === undefined ? [] : [authRow(r.authGet)]),
    ...list.cases.map((c) => {
      const growth = smallest === undefined ? 1 : c.p50 / smallest.p50;
      return [
        `list, $filter on startDateTime, page of 60, ${int(c.responseBytes / 1000)} KB: ${count(c.records)} records stored`,
        `${int(c.requestsPerSecond)} req/s`,
        ((c.requestsPerSecond * c.responseBytes) / 1e6).toFixed(1),
        `${c.p50.toFixed(2)} / ${c.p99.toFixed(2)}`,
        smallest === undefined ? '–' : `same query, ${count(smallest.records)} stored`,
        '–',
        smallest === undefined ? '–' : `${smallest.p50.toFixed(2)} / ${smallest.p99.toFixed(2)}`,
        `p50 ×${growth.toFixed(2)}`,
        c === smallest ? '–' : met(growth <= TARGETS.listGrowth, `p50 ≤ ×${TARGETS.listGrowth}`),
      ];
    }),
    [
      `import ${int(mem.file.records)} records (${mb(mem.file.bytes)} MB NDJSON): peak RSS of the process`,
      `${mib(mem.peakRssBytes)} MiB`,
      '–',
      '–',
      '–',
      '–',
      '–',
      '–',
      met(mem.peakRssBytes < TARGETS.peakRssBytes, `< ${mib(TARGETS.peakRssBytes)} MiB`),
    ],
  ];
  if ('importCase' in r.postgres) {
    const pg = r.postgres.importCase;
    rows.push(
      [
        `PostgreSQL: import ${int(pg.file.records)} records (${mb(pg.file.bytes)} MB NDJSON) into an empty schema`,
        `${int(pg.importRun.recordsPerSecond)} rec/s`,
        pg.importRun.mbPerSecond.toFixed(1),
        '–',
        `raw COPY of the same rows ${int(pg.rawCopy.recordsPerSecond)} rec/s`,
        pg.rawCopy.mbPerSecond.toFixed(1),
        '–',
        pg.ratio.toFixed(2),
        met(pg.ratio >= TARGETS.postgresImportRatio, `≥ ${TARGETS.postgresImportRatio}`),
      ],
      ...r.postgres.getBench.cases.map((c) => getRow(c, 'PostgreSQL: ')),
    );
  }
  const lines = [HEADER as readonly string[], HEADER.map(() => '---'), ...rows];
  return lines.map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/** The table row of the authentication case: on against off. */
function authRow(a: AuthGetResult): string[] {
  return [
    'GET full expand with --auth entra (cached JWKS and token)',
    `${int(a.on.requestsPerSecond)} req/s`,
    a.on.mbPerSecond.toFixed(1),
    `${a.on.p50} / ${a.on.p99}`,
    `--auth none ${int(a.off.requestsPerSecond)} req/s`,
    a.off.mbPerSecond.toFixed(1),
    `${a.off.p50} / ${a.off.p99}`,
    `${a.ratio.toFixed(2)} (CPU ${a.cpuRatio.toFixed(2)})`,
    met(a.cpuRatio >= TARGETS.authRatio, `CPU ≥ ${TARGETS.authRatio}`),
  ];
}

/** The table row of one GET case. */
function getRow(c: GetBenchResult['cases'][number], prefix: string): string[] {
  return [
    `${prefix}${c.name}, ${int(c.responseBytes / 1000)} KB`,
    `${int(c.service.requestsPerSecond)} req/s`,
    c.service.mbPerSecond.toFixed(1),
    `${c.service.p50} / ${c.service.p99}`,
    `node:http ${int(c.plain.requestsPerSecond)} req/s`,
    c.plain.mbPerSecond.toFixed(1),
    `${c.plain.p50} / ${c.plain.p99}`,
    c.ratio.toFixed(2),
    met(c.ratio >= TARGETS.getRatio, `≥ ${TARGETS.getRatio}`),
  ];
}

/** The whole of bench/RESULTS.md. */
export function resultsMarkdown(r: BenchResults): string {
  const cpu = cpus();
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
    `- Sizes: \`npm run bench\`: ${r.runSizes.full}. \`BENCH_QUICK=1 npm run bench\` (under two minutes; ` +
      `writes bench/out/RESULTS-quick.md): ${r.runSizes.quick}.`,
    '',
    '## Figures',
    '',
    resultsTable(r),
    '',
    'Ratio = callrecords ÷ baseline (1.00 would be as fast as the baseline); for the list, p50 at that size ÷ p50 at ' +
      'the smallest. MB = 10⁶ bytes, MiB = 2²⁰ bytes. The machine has 2 cores and was shared with other work while ' +
      'these ran: every case runs against its baseline in the same run, and single figures move by 10–20% between runs.',
    '',
    ...importNotes(r),
    `- **GET**: the real server (\`callrecords serve --log-level warn\`) and a plain \`node:http\` server sending the ` +
      'identical bytes and content type, each a child process; autocannon in the benchmark process, ' +
      `${r.getSeconds} s per run after a 1 s warm-up, 10 connections; latencies in ms (autocannon rounds them to ` +
      'whole ms). Data: the first records of the import data and one call of 200 sessions. A second floor, Fastify ' +
      '(logger off) sending the same bytes, shows what the framework alone costs: ' +
      r.getBench.cases
        .map(
          (c) =>
            `${c.sessions} sessions ${int(c.fastify.requestsPerSecond)} req/s, p50 / p99 ${c.fastify.p50} / ` +
            `${c.fastify.p99} ms (${(c.fastify.requestsPerSecond / c.plain.requestsPerSecond).toFixed(2)} of node:http)`,
        )
        .join('; ') +
      '.',
    ...(r.authGet === undefined
      ? []
      : [
          '- **GET with authentication**: the first record of the GET data, full expand, against two servers on the ' +
            'same database: `--auth none` and `--auth entra` (an RS256 token of a test issuer served over HTTPS on ' +
            '127.0.0.1, its JWKS fetched once; every request carries the same token, so after the first it is a ' +
            `cache hit, and each request is audited); best of ${r.authGet.rounds} runs of each in ABBA order. The ` +
            'target is checked on the CPU ratio — CPU time of the server process per request, off ÷ on ' +
            `(${int(r.authGet.cpuMicrosPerRequest.off)} and ${int(r.authGet.cpuMicrosPerRequest.on)} µs), ` +
            'from /proc — which other work on a shared machine does not move as it moves requests per second.',
        ]),
    ...listNotes(r),
    `- **Memory**: one \`callrecords import\` of ${int(r.memoryBench.file.records)} realistic records ` +
      `(${mb(r.memoryBench.file.bytes)} MB) into an empty database, ${r.memoryBench.seconds.toFixed(0)} s; peak RSS ` +
      (r.memoryBench.source === 'time'
        ? "as GNU time reports it (`/usr/bin/time -f %M`, the kernel's maxrss of the child)."
        : 'as the highest `VmHWM` of `/proc/<pid>/status`, polled every 50 ms.') +
      ` Peak RSS of the import runs above: ${r.importBench.cases.map((c) => `${mib(c.peakRssBytes)} MiB (${count(c.file.records)})`).join(', ')}.`,
    ...postgresNotes(r),
    `- Data comes from \`writeBenchNdjson\` (bench/bench-data.ts: realistic records from \`src/generate\` as ` +
      '`callrecords generate` writes them, the small and 200-session shapes from its `sessions` and `media` options; fixed ' +
      'seeds) and is ' +
      'cached in the bench-data folder (`$BENCH_DATA_DIR`, default `$TMPDIR/callrecords-bench-data`) with the list ' +
      "databases; the cache key includes a hash of the generator's sources.",
    '',
    '## What limits it',
    '',
    ...limits(r),
  ];
  return `${out.join('\n')}\n`;
}

function postgresNotes(r: BenchResults): string[] {
  if ('skipped' in r.postgres) return [`- **PostgreSQL**: not measured: ${r.postgres.skipped}.`];
  const pg = r.postgres.importCase;
  return [
    '- **PostgreSQL import** (PostgreSQL 15 on the same machine) is the wall time of `callrecords import --db ' +
      'postgres://…?schema=<new>` (it creates and migrates the schema); **raw COPY** sends the rows that import ' +
      'writes — prepared before the clock starts: parsed, validated, cut and the history brotli-compressed — with ' +
      'one COPY per table in one transaction into a fresh schema made by the same migration (same partitions, ' +
      `indexes and column compression): the database's own floor for those rows. ${count(pg.file.records)} records: ` +
      `import ${secs(pg.allRuns.importRun)}, raw COPY ${secs(pg.allRuns.rawCopy)} (${mb(pg.copyBytes)} MB of COPY ` +
      'text). A checkpoint runs before each.',
    '- **PostgreSQL GET**: the same GET cases, the server on a PostgreSQL schema holding the same records.',
  ];
}

function importNotes(r: BenchResults): string[] {
  const im = r.importBench;
  return [
    '- **Import** is the wall time of the `callrecords import` child process (start-up, opening and migrating the',
    '  database, reading, validating, writing, the final WAL checkpoint), best of the runs; **parse-only** reads the',
    "  same file with `readline` and `JSON.parse`s each line, in the benchmark's own process after a warm-up pass:",
    ...im.cases.map(
      (c) =>
        `  - ${count(c.file.records)} records (${int(c.file.bytes / c.file.records / 1000)} KB each on average): ` +
        `import ${secs(c.allRuns.importRun)} (the CLI's own figure without start-up: ${int(c.importReportedRate)} ` +
        `rec/s), parse-only ${secs(c.allRuns.parse)}` +
        (c.generateSeconds > 0 ? `; generated in ${c.generateSeconds.toFixed(1)} s.` : '; file from the cache.'),
    ),
    `  - Importing an empty file takes ${im.fixedSeconds.toFixed(2)} s (start-up, opening and migrating).`,
  ];
}

function listNotes(r: BenchResults): string[] {
  const list = r.listBench;
  return [
    `- **List**: \`GET /v1.0/communications/callRecords?$filter=startDateTime ge X and startDateTime lt Y\` on the ` +
      `real server, X and Y the start times of two records ${list.windowRecords} apart (so each answer is a full page ` +
      'of 60 with a next link), at 5 places from the oldest to the newest data, requested in turn. One connection, ' +
      `one request at a time, for ${r.listSeconds} s after a 1 s warm-up: each latency is one page's own cost, ` +
      'timed in the benchmark process to 0.01 ms.',
    '  - Each size is its own database, generated and imported with `callrecords import`; each is kept in the',
    '    bench-data folder for the next run.',
    ...list.cases.map(
      (c) =>
        `  - ${count(c.records)} records: database ${mb(c.dbBytes)} MB, ${int(c.requests)} requests` +
        (c.buildSeconds > 0 ? `, built in ${c.buildSeconds.toFixed(0)} s.` : ', database from the cache.'),
    ),
    '  - The records are small: generated calls between two people, one session whose segments carry no media (a few',
    '    KB of NDJSON instead of 41 KB; `generateRecords` with `sessions: 1, media: false`), imported through the real import path, so the rows and indexes are exactly what',
    '    the import writes. That is fair for this case because a list page reads one range of the',
    '    `(start_key, id)` index and 60 `call_records` rows, and `call_records` keeps the record without its sessions',
    '    (1.1 KB here; 1–6 KB for realistic records): media only live in the `sessions` and `record_versions` tables,',
    '    which a list never reads. What grows with the size is the depth of the index and of the table B-trees, which',
    '    is what the case measures. What it does not show is a database larger than the page cache, where a page',
    '    read from disk would cost more than a deeper B-tree. 1M realistic records would be a 43 GB NDJSON file and',
    '    a database of about 55 GB (167 MB per 3,000 records): more than the free disk of this machine, and half an',
    '    hour of import at the rates above.',
  ];
}

function limits(r: BenchResults): string[] {
  const out: string[] = [];
  const im = r.importBench;
  if (im.profile !== undefined) {
    out.push(
      `### Import (${im.cases.map((c) => `${(c.ratio * 100).toFixed(0)}%`).join(', ')} of the parse floor)`,
      '',
      `\`node --cpu-prof\` of \`callrecords import\` on the first ${int(im.profile.records)} records of the same data:`,
      '',
      ...profileText(im.profile.summary, IMPORT_COSTS),
    );
  } else {
    out.push(`Import: no profile taken${r.quick ? ' (quick run)' : ''}.`, '');
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

function mib(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(0);
}

/** 10k, 100k, 1M: the sizes as the issue names them. */
function count(n: number): string {
  if (n >= 1e6 && n % 1e5 === 0) return `${n / 1e6}M`;
  if (n >= 1e4 && n % 1e3 === 0) return `${n / 1e3}k`;
  return int(n);
}

function met(ok: boolean, target: string): string {
  return `${target} ${ok ? 'met' : '**missed**'}`;
}

function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(0);
}

function secs(list: readonly number[]): string {
  return list.map((s) => `${s.toFixed(2)} s`).join(', ');
}
