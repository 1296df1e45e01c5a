import { loadRuleSet, type RuleSet } from '../analytics/rule-sets.js';
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import type { AuthConfig } from '../auth/auth-config.js';
import { checkTls } from '../http/server-limits.js';
import { authConfig, dashboardOptions, type AuthOptions } from './auth-options.js';
import type { DashboardEntra } from '../dashboard/dashboard-config.js';
import { parseRate, type ThrottleConfig } from '../http/throttle.js';
import type { Rate } from '../http/token-buckets.js';
import { CliError } from './cli-error.js';
import { corsOrigins, databaseUrl, expandHome, httpUrl, oneOf } from './config-values.js';
import type { DatabaseOptions } from './database-options.js';
import { wholeNumber } from './whole-number.js';

/** The options of `callrecords serve`, as commander hands them over (environment variables applied). */
export interface ServeOptions extends DatabaseOptions, AuthOptions {
  host: string;
  port: string;
  publicUrl?: string;
  tlsCert?: string;
  tlsKey?: string;
  tlsCiphers?: string;
  bodyLimit: string;
  logLevel: string;
  logFormat: string;
  corsOrigin?: string;
  retainDays?: string;
  euiiDays?: string;
  rateLimit?: string;
  throttle?: string;
  /** Load the demo tenant into an empty database first (`--demo`, unless CALLRECORDS_DEMO=0). */
  demo?: boolean;
  /** `--graph-strict`: Graph's limits on the telephony functions. */
  graphStrict?: boolean;
  /** The database came from CALLRECORDS_DB (not --db, not the default): the demo never goes there. */
  dbFromEnv?: boolean;
  auditRetainDays?: string;
  /** `--quality-rules`: current, legacy or a JSON file (the option table gives the default). */
  qualityRules?: string;
}

/** The options of `callrecords serve`, checked and converted; the database is not opened yet. */
export interface ServeConfig {
  host: string;
  port: number;
  bodyLimit: number;
  retainDays: number | undefined;
  /** `--euii-days`: the age past which records lose their EUII (src/privacy/). */
  euiiDays: number | undefined;
  /** `--rate-limit` and `--throttle` (src/http/throttle.ts); undefined when neither is set. */
  throttle: ThrottleConfig | undefined;
  level: (typeof LOG_LEVELS)[number];
  pretty: boolean;
  publicUrl: string | undefined;
  corsOrigins: readonly string[] | undefined;
  /** The database URL, `~` expanded. */
  db: string;
  https: { cert: Buffer; key: Buffer; ciphers: string | undefined } | undefined;
  /** Who may call the API (`--auth`); undefined: anyone (`--auth none`, or loopback without `--auth`). */
  auth: AuthConfig | undefined;
  /** The web dashboard (createApp's `dashboard`): false with `--no-dashboard`; its Entra sign-in when configured. */
  dashboard: { entra?: DashboardEntra | undefined } | false;
  /** How long audit entries are kept (`--audit-retain-days`). */
  auditRetainDays: number;
  graphStrict: boolean;
  /** The stream classification rules named by `--quality-rules`. */
  qualityRules: RuleSet;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const LOG_FORMATS = ['json', 'pretty'] as const;

/** Checks the options of `callrecords serve`; a wrong one is a CliError naming it (exit code 2). */
export function serveConfig(opts: ServeOptions): ServeConfig {
  const port = wholeNumber(opts.port, '--port');
  const bodyLimit = wholeNumber(opts.bodyLimit, '--body-limit');
  const retainDays = opts.retainDays === undefined ? undefined : wholeNumber(opts.retainDays, '--retain-days', 1);
  const euiiDays = opts.euiiDays === undefined ? undefined : wholeNumber(opts.euiiDays, '--euii-days', 1);
  const throttle = throttleConfig(opts);
  const level = oneOf(opts.logLevel, '--log-level', LOG_LEVELS);
  const pretty = oneOf(opts.logFormat, '--log-format', LOG_FORMATS) === 'pretty';
  const publicUrl = opts.publicUrl === undefined ? undefined : httpUrl(opts.publicUrl, '--public-url');
  const cors = opts.corsOrigin === undefined ? undefined : corsOrigins(opts.corsOrigin, '--cors-origin');
  const db = databaseUrl(opts.db);
  // Before the database or a certificate is read: serving openly on a reachable address is refused first.
  const auth = authConfig(opts, opts.host);
  const dashboard = dashboardOptions(opts, auth);
  const auditRetainDays = wholeNumber(opts.auditRetainDays ?? '365', '--audit-retain-days', 1);
  if ((opts.tlsCert === undefined) !== (opts.tlsKey === undefined)) {
    throw new CliError('--tls-cert and --tls-key go together');
  }
  const https =
    opts.tlsCert === undefined || opts.tlsKey === undefined
      ? undefined
      : {
          cert: readPem(expandHome(opts.tlsCert, '--tls-cert')),
          key: readPem(expandHome(opts.tlsKey, '--tls-key')),
          ciphers: cipherList(opts.tlsCiphers),
        };
  // A certificate that is no PEM is refused before the database is opened (ConfigError: one line, exit 2).
  if (https !== undefined) checkTls(https);
  const graphStrict = opts.graphStrict === true;
  const qualityRules = loadRuleSet(opts.qualityRules ?? 'current');
  return {
    host: opts.host,
    port,
    bodyLimit,
    retainDays,
    euiiDays,
    throttle,
    level,
    pretty,
    publicUrl,
    corsOrigins: cors,
    db,
    https,
    graphStrict,
    qualityRules,
    auth,
    dashboard,
    auditRetainDays,
  };
}

const THROTTLE_MODES = ['none', 'graph'] as const;

function throttleConfig(opts: ServeOptions): ThrottleConfig | undefined {
  const graph = oneOf(opts.throttle ?? 'none', '--throttle', THROTTLE_MODES) === 'graph';
  let rateLimit: Rate | undefined;
  if (opts.rateLimit !== undefined) {
    rateLimit = parseRate(opts.rateLimit);
    if (rateLimit === undefined)
      throw new CliError(`--rate-limit: '${opts.rateLimit}' is not <n>/<window> (e.g. 100/10s, 600/1m, 1500/20s)`);
  }
  return graph || rateLimit !== undefined ? { graph, rateLimit } : undefined;
}

// A list OpenSSL cannot use is a usage error, not a stack trace when the server starts.
function cipherList(ciphers: string | undefined): string | undefined {
  if (ciphers === undefined) return undefined;
  try {
    createSecureContext({ ciphers });
  } catch (error) {
    throw new CliError(`--tls-ciphers: ${(error as Error).message}`);
  }
  return ciphers;
}

function readPem(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new CliError(`cannot read ${path}: ${(error as Error).message}`);
  }
}
