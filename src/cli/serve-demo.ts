import type { Clock } from '../clock.js';
import { DEFAULT_DATABASE_URL } from '../storage/open-database.js';
import type { CallRecordDatabase } from '../storage/roles.js';
import type { RuntimeLog } from '../runtime/runtime.js';
import { loadDemoData } from './demo-data.js';

/**
 * `serve --demo`: loads the demo tenant into an empty database, or logs why it does not (a database someone
 * configured, PostgreSQL), and logs what it loaded.
 */
export async function serveDemo(
  log: RuntimeLog,
  db: CallRecordDatabase,
  clock: Clock,
  where: { db: string; fromEnv: boolean },
): Promise<void> {
  const refused = demoRefusal(where.db, where.fromEnv);
  if (refused !== undefined) {
    log.info(`demo: not loaded: ${refused}; serving the database as it is`);
    return;
  }
  log.info('demo: loading the demo tenant if the database is empty');
  const outcome = await loadDemoData(db, clock);
  if (!outcome.loaded) {
    log.info({ records: outcome.records }, 'demo: the database already holds records; no demo data loaded');
    return;
  }
  const { summary, calls, from, to, seconds } = outcome;
  const level = summary.rejected > 0 ? 'warn' : 'info';
  log[level](
    {
      calls,
      records: summary.received,
      inserted: summary.inserted,
      updated: summary.updated,
      rejected: summary.rejected,
      from,
      to,
      seconds: Number(seconds.toFixed(2)),
    },
    `demo: loaded ${calls} calls (${summary.received} record versions, ${from.slice(0, 10)} to ${to.slice(0, 10)}) in ${seconds.toFixed(1)} s`,
  );
}

// The demo is made-up data: it goes only where a newcomer trying `npm start` expects it, never into a database
// someone configured (CALLRECORDS_DB) or into PostgreSQL, which is where real archives live.
function demoRefusal(db: string, fromEnv: boolean): string | undefined {
  if (!db.startsWith('sqlite:')) return 'the demo only goes into a SQLite database, never into PostgreSQL';
  if (fromEnv && db !== DEFAULT_DATABASE_URL) {
    return `the database comes from CALLRECORDS_DB; the demo only goes into the default ${DEFAULT_DATABASE_URL} or a --db given on the command line`;
  }
  return undefined;
}
