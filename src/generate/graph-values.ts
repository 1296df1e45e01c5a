/** The wire forms of generated values (https://learn.microsoft.com/graph/api/resources/callrecords-callrecord): timestamps with 7 fractional digits, ISO-8601 durations. */

/** A JSON object as the generator builds it. */
export type JsonObject = Record<string, unknown>;

/** Milliseconds in a second, a minute, an hour, a day: generated times are epoch milliseconds. */
export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/**
 * A Graph-style timestamp with 7 fractional digits: `2024-03-01T08:00:00.1234567Z`. The last four digits come from
 * the instant itself, so an instant always reads the same (a segment starts exactly when its session does) and the
 * text sorts as the milliseconds do.
 */
export function graphTime(ms: number): string {
  const sub = Math.imul((ms % 1_000_003) | 0, 0x9e3779b1) >>> 0;
  return `${new Date(ms).toISOString().slice(0, -1)}${String(sub % 10_000).padStart(4, '0')}Z`;
}

/** An ISO-8601 duration of `seconds` with millisecond precision: `PT0.012S`. */
export function isoSeconds(seconds: number): string {
  return `PT${seconds.toFixed(3)}S`;
}

/** `value` rounded to `places` decimals, as a number. */
export function round(value: number, places: number): number {
  const f = 10 ** places;
  return Math.round(value * f) / f;
}
