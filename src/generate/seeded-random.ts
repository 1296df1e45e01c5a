/**
 * A small seeded pseudo-random source for generated data (the generator's, the benchmarks' and the tests'): the same
 * seed gives the same records on every machine and every run (house style: no hidden randomness). Not for anything
 * security-related.
 */

/** A deterministic random source; every helper draws from the one 32-bit state sequence. */
export interface SeededRandom {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both ends included. */
  int(min: number, max: number): number;
  /** A float in [min, max). */
  float(min: number, max: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
  /** A lower-case version-4-shaped GUID. */
  guid(): string;
  /** `digits` decimal digits, leading zeros kept. */
  digits(digits: number): string;
}

const UINT32 = 2 ** 32;

/**
 * Returns a random source seeded with `seed`. The generator is a 32-bit xorshift whose seed is first spread by a
 * multiply-xor mix, so that neighbouring seeds (1, 2, 3) give unrelated sequences.
 */
export function seededRandom(seed: number): SeededRandom {
  let state = mix(seed >>> 0) || 0x9e3779b9;
  const nextUint32 = (): number => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
  const next = () => nextUint32() / UINT32;
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const hex = (n: number) => {
    let out = '';
    while (out.length < n) out += nextUint32().toString(16).padStart(8, '0');
    return out.slice(0, n);
  };
  return {
    next,
    int,
    float: (min, max) => min + next() * (max - min),
    chance: (p) => next() < p,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[int(0, items.length - 1)] as T;
    },
    guid: () => {
      const h = hex(32);
      const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
    },
    digits: (n) => {
      let out = '';
      for (let i = 0; i < n; i++) out += String(int(0, 9));
      return out;
    },
  };
}

function mix(x: number): number {
  let z = (x + 0x6d2b79f5) >>> 0;
  z = Math.imul(z ^ (z >>> 15), z | 1) >>> 0;
  z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
  return (z ^ (z >>> 14)) >>> 0;
}
