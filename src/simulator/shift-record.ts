/** An ISO date-time string value in JSON text, split at the whole seconds: `"2026-01-05T10:00:00` + `.1234567Z"`. */
const DATE_TIME = /"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d{1,7})?Z"/g;

/**
 * A copy of a record moved in time by `deltaMs` (rounded to whole seconds): every UTC date-time string in it is
 * shifted alike, fractions of a second kept as written, so durations, order and validity stay as they were.
 */
export function shiftRecord(record: Record<string, unknown>, deltaMs: number): Record<string, unknown> {
  const delta = Math.round(deltaMs / 1000) * 1000;
  if (delta === 0) return record;
  const text = JSON.stringify(record).replace(DATE_TIME, (_match, seconds: string, fraction: string | undefined) => {
    const moved = new Date(Date.parse(`${seconds}Z`) + delta).toISOString().slice(0, 19);
    return `"${moved}${fraction ?? ''}Z"`;
  });
  return JSON.parse(text) as Record<string, unknown>;
}

/**
 * With `--speed N`, where a call that starts at `startMs`, after the tenant was loaded at `loadedMs`, takes place:
 * the future part of the window is replayed N times faster, so the call starts at `loadedMs + (startMs − loadedMs)
 * / N` (and keeps its length). Calls that started before then stay where they are.
 */
export function replayShift(startMs: number, loadedMs: number, speed: number): number {
  if (speed === 1 || !(startMs > loadedMs)) return 0;
  return (loadedMs - startMs) * (1 - 1 / speed);
}
