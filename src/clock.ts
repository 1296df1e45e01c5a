/** The source of "now" for everything that stamps time (receive times, error dates); tests inject a fixed one. */
export interface Clock {
  now(): Date;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => new Date() };
