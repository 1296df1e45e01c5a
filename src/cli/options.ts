import { Option } from 'commander';
import { DEFAULT_BODY_LIMIT } from '../http/body-limit.js';
import { DEFAULT_DATABASE_URL } from '../storage/open-database.js';

/** One command-line option: its flag, the environment variable that also sets it, its default and its help. */
interface OptionSpec {
  flags: string;
  env: string;
  help: string;
  default?: string;
  /** The commands that take it. */
  commands: readonly ('serve' | 'import' | 'export' | 'generate' | 'migrate' | 'backup' | 'analytics' | 'buildings')[];
  /**
   * A switch (a flag without a value) whose environment variable can also turn it off: `0`, `false`, `no` or `off`
   * wins even over the flag, so `CALLRECORDS_DEMO=0 npm start` runs without the demo that the start script asks for.
   */
  envSwitch?: true;
}

/** Every option of every command, in one table (the README's configuration section shows the same). */
export const OPTIONS: readonly OptionSpec[] = [
  {
    flags: '--db <url>',
    env: 'CALLRECORDS_DB',
    default: DEFAULT_DATABASE_URL,
    help: 'database: sqlite:<path>, sqlite::memory: or postgres://user@host:port/db[?schema=name]',
    commands: ['serve', 'import', 'export', 'migrate', 'backup', 'analytics', 'buildings'],
  },
  {
    flags: '--lock-timeout <seconds>',
    env: 'CALLRECORDS_LOCK_TIMEOUT',
    default: '30',
    help: 'SQLite: how long to wait for another process using the file (a server, an import) before giving up',
    commands: ['serve', 'import', 'export', 'migrate', 'analytics', 'buildings'],
  },
  {
    flags: '--host <host>',
    env: 'CALLRECORDS_HOST',
    default: '127.0.0.1',
    help: 'address to listen on',
    commands: ['serve'],
  },
  {
    flags: '--port <port>',
    env: 'CALLRECORDS_PORT',
    default: '8080',
    help: 'port to listen on (0: any free port)',
    commands: ['serve'],
  },
  {
    flags: '--public-url <url>',
    env: 'CALLRECORDS_PUBLIC_URL',
    help: 'base URL clients use, for @odata.context and next links (default: from each request)',
    commands: ['serve'],
  },
  {
    flags: '--tls-cert <file>',
    env: 'CALLRECORDS_TLS_CERT',
    help: 'PEM certificate: serve HTTPS (with --tls-key)',
    commands: ['serve'],
  },
  {
    flags: '--tls-key <file>',
    env: 'CALLRECORDS_TLS_KEY',
    help: 'PEM private key for --tls-cert',
    commands: ['serve'],
  },
  {
    flags: '--tls-ciphers <list>',
    env: 'CALLRECORDS_TLS_CIPHERS',
    help: 'OpenSSL cipher list for TLS 1.2 and 1.3 (default: forward-secret AEAD suites only)',
    commands: ['serve'],
  },
  {
    flags: '--body-limit <bytes>',
    env: 'CALLRECORDS_BODY_LIMIT',
    default: String(DEFAULT_BODY_LIMIT),
    help: 'largest request body accepted',
    commands: ['serve'],
  },
  {
    flags: '--retain-days <days>',
    env: 'CALLRECORDS_RETAIN_DAYS',
    help: 'remove records whose endDateTime is more than this many days ago, at start and hourly (default: keep all)',
    commands: ['serve'],
  },
  {
    flags: '--log-level <level>',
    env: 'CALLRECORDS_LOG_LEVEL',
    default: 'info',
    help: 'fatal, error, warn, info, debug, trace or silent',
    commands: ['serve'],
  },
  {
    flags: '--log-format <format>',
    env: 'CALLRECORDS_LOG_FORMAT',
    default: 'json',
    help: 'json (one object a line, for machines) or pretty (one readable line, for people)',
    commands: ['serve'],
  },
  {
    flags: '--cors-origin <origins>',
    env: 'CALLRECORDS_CORS_ORIGIN',
    help: 'browser origins allowed to call the API, comma-separated (https://app.example.com) or * (default: none, no CORS)',
    commands: ['serve'],
  },
  {
    flags: '--demo',
    env: 'CALLRECORDS_DEMO',
    help:
      'first load a generated demo tenant (30 days, 3,000 calls) into an empty SQLite database: the default one or one ' +
      'named with --db, never PostgreSQL or one named by CALLRECORDS_DB; CALLRECORDS_DEMO=0 turns it off',
    commands: ['serve'],
    envSwitch: true,
  },
  // Before --no-progress: commander then leaves `progress` undefined (a terminal decides) unless either is given.
  {
    flags: '--progress',
    env: 'CALLRECORDS_PROGRESS',
    help: 'show the progress even when stderr is not a terminal (a line every 2 s)',
    commands: ['import'],
  },
  {
    flags: '--no-progress',
    env: 'CALLRECORDS_NO_PROGRESS',
    help: 'no progress bar, even on a terminal',
    commands: ['import'],
  },
  {
    flags: '--from <date-time>',
    env: 'CALLRECORDS_FROM',
    help: 'only records that started at or after this time (2024-01-01 or an ISO date-time)',
    commands: ['export'],
  },
  {
    flags: '--to <date-time>',
    env: 'CALLRECORDS_TO',
    help: 'only records that started before this time',
    commands: ['export'],
  },
  {
    flags: '--all-versions',
    env: 'CALLRECORDS_ALL_VERSIONS',
    help: 'every stored version of each record with its receive time (a backup that import restores exactly)',
    commands: ['export'],
    envSwitch: true,
  },
  {
    flags: '--streams',
    env: 'CALLRECORDS_EXPORT_STREAMS',
    help: 'the per-stream analytics table instead of the records (columns: docs/analytics.md, "Export")',
    commands: ['export'],
    envSwitch: true,
  },
  {
    flags: '--format <format>',
    env: 'CALLRECORDS_EXPORT_FORMAT',
    default: 'csv',
    help: 'with --streams: csv or parquet',
    commands: ['export'],
  },
  {
    flags: '--calls <n>',
    env: 'CALLRECORDS_CALLS',
    default: '1000',
    help: 'number of calls (with --versions, each gives 1–3 records)',
    commands: ['generate'],
  },
  {
    flags: '--seed <n>',
    env: 'CALLRECORDS_SEED',
    default: '1',
    help: 'random seed: the same seed and options give byte-identical output',
    commands: ['generate'],
  },
  {
    flags: '--from <date-time>',
    env: 'CALLRECORDS_FROM',
    help: 'start of the window the calls start in (default: --days before now, so the output depends on today)',
    commands: ['generate'],
  },
  {
    flags: '--days <n>',
    env: 'CALLRECORDS_DAYS',
    default: '30',
    help: 'length of the window in days',
    commands: ['generate'],
  },
  {
    flags: '--out <file>',
    env: 'CALLRECORDS_OUT',
    help: 'write NDJSON to this file (default: stdout)',
    commands: ['generate'],
  },
  {
    flags: '--versions',
    env: 'CALLRECORDS_VERSIONS',
    help: 'emit each version of a record as Graph does: first incomplete, later ones complete',
    commands: ['generate'],
    envSwitch: true,
  },
  {
    flags: '--buildings <file>',
    env: 'CALLRECORDS_BUILDINGS',
    help: 'also write a CQD building file (CSV) covering most of the generated office subnets',
    commands: ['generate'],
  },
  {
    flags: '--quality-rules <name|file>',
    env: 'CALLRECORDS_QUALITY_RULES',
    default: 'current',
    help:
      'the stream classification rules: current, legacy (adds degradation and concealed ratio) or a JSON file; ' +
      '`analytics rebuild` applies them, serve reports when the stored rows used others',
    commands: ['serve', 'analytics'],
  },
];

const OFF = /^(0|false|no|off)$/i;

/** The commander options for one command, with their environment variables and defaults. */
export function optionsFor(command: OptionSpec['commands'][number]): Option[] {
  return OPTIONS.filter((o) => o.commands.includes(command)).map((o) => {
    const option = new Option(o.flags, o.help).env(o.env);
    // Commander sets a switch whenever its variable exists; read the value so that `=0` means off.
    if (o.envSwitch) option.argParser(() => !OFF.test(process.env[o.env] ?? ''));
    return o.default === undefined ? option : option.default(o.default);
  });
}
