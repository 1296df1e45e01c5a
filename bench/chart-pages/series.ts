/**
 * The chart both pages draw: the daily poor stream % of audio, video and screen sharing over POOR_TREND_DAYS days, as
 * the overview's trend shows it. Seeded, so both libraries draw the same points on every run.
 */

/** Days in the chart. */
export const POOR_TREND_DAYS = 365;

/** One line of the chart. */
export interface TrendSeries {
  label: string;
  color: string;
  /** Poor stream % per day. */
  values: number[];
}

/** The x values (UTC midnights, seconds since the epoch) and the three lines. */
export interface PoorTrend {
  days: number[];
  series: TrendSeries[];
}

const FIRST_DAY = Date.UTC(2025, 11, 1) / 1000;

/** The seeded trend: a base level per media type, a weekly swing and noise. */
export function poorTrend(): PoorTrend {
  let state = 20240301;
  const random = () => {
    // xorshift32: small, seeded, and the same in every browser.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  const days = Array.from({ length: POOR_TREND_DAYS }, (_, i) => FIRST_DAY + i * 86_400);
  const line = (label: string, color: string, base: number): TrendSeries => ({
    label,
    color,
    values: days.map((_, i) => Math.round((base + Math.sin((i * 2 * Math.PI) / 7) + random() * 2) * 100) / 100),
  });
  return {
    days,
    series: [line('Audio', '#1f77b4', 3), line('Video', '#ff7f0e', 5), line('Screen sharing', '#2ca02c', 2)],
  };
}

/**
 * Tells the benchmark the page's own code has started: its imports (the library) are loaded and evaluated by then,
 * so the time from here to `chart-drawn` is the library's drawing.
 */
export function markStart(): void {
  performance.mark('chart-start');
}

/** Tells the benchmark the chart is drawn: a performance mark it reads after the load. */
export function markDrawn(): void {
  if (performance.getEntriesByName('chart-drawn').length === 0) performance.mark('chart-drawn');
}
