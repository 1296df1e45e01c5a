import { toSortableUtc } from '../domain/datetime.js';

/** Small readers of Graph JSON values for the stream table (a value of the wrong type reads as missing). */

/** A JSON object, loosely. */
export type Json = Record<string, unknown>;

// Days, hours, minutes, seconds of an Edm.Duration (years and months have no fixed length: not read).
const DURATION = /^(-)?P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** An Edm.Duration (`PT0.015S`) in milliseconds; null when missing or not a day-time duration. */
export function durationMs(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  // What Graph sends: seconds only (`PT0.016S`), read without the regular expression.
  if (value.startsWith('PT') && value.endsWith('S')) {
    const seconds = Number(value.slice(2, -1));
    if (Number.isFinite(seconds) && value.length > 3 && !value.includes('M') && !value.includes('H')) {
      return Math.round(seconds * 1e9) / 1e6;
    }
  }
  const m = DURATION.exec(value);
  if (m === null || value === 'P' || value.endsWith('T')) return null;
  const [, minus, d, h, mi, s] = m;
  const ms = (Number(d ?? 0) * 86_400 + Number(h ?? 0) * 3_600 + Number(mi ?? 0) * 60 + Number(s ?? 0)) * 1000;
  // Rounded to a nanosecond: floating-point noise, not a measured difference (30 ms must stay exactly 30).
  const rounded = Math.round(ms * 1e6) / 1e6;
  return minus === '-' ? -rounded : rounded;
}

/** A number, or null. */
export function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** A whole number, or null (a fraction is rounded). */
export function int(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? Math.round(value) : null;
}

/** A string, or null. */
export function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** A boolean as 0/1, or null. */
export function flag(value: unknown): number | null {
  return typeof value === 'boolean' ? (value ? 1 : 0) : null;
}

/** An object member that is itself an object, or undefined. */
export function obj(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

/** An array of objects (other entries dropped); empty when not an array. */
export function objects(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter((v): v is Json => obj(v) !== undefined) : [];
}

/** A date-time in the sortable UTC form (src/domain/datetime.ts), or null. */
export function timeKey(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  // Already sortable (what Graph sends, 7 fractional digits and Z): as it is.
  if (value.length === 28 && SORTABLE.test(value)) return value;
  return toSortableUtc(value) ?? null;
}

const SORTABLE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/;
