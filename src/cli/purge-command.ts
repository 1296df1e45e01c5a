import { systemClock } from '../clock.js';
import { Erasures } from '../privacy/erasures.js';
import { LogEuiiPurge } from '../privacy/log-purge.js';
import { CliError } from './cli-error.js';
import { openDatabaseOption, type DatabaseOptions } from './database-options.js';

/** The options of `callrecords purge`. */
export interface PurgeOptions extends DatabaseOptions {
  user?: string;
}

/**
 * Removes one person's identifiable data on request (`--user <id>`): every record whose current version mentions the
 * id is scrubbed of its EUII in every stored version and the id is replaced by a pseudonym (src/privacy/). Prints
 * how many records were rewritten and the pseudonym; then the person's telephony log rows are erased the same way
 * (src/privacy/log-purge.ts) and their number printed; exit 0.
 */
export async function purgeCommand(opts: PurgeOptions, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const user = opts.user?.trim();
  if (user === undefined || user === '') throw new CliError('purge needs --user <id>');
  const database = await openDatabaseOption(opts, { mustExist: true });
  try {
    const { records, pseudonym } = await new Erasures(database.privacy, database.meta, systemClock).erase(user);
    out.write(`callrecords: removed the identifiable data of ${user} from ${records} records (now ${pseudonym})\n`);
    const rows = await new LogEuiiPurge(database.logPrivacy, systemClock).eraseUser(user, pseudonym);
    out.write(`callrecords: and from ${rows} telephony log rows\n`);
  } finally {
    await database.close();
  }
  return 0;
}
