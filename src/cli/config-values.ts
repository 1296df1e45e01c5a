import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CliError } from './cli-error.js';

/** An option whose value must be one of a few words (`--log-level`, `--log-format`). */
export function oneOf<T extends string>(value: string, flag: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(value)) {
    throw new CliError(`${flag} must be one of ${choices.join(', ')}, not '${value}'`);
  }
  return value as T;
}

/** An absolute http(s) URL option (`--public-url`), without a trailing slash. */
export function httpUrl(value: string, flag: string): string {
  const url = parsedUrl(value);
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash) {
    throw new CliError(`${flag} must be an absolute http(s) URL such as https://archive.example.com, not '${value}'`);
  }
  return value.replace(/\/+$/, '');
}

/**
 * The origins of `--cors-origin` (comma-separated): each `http(s)://host[:port]` with no path, as a browser sends
 * it in `Origin`, or `*` for any origin.
 */
export function corsOrigins(value: string, flag: string): string[] {
  const origins = value.split(',').map((o) => o.trim());
  for (const origin of origins) {
    if (origin === '*') continue;
    const url = parsedUrl(origin);
    if (url === undefined || !/^https?:$/.test(url.protocol) || url.origin !== origin) {
      throw new CliError(`${flag}: '${origin}' is not an origin such as https://app.example.com (no path, no slash)`);
    }
  }
  return origins;
}

/**
 * A path with a leading `~` or `~/` expanded to the home directory, as a shell would (it does not, inside
 * `--db sqlite:~/x.db` or a quoted environment variable); `~user/…` is refused rather than taken as a file name.
 */
export function expandHome(path: string, flag: string): string {
  if (path === '~') return homedir();
  if (path.startsWith('~/')) return join(homedir(), path.slice(2));
  if (path.startsWith('~')) throw new CliError(`${flag}: '${path}': only ~ and ~/ are expanded; give the full path`);
  return path;
}

/**
 * The database URL of `--db` with `~` expanded in a SQLite path. With `mustExist` (`export`, `migrate`), a SQLite
 * file that does not exist is refused: opening it would create an empty database where the user expected theirs.
 */
export function databaseUrl(value: string, options: { mustExist?: boolean } = {}): string {
  if (!value.startsWith('sqlite:') || value === 'sqlite::memory:') return value;
  const path = expandHome(value.slice('sqlite:'.length), '--db');
  if (options.mustExist === true && path !== '' && !existsSync(path)) {
    throw new CliError(
      `--db: there is no database at ${path}; check --db or CALLRECORDS_DB (serve and import create one)`,
    );
  }
  return `sqlite:${path}`;
}

/** The URL `text` names, or undefined when it is not one (URL.parse needs Node 22). */
function parsedUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}
