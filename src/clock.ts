/** A pending timer; `cancel()` stops it from firing (again), and is harmless once it has fired or been cancelled. */
export interface TimerHandle {
  cancel(): void;
}

/** How a timer treats the process. */
export interface TimerOptions {
  /**
   * Let the process exit while this timer waits (Node's `unref`): for background work whose owner stops it anyway,
   * never for a wait that a command's result depends on, or the command would end early and silently.
   */
  unref?: boolean;
}

/**
 * The source of time for everything that stamps it (receive times, error dates) or waits for it (background jobs):
 * `now()`, and timeouts and intervals that fire after `ms` milliseconds of this clock's time. Production uses
 * `systemClock`; tests inject a `FakeClock` (src/fake-clock.ts), fixed until they advance it.
 */
export interface Clock {
  now(): Date;
  /** Calls `callback` once, `ms` from now (less than 1 counts as 1, as in Node). */
  setTimeout(callback: () => unknown, ms: number, options?: TimerOptions): TimerHandle;
  /** Calls `callback` every `ms` from now on until cancelled (less than 1 counts as 1, as in Node). */
  setInterval(callback: () => unknown, ms: number, options?: TimerOptions): TimerHandle;
}

/** The wall clock, with Node's timers. */
export const systemClock: Clock = {
  now: () => new Date(),
  setTimeout: (callback, ms, options) => nodeTimer(setTimeout(callback, ms), clearTimeout, options),
  setInterval: (callback, ms, options) => nodeTimer(setInterval(callback, ms), clearInterval, options),
};

function nodeTimer(
  timer: NodeJS.Timeout,
  clear: (timer: NodeJS.Timeout) => void,
  options: TimerOptions | undefined,
): TimerHandle {
  if (options?.unref === true) timer.unref();
  return { cancel: () => clear(timer) };
}
