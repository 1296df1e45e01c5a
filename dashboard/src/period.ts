/** A period of whole UTC days: `from` inclusive, `to` exclusive (yyyy-mm-dd), as the analytics API takes them. */
export interface Period {
  from: string;
  to: string;
}

const DAY_MS = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The yyyy-mm-dd of a Date, in UTC. */
export function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The day `days` after `date` (yyyy-mm-dd). */
export function addDays(date: string, days: number): string {
  return day(new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS));
}

/** The days of a period, in order. */
export function daysOf(period: Period): string[] {
  const days: string[] = [];
  for (let d = period.from; d < period.to; d = addDays(d, 1)) days.push(d);
  return days;
}

/** The period the URL names (`from`, `to`), else the 30 days up to and including today. */
export function periodOf(params: URLSearchParams, now = new Date()): Period {
  const to = params.get('to');
  const from = params.get('from');
  const end = to !== null && DATE.test(to) ? to : addDays(day(now), 1);
  const start = from !== null && DATE.test(from) && from < end ? from : addDays(end, -30);
  return { from: start, to: end };
}

/** An analytics filter term for a period (`date ge … and date lt …`). */
export function periodFilter(period: Period): string {
  return `date ge ${period.from} and date lt ${period.to}`;
}
