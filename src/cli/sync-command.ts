import { wholeNumber } from './whole-number.js';
import { setMaxListeners } from 'node:events';
import pino from 'pino';
import { systemClock } from '../clock.js';
import { createCollector } from '../collector/collector.js';
import { sleep } from '../collector/sleep.js';
import { backfill } from '../collector/sweeper.js';
import { pullAllLogs } from '../collector/log-pull.js';
import { openDatabaseOption, type DatabaseOptions } from './database-options.js';
import { syncConfig, type GraphSyncOptions } from './sync-config.js';

/** The options of `callrecords sync`. */
export type SyncOptions = DatabaseOptions &
  GraphSyncOptions & { /** `--euii-days` (src/privacy/). */ euiiDays?: string };

/**
 * `callrecords sync --backfill-days N`: lists the last N days (at most 30) of Graph's call records, fetches every
 * record the archive lacks or holds at an older version, waits until the queue is empty, prints a summary (JSON on
 * stdout; progress as log lines on stderr) and resolves to 0 — or 1 when some records could not be fetched (they
 * stay in the queue as failed, with the reason; see `GET /api/sync/status`). Cut short (a signal, a crash), it
 * resumes where it stopped when run again.
 */
export async function syncCommand(opts: SyncOptions, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const euiiDays = opts.euiiDays === undefined ? undefined : wholeNumber(opts.euiiDays, '--euii-days', 1);
  const config = { ...syncConfig(opts), euiiDays };
  const days = config.backfillDays ?? 30;
  const log = pino({ level: 'info' }, pino.destination(2));
  const database = await openDatabaseOption(opts);
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  const stop = () => controller.abort();
  process.once('SIGINT', stop).once('SIGTERM', stop);
  try {
    const clock = systemClock;
    const collector = createCollector(config, database, { clock, fetch: globalThis.fetch, log }, controller.signal);
    const failedBefore = (await database.sync.queueStats(clock.now().getTime())).failed;
    const findings = await backfill(collector.sweepDeps, collector.owner, days);
    // The telephony logs (issue 14): every kind from its cursor, or N days back the first time (log-pull.ts).
    const logs = await pullAllLogs(collector.logDeps, collector.owner, days);
    let fetched = 0;
    for (;;) {
      fetched += await collector.worker.runUntilIdle();
      const stats = await database.sync.queueStats(clock.now().getTime());
      if (stats.queued + stats.leased === 0 || controller.signal.aborted) {
        const failed = stats.failed - failedBefore;
        const summary = { ...findings, fetched, failed, left: stats.queued + stats.leased, logs };
        out.write(`${JSON.stringify(summary)}\n`);
        return failed > 0 || summary.left > 0 ? 1 : 0;
      }
      await sleep(clock, collector.worker.settings.idlePollMs, controller.signal);
    }
  } finally {
    process.off('SIGINT', stop).off('SIGTERM', stop);
    await database.close();
  }
}
