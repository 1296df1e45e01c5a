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
  commands: readonly (
    | 'serve'
    | 'import'
    | 'export'
    | 'generate'
    | 'migrate'
    | 'backup'
    | 'keys'
    | 'keys-create'
    | 'purge'
    | 'analytics'
    | 'buildings'
    | 'sync'
    | 'graph-simulator'
  )[];
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
    commands: ['serve', 'import', 'export', 'migrate', 'backup', 'keys', 'purge', 'analytics', 'buildings', 'sync'],
  },
  {
    flags: '--lock-timeout <seconds>',
    env: 'CALLRECORDS_LOCK_TIMEOUT',
    default: '30',
    help: 'SQLite: how long to wait for another process using the file (a server, an import) before giving up',
    commands: ['serve', 'import', 'export', 'migrate', 'keys', 'purge', 'analytics', 'buildings', 'sync'],
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
    flags: '--euii-days <days>',
    env: 'CALLRECORDS_EUII_DAYS',
    help:
      'remove end-user identifiable information (IP and MAC addresses, names, UPNs, device names, feedback text; ' +
      'docs/privacy.md) from records that ended more than this many days ago, at start and hourly (CQD: 28); ' +
      'telephony log rows too (numbers, names, client addresses; docs/call-logs.md)',
    commands: ['serve', 'import', 'sync'],
  },
  {
    flags: '--rate-limit <n/window>',
    env: 'CALLRECORDS_RATE_LIMIT',
    help: 'at most n requests per window per caller (identity, else address), e.g. 100/10s or 600/1m; then 429 with Retry-After',
    commands: ['serve'],
  },
  {
    flags: '--throttle <mode>',
    env: 'CALLRECORDS_THROTTLE',
    default: 'none',
    help: "graph: apply Graph's call-record limits (1,500/20 s per caller, 40/20 s per record, 40/20 s for the list); none",
    commands: ['serve'],
  },
  {
    flags: '--user <id>',
    env: 'CALLRECORDS_PURGE_USER',
    help: "the user's id (Entra object id) whose identifiable data to remove from every record and version",
    commands: ['purge'],
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
    flags: '--auth <modes>',
    env: 'CALLRECORDS_AUTH',
    help:
      'who may call the API: entra (Entra ID tokens), keys (API keys), entra,keys, or none (anyone); required to ' +
      'serve on an address other than loopback (docs/security.md)',
    commands: ['serve'],
  },
  {
    flags: '--auth-audience <list>',
    env: 'CALLRECORDS_AUTH_AUDIENCE',
    help: 'with --auth entra: the accepted token audiences, comma-separated (application id URI and/or client id)',
    commands: ['serve'],
  },
  {
    flags: '--auth-tenant-id <list>',
    env: 'CALLRECORDS_AUTH_TENANT_ID',
    help: 'with --auth entra: the Entra tenant (directory) ids whose tokens are accepted, comma-separated',
    commands: ['serve'],
  },
  {
    flags: '--auth-authority-host <url>',
    env: 'CALLRECORDS_AUTH_AUTHORITY_HOST',
    default: 'https://login.microsoftonline.com',
    help: 'with --auth entra: the Entra authority (a national cloud, or a test issuer)',
    commands: ['serve'],
  },
  {
    flags: '--dashboard-client-id <id>',
    env: 'CALLRECORDS_DASHBOARD_CLIENT_ID',
    help:
      "with --auth entra: the dashboard's own Entra app registration (a single-page application whose redirect URI " +
      'is <public url>/sign-in), for "Sign in with Microsoft" (docs/dashboard.md)',
    commands: ['serve'],
  },
  {
    flags: '--dashboard-scopes <list>',
    env: 'CALLRECORDS_DASHBOARD_SCOPES',
    help: 'with --dashboard-client-id: the API scopes to ask for, comma-separated (default: <first --auth-audience>/.default)',
    commands: ['serve'],
  },
  {
    flags: '--no-dashboard',
    env: 'CALLRECORDS_NO_DASHBOARD',
    help: 'do not serve the web dashboard at / (the API only)',
    commands: ['serve'],
  },
  {
    flags: '--audit-retain-days <days>',
    env: 'CALLRECORDS_AUDIT_RETAIN_DAYS',
    default: '365',
    help: 'remove audit entries older than this many days, at start and daily',
    commands: ['serve'],
  },
  {
    flags: '--role <role>',
    env: 'CALLRECORDS_KEY_ROLE',
    help: "the key's role: CallRecords.Read.All, CallRecords.Ingest or CallRecords.Admin",
    commands: ['keys-create'],
  },
  {
    flags: '--name <name>',
    env: 'CALLRECORDS_KEY_NAME',
    help: 'a name for the key, shown by keys list and in the audit trail (default: the role)',
    commands: ['keys-create'],
  },
  {
    flags: '--expires <date|days>',
    env: 'CALLRECORDS_KEY_EXPIRES',
    help: 'when the key stops working: a date (2027-01-01), an ISO date-time, or a number of days (default: never)',
    commands: ['keys-create'],
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
  {
    flags: '--graph-strict',
    env: 'CALLRECORDS_GRAPH_STRICT',
    help:
      'answer as Graph would where the archive is more generous: the telephony functions (getPstnCalls, …) refuse a ' +
      'window of more than 90 days with 406',
    commands: ['serve'],
    envSwitch: true,
  },
  {
    flags: '--kind <kind>',
    env: 'CALLRECORDS_KIND',
    help:
      'import telephony log rows of this kind instead of call records: pstnCalls, directRoutingCalls, smsLog, ' +
      'pstnBlockedUsersLog or pstnOnlineMeetingDialoutReport (docs/call-logs.md)',
    commands: ['import'],
  },
  {
    flags: '--period-from <date-time>',
    env: 'CALLRECORDS_PERIOD_FROM',
    help: 'with --kind pstnOnlineMeetingDialoutReport: the start of the period the report covers',
    commands: ['import'],
  },
  {
    flags: '--period-to <date-time>',
    env: 'CALLRECORDS_PERIOD_TO',
    help: 'with --kind pstnOnlineMeetingDialoutReport: the end of the period the report covers',
    commands: ['import'],
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
    flags: '--logs <dir>',
    env: 'CALLRECORDS_LOGS',
    help:
      "also write the calls' telephony log rows to this folder, one NDJSON file per kind (pstnCalls.ndjson, " +
      'directRoutingCalls.ndjson, smsLog.ndjson, pstnBlockedUsersLog.ndjson, pstnOnlineMeetingDialoutReport.ndjson)',
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
  {
    flags: '--sync',
    env: 'CALLRECORDS_SYNC',
    help: 'collect call records from Microsoft Graph while serving (docs/graph-sync.md); needs the --graph-* options',
    commands: ['serve'],
    envSwitch: true,
  },
  {
    flags: '--graph-tenant-id <id>',
    env: 'CALLRECORDS_GRAPH_TENANT_ID',
    help: 'Graph sync: the Entra tenant (directory) id',
    commands: ['serve', 'sync'],
  },
  {
    flags: '--graph-client-id <id>',
    env: 'CALLRECORDS_GRAPH_CLIENT_ID',
    help: 'Graph sync: the application (client) id of the Entra app with CallRecords.Read.All',
    commands: ['serve', 'sync'],
  },
  {
    flags: '--graph-client-secret <secret>',
    env: 'CALLRECORDS_GRAPH_CLIENT_SECRET',
    help: "Graph sync: the app's client secret (prefer the environment variable), or use --graph-client-certificate",
    commands: ['serve', 'sync'],
  },
  {
    flags: '--graph-client-certificate <pem>',
    env: 'CALLRECORDS_GRAPH_CLIENT_CERTIFICATE',
    help: "Graph sync: a PEM file with the app's certificate and private key (instead of a secret)",
    commands: ['serve', 'sync'],
  },
  {
    flags: '--graph-url <url>',
    env: 'CALLRECORDS_GRAPH_URL',
    default: 'https://graph.microsoft.com',
    help: "Graph sync: Graph's base URL (a national cloud, or callrecords graph-simulator)",
    commands: ['serve', 'sync'],
  },
  {
    flags: '--authority-host <url>',
    env: 'CALLRECORDS_AUTHORITY_HOST',
    default: 'https://login.microsoftonline.com',
    help: 'Graph sync: the sign-in host; any other than the default is used without instance discovery',
    commands: ['serve', 'sync'],
  },
  {
    flags: '--sweep-interval <duration>',
    env: 'CALLRECORDS_SWEEP_INTERVAL',
    default: '15m',
    help: 'Graph sync: how often to list Graph for records missed or changed (30s, 15m, 1h; a bare number is minutes)',
    commands: ['serve'],
  },
  {
    flags: '--notification-url <url>',
    env: 'CALLRECORDS_NOTIFICATION_URL',
    help: 'Graph sync: the public base URL Graph posts change notifications to (without it: sweeps only)',
    commands: ['serve'],
  },
  {
    flags: '--backfill-days <n>',
    env: 'CALLRECORDS_BACKFILL_DAYS',
    help: "how many days back to collect, at most Graph's 30 (sync: default 30; serve --sync: once, resumed if cut short)",
    commands: ['serve', 'sync'],
  },
  {
    flags: '--fetch-lease <duration>',
    env: 'CALLRECORDS_FETCH_LEASE',
    default: '1m',
    help: 'Graph sync: how long a record being fetched stays reserved to one instance (renewed while it works)',
    commands: ['serve', 'sync'],
  },
  // callrecords graph-simulator: its own variables, so that it and `serve --sync` can run from one shell.
  {
    flags: '--db <url>',
    env: 'CALLRECORDS_SIMULATOR_DB',
    default: 'sqlite::memory:',
    help: 'where the simulated tenant is kept (any --db URL); a file lets `callrecords export --db` read it',
    commands: ['graph-simulator'],
  },
  {
    flags: '--host <host>',
    env: 'CALLRECORDS_SIMULATOR_HOST',
    default: '127.0.0.1',
    help: 'address to listen on',
    commands: ['graph-simulator'],
  },
  {
    flags: '--port <port>',
    env: 'CALLRECORDS_SIMULATOR_PORT',
    default: '8443',
    help: 'port to listen on (0: any free port)',
    commands: ['graph-simulator'],
  },
  {
    flags: '--tls-cert <file>',
    env: 'CALLRECORDS_SIMULATOR_TLS_CERT',
    help: 'PEM certificate: serve HTTPS (with --tls-key), as MSAL requires of an authority',
    commands: ['graph-simulator'],
  },
  {
    flags: '--tls-key <file>',
    env: 'CALLRECORDS_SIMULATOR_TLS_KEY',
    help: 'PEM private key for --tls-cert',
    commands: ['graph-simulator'],
  },
  {
    flags: '--calls <n>',
    env: 'CALLRECORDS_SIMULATOR_CALLS',
    default: '1000',
    help: 'calls in the simulated tenant (plus a meeting of 140 people if none is past the page sizes)',
    commands: ['graph-simulator'],
  },
  {
    flags: '--days <n>',
    env: 'CALLRECORDS_SIMULATOR_DAYS',
    default: '30',
    help: 'length of the window the calls start in',
    commands: ['graph-simulator'],
  },
  {
    flags: '--from <date-time>',
    env: 'CALLRECORDS_SIMULATOR_FROM',
    help: 'start of that window (default: --days before now); a window reaching past now brings calls live (see --speed)',
    commands: ['graph-simulator'],
  },
  {
    flags: '--seed <n>',
    env: 'CALLRECORDS_SIMULATOR_SEED',
    default: '1',
    help: 'random seed of the tenant, the delays and the faults',
    commands: ['graph-simulator'],
  },
  {
    flags: '--records <file>',
    env: 'CALLRECORDS_SIMULATOR_RECORDS',
    help: 'take the tenant from an NDJSON or JSON file (e.g. from `callrecords generate`) instead of generating it',
    commands: ['graph-simulator'],
  },
  {
    flags: '--speed <factor>',
    env: 'CALLRECORDS_SIMULATOR_SPEED',
    default: '1',
    help: 'N: waits after a call (appearing, new versions) are N times shorter, and calls still to come replay N× faster',
    commands: ['graph-simulator'],
  },
  {
    flags: '--faults <list>',
    env: 'CALLRECORDS_SIMULATOR_FAULTS',
    default: 'all',
    help: 'Graph behaviour to simulate: all, none, or some of 404,429,503,drop,updated,reauth',
    commands: ['graph-simulator'],
  },
  {
    flags: '--fault-rate <share>',
    env: 'CALLRECORDS_SIMULATOR_FAULT_RATE',
    default: '0.05',
    help: 'share (0–1) of requests answered 503 and of notifications dropped, when those faults are on',
    commands: ['graph-simulator'],
  },
  {
    flags: '--tenant-id <id>',
    env: 'CALLRECORDS_SIMULATOR_TENANT_ID',
    default: '00000000-0000-0000-0000-00000000c0de',
    help: 'the simulated tenant; the authority is https://<host>:<port>/<tenant-id>',
    commands: ['graph-simulator'],
  },
  {
    flags: '--client-id <id>',
    env: 'CALLRECORDS_SIMULATOR_CLIENT_ID',
    default: '11111111-2222-3333-4444-555555555555',
    help: 'the app registered in the simulated tenant',
    commands: ['graph-simulator'],
  },
  {
    flags: '--client-secret <secret>',
    env: 'CALLRECORDS_SIMULATOR_CLIENT_SECRET',
    default: 'simulator-secret',
    help: "the app's client secret",
    commands: ['graph-simulator'],
  },
  {
    flags: '--client-certificate <file>',
    env: 'CALLRECORDS_SIMULATOR_CLIENT_CERTIFICATE',
    help: "the app's certificate (PEM): client assertions signed with its key are accepted too",
    commands: ['graph-simulator'],
  },
  {
    flags: '--log-level <level>',
    env: 'CALLRECORDS_SIMULATOR_LOG_LEVEL',
    default: 'info',
    help: 'fatal, error, warn, info, debug, trace or silent',
    commands: ['graph-simulator'],
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
