import type { Clock } from '../clock.js';

/**
 * Resolves after `ms` of the clock's time (at once for 0 or less). The timer keeps the process alive, so a command
 * waiting for Graph does not end early; a stopped job stops waiting through `signal`.
 */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted === true) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      timer.cancel();
      resolve();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
