/**
 * When generated calls start: spread over the window the way an office works — busy on weekday working hours with a
 * dip at lunch, quiet at night and at weekends. The window is cut into hours weighted by that profile; call `i` of `n`
 * starts at the `(i + u) / n` quantile of the weights (u drawn), so start times rise through the output and the
 * schedule needs no memory beyond the hour table.
 */
import { HOUR } from './graph-values.js';
import type { SeededRandom } from './seeded-random.js';

/** Relative call volume by UTC hour on a working day. */
const WORKDAY = [0.3, 0.2, 0.2, 0.2, 0.3, 0.5, 1.5, 4, 9, 10, 10, 9, 6, 9, 10, 10, 8, 5, 3, 1.5, 1, 0.8, 0.5, 0.4];
const WEEKEND_SHARE = 0.06;

/** Start times for `calls` calls in the `days` days from `fromMs`, in order. */
export class CallSchedule {
  private readonly cumulative: number[] = [];
  private hour = 0;

  constructor(
    private readonly fromMs: number,
    days: number,
    private readonly calls: number,
  ) {
    let total = 0;
    for (let h = 0; h < days * 24; h++) {
      const at = new Date(fromMs + h * HOUR);
      const weekend = at.getUTCDay() === 0 || at.getUTCDay() === 6;
      total += WORKDAY[at.getUTCHours()]! * (weekend ? WEEKEND_SHARE : 1);
      this.cumulative.push(total);
    }
  }

  /** The start of call `i` (0-based; ask in order). */
  startOf(i: number, rng: SeededRandom): number {
    const total = this.cumulative[this.cumulative.length - 1]!;
    const target = ((i + rng.next()) / this.calls) * total;
    while (this.hour < this.cumulative.length - 1 && this.cumulative[this.hour]! <= target) this.hour++;
    const before = this.hour === 0 ? 0 : this.cumulative[this.hour - 1]!;
    const within = (target - before) / (this.cumulative[this.hour]! - before);
    return this.fromMs + Math.floor((this.hour + within) * HOUR);
  }
}
