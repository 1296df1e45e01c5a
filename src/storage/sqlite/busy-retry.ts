import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../../errors.js';

/** How long, in all, a SQLite store waits for another process's lock before it gives up (`--lock-timeout`). */
export const DEFAULT_LOCK_TIMEOUT_MS = 30_000;

/**
 * How long one attempt waits for a lock inside SQLite (`busy_timeout`). better-sqlite3 is synchronous, so SQLite's
 * own wait blocks the event loop: a server would stop answering reads while a POST waits for an import's batch. One
 * attempt waits this little; the wait between attempts is asynchronous.
 */
export const ATTEMPT_BUSY_TIMEOUT_MS = 20;

const FIRST_PAUSE_MS = 5;
const MAX_PAUSE_MS = 100;

/**
 * Whether an error (or its cause, e.g. a failed migration's) is SQLite's "another connection holds the lock":
 * `SQLITE_BUSY` and its extended codes — `SQLITE_BUSY_SNAPSHOT` is what a deferred transaction gets when it tries to
 * write after another process committed, without SQLite's busy handler ever waiting — and `SQLITE_LOCKED`.
 */
export function isBusy(error: unknown): boolean {
  for (let e = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(code)) return true;
  }
  return false;
}

/**
 * Runs `attempt` until it does not fail with a busy error, pausing (5 ms, doubling to 100 ms, with jitter) between
 * tries; after `timeoutMs` in all, gives up with `serviceNotAvailable`. `attempt` must be all or nothing (one
 * transaction, or idempotent), since a failed try is simply run again.
 */
export async function retryWhileBusy<T>(attempt: () => T | Promise<T>, timeoutMs: number): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  let pause = FIRST_PAUSE_MS;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (!isBusy(error)) throw error;
      if (performance.now() >= deadline) {
        throw new AppError(
          'serviceNotAvailable',
          `The SQLite database stayed locked by another process for ${timeoutMs / 1000} s; gave up. Retry later.`,
        );
      }
      // Jitter: processes that wait for the same lock do not all come back at the same moment.
      await sleep(pause / 2 + Math.random() * pause);
      pause = Math.min(pause * 2, MAX_PAUSE_MS);
    }
  }
}
