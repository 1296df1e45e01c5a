import type { Clock, TimerHandle, TimerOptions } from '../clock.js';

/**
 * A clock that runs `speed` times faster than `base` from the moment it is made: `now()` is the base's start plus
 * `speed` times the base time elapsed since, and a timer of `ms` waits `ms / speed` of the base's time. Speed 1
 * is the base clock itself. The simulator's time (when records appear, receive times) runs on it; its rate limits
 * stay on the base clock, since Graph counts real seconds.
 */
export function scaledClock(base: Clock, speed: number): Clock {
  if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError(`speed must be a positive number, not ${speed}`);
  if (speed === 1) return base;
  const origin = base.now().getTime();
  return {
    now: () => new Date(origin + (base.now().getTime() - origin) * speed),
    setTimeout: (callback: () => unknown, ms: number, options?: TimerOptions): TimerHandle =>
      base.setTimeout(callback, ms / speed, options),
    setInterval: (callback: () => unknown, ms: number, options?: TimerOptions): TimerHandle =>
      base.setInterval(callback, ms / speed, options),
  };
}
