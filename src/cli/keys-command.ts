import { createApiKey } from '../auth/api-keys.js';
import { isRole, ROLES } from '../auth/roles.js';
import { systemClock, type Clock } from '../clock.js';
import { CliError } from './cli-error.js';
import { openDatabaseOption, type DatabaseOptions } from './database-options.js';

/** The options of `callrecords keys create`. */
export interface KeysCreateOptions extends DatabaseOptions {
  role?: string;
  name?: string;
  expires?: string;
}

const DAY_MS = 86_400_000;

/**
 * `callrecords keys create --role <role> [--name] [--expires]`: creates an API key and prints it once on stdout (only
 * its SHA-256 is stored), with its id, role and expiry on stderr.
 */
export async function keysCreateCommand(
  opts: KeysCreateOptions,
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
  clock: Clock = systemClock,
): Promise<number> {
  if (opts.role === undefined || !isRole(opts.role)) {
    throw new CliError(
      `--role must be one of ${ROLES.join(', ')}${opts.role === undefined ? '' : `, not '${opts.role}'`}`,
    );
  }
  const expiresAt = expiry(opts.expires, clock.now());
  const database = await openDatabaseOption(opts);
  try {
    const { key, stored } = await createApiKey(database.keys, clock, {
      role: opts.role,
      name: opts.name ?? opts.role,
      expiresAt,
    });
    out.write(`${key}\n`);
    err.write(
      `callrecords: created key ${stored.id} (${stored.role}, expires ${stored.expiresAt ?? 'never'}); ` +
        'it is shown only this once\n',
    );
  } finally {
    await database.close();
  }
  return 0;
}

/** `callrecords keys list`: one line per key — id, role, state, created, expires, name — never the key. */
export async function keysListCommand(
  opts: DatabaseOptions,
  out: NodeJS.WritableStream = process.stdout,
  clock: Clock = systemClock,
): Promise<number> {
  const database = await openDatabaseOption(opts, { mustExist: true });
  try {
    const now = clock.now().toISOString();
    out.write('id\trole\tstate\tcreated\texpires\tname\n');
    for (const k of await database.keys.listKeys()) {
      const state =
        k.revokedAt !== null ? 'revoked' : k.expiresAt !== null && k.expiresAt <= now ? 'expired' : 'active';
      out.write(`${k.id}\t${k.role}\t${state}\t${k.createdAt}\t${k.expiresAt ?? 'never'}\t${k.name}\n`);
    }
  } finally {
    await database.close();
  }
  return 0;
}

/** `callrecords keys revoke <id>`: the key stops working from the next request on, on every instance. */
export async function keysRevokeCommand(
  id: string,
  opts: DatabaseOptions,
  err: NodeJS.WritableStream = process.stderr,
  clock: Clock = systemClock,
): Promise<number> {
  const database = await openDatabaseOption(opts, { mustExist: true });
  try {
    const revoked = await database.keys.revokeKey(id, clock.now().toISOString());
    if (!revoked) throw new CliError(`no active key with id '${id}' (see callrecords keys list)`, 1);
    err.write(`callrecords: revoked key ${id}\n`);
  } finally {
    await database.close();
  }
  return 0;
}

/** The expiry of `--expires`: a number of days from now, a date (midnight UTC) or an ISO date-time in the future. */
function expiry(value: string | undefined, now: Date): Date | undefined {
  if (value === undefined) return undefined;
  let at: Date;
  if (/^\d{1,5}$/.test(value)) at = new Date(now.getTime() + Number(value) * DAY_MS);
  else if (/^\d{4}-\d{2}-\d{2}$/.test(value)) at = new Date(`${value}T00:00:00Z`);
  else at = /^\d{4}-\d{2}-\d{2}T/.test(value) ? new Date(value) : new Date(NaN);
  if (Number.isNaN(at.getTime())) {
    throw new CliError(`--expires '${value}' is not a number of days, a date (2027-01-01) or an ISO date-time`);
  }
  if (at <= now) throw new CliError(`--expires '${value}' is not in the future`);
  return at;
}
