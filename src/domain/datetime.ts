/**
 * Edm.DateTimeOffset and Edm.Duration as they appear on the wire (https://learn.microsoft.com/graph/api/resources/callrecords-callrecord): ISO-8601 strings.
 *
 * Call records carry up to 7 fractional digits ("2020-02-25T18:52:21.2169889Z") and clients send offsets
 * ("2023-09-25T10:25:00+01:00"), which JavaScript's Date cannot hold exactly. Indexes and filters therefore use a
 * sortable UTC form with exactly 7 fractional digits, compared as text: `2020-02-25T18:52:21.2169889Z`.
 */

// OData ABNF dateTimeOffsetValue: seconds and fraction optional, "Z" or a ±hh:mm offset.
const DATE_TIME_OFFSET =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,12}))?)?([Zz]|[+-]\d{2}:\d{2})$/;

// OData/XML Schema duration: [-]P[nY][nM][nW][nD][T[nH][nM][n[.n]S]], at least one component.
const DURATION = /^-?P(?=\d|T\d)(?:\d+Y)?(?:\d+M)?(?:\d+W)?(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?$/;

const MS_PER_MINUTE = 60_000;

/**
 * Returns the sortable UTC form of an Edm.DateTimeOffset literal, or undefined when it is not one
 * (bad shape, impossible date such as February 30, or out of the years 0001–9999 after applying the offset).
 */
export function toSortableUtc(value: string): string | undefined {
  const m = DATE_TIME_OFFSET.exec(value);
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s = '00', frac = '', zone = 'Z'] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const fraction = frac.slice(0, 7).padEnd(7, '0');
  // Already UTC (what Graph sends): no arithmetic needed.
  if (zone === 'Z' || zone === 'z') return `${y}-${mo}-${d}T${h}:${mi}:${s}.${fraction}Z`;
  const oh = Number(zone.slice(1, 3));
  const om = Number(zone.slice(4, 6));
  if (oh > 23 || om > 59) return undefined;
  const offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (oh * 60 + om);
  const local = new Date(0);
  local.setUTCFullYear(year, month - 1, day);
  local.setUTCHours(hour, minute, second, 0);
  const utc = new Date(local.getTime() - offsetMinutes * MS_PER_MINUTE);
  const utcYear = utc.getUTCFullYear();
  if (utcYear < 1 || utcYear > 9999) return undefined;
  return `${utc.toISOString().slice(0, 19)}.${fraction}Z`;
}

/** True when the value is an Edm.DateTimeOffset literal that names a real instant. */
export function isDateTimeOffset(value: string): boolean {
  return toSortableUtc(value) !== undefined;
}

/** True when the value is an ISO-8601 Edm.Duration such as "PT0.016S". */
export function isDuration(value: string): boolean {
  return DURATION.test(value);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
