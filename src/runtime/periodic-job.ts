import type { Clock } from '../clock.js';
import type { BackgroundJob } from './runtime.js';

/** What `periodicJob` runs, and how often. */
export interface PeriodicJobOptions {
  clock: Clock;
  /** Time between the starts of two passes. */
  intervalMs: number;
  /** One pass of the work. */
  run: () => Promise<void>;
  /** Told of a pass that failed; the next pass runs as planned. */
  onError: (error: Error) => void;
}

/**
 * A job that runs a pass at start and then every `intervalMs` of the clock, one pass at a time: a tick that comes
 * while a pass is still running is skipped, not queued. `stop()` cancels the timer and waits for a running pass.
 * The timer does not keep the process alive; the runtime stops the job.
 */
export function periodicJob(options: PeriodicJobOptions): BackgroundJob {
  let running: Promise<void> | undefined;
  let timer: { cancel(): void } | undefined;
  let stopped = false;
  const pass = () => {
    // A tick while a pass runs is skipped, and hands back nothing to wait for.
    if (stopped || running !== undefined) return undefined;
    running = options
      .run()
      .catch((error: unknown) => options.onError(error instanceof Error ? error : new Error(String(error))))
      .finally(() => (running = undefined));
    return running;
  };
  return {
    start() {
      if (stopped || timer !== undefined) return;
      void pass();
      // A tick hands back the pass it started, so that a fake clock's advance() waits for it.
      timer = options.clock.setInterval(pass, options.intervalMs, { unref: true });
    },
    async stop() {
      stopped = true;
      timer?.cancel();
      await running;
    },
  };
}
