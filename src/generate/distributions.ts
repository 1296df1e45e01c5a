/** Draws from the distributions the generator needs, all from one seeded source (no hidden randomness). */
import type { SeededRandom } from './seeded-random.js';

/** A list of choices with relative weights: `[['wired', 35], ['wifi', 50], ['mobile', 15]]`. */
export type Weighted<T> = readonly (readonly [T, number])[];

/** One choice of a weighted list, drawn with probability weight / sum of weights. */
export function pickWeighted<T>(rng: SeededRandom, choices: Weighted<T>): T {
  let total = 0;
  for (const [, w] of choices) total += w;
  let u = rng.next() * total;
  for (const [value, w] of choices) {
    u -= w;
    if (u < 0) return value;
  }
  return choices[choices.length - 1]![0];
}

/** A standard normal value (Box–Muller; two draws). */
export function normal(rng: SeededRandom): number {
  const u = 1 - rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

/** A log-normal value with the given median and spread (sigma of the logarithm): long right tail, always > 0. */
export function logNormal(rng: SeededRandom, median: number, sigma: number): number {
  return median * Math.exp(sigma * normal(rng));
}

/** A log-normal value kept inside [min, max]. */
export function logNormalIn(rng: SeededRandom, median: number, sigma: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, logNormal(rng, median, sigma)));
}
