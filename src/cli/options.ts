import { Option } from 'commander';
import { DEFAULT_BODY_LIMIT } from '../http/body-limit.js';
import { DEFAULT_DATABASE_URL } from '../storage/open-store.js';

/** One command-line option: its flag, the environment variable that also sets it, its default and its help. */
interface OptionSpec {
  flags: string;
  env: string;
  help: string;
  default?: string;
  /** The commands that take it. */
  commands: readonly ('serve' | 'import' | 'export' | 'migrate')[];
}

/** Every option of every command, in one table (the README's configuration section shows the same). */
export const OPTIONS: readonly OptionSpec[] = [
  {
    flags: '--db <url>',
    env: 'CALLRECORDS_DB',
    default: DEFAULT_DATABASE_URL,
    help: 'database: sqlite:<path>, sqlite::memory: or postgres://user@host:port/db[?schema=name]',
    commands: ['serve', 'import', 'export', 'migrate'],
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
];

/** The commander options for one command, with their environment variables and defaults. */
export function optionsFor(command: OptionSpec['commands'][number]): Option[] {
  return OPTIONS.filter((o) => o.commands.includes(command)).map((o) => {
    const option = new Option(o.flags, o.help).env(o.env);
    return o.default === undefined ? option : option.default(o.default);
  });
}
