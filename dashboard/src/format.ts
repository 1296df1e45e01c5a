/** A percentage as shown everywhere: two decimals and a % sign; an unknown value (no classified stream) is "–". */
export function percent(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : `${value.toFixed(2)} %`;
}

/** A count with thousands separators. */
export function count(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : Math.round(value).toLocaleString('en-US');
}

/** A number with up to `digits` decimals, or "–". */
export function decimal(value: number | null | undefined, digits = 2): string {
  return value === null || value === undefined ? '–' : String(Number(value.toFixed(digits)));
}

/** An ISO date-time as `2026-09-01 10:00:05 UTC` (the archive's times are UTC; so is the dashboard). */
export function dateTime(value: string | null | undefined): string {
  if (value === null || value === undefined) return '–';
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})/.exec(value);
  return match === null ? value : `${match[1]} ${match[2]} UTC`;
}

/** A duration in milliseconds as `1 h 02 min`, `3 min 05 s` or `12 s`. */
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s >= 3600) return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
  if (s >= 60) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${s} s`;
}
