import { ipv4ToNumber, spanOf, type Building } from './building-file.js';

/** Finds the building whose network holds an address (the networks do not overlap: building-file.ts checks it). */
export class BuildingMap {
  private readonly starts: number[];
  private readonly ends: number[];
  private readonly buildings: Building[];

  constructor(buildings: readonly Building[]) {
    const spans = buildings.map((b) => ({ b, ...spanOf(b) })).sort((x, y) => x.start - y.start);
    this.starts = spans.map((s) => s.start);
    this.ends = spans.map((s) => s.end);
    this.buildings = spans.map((s) => s.b);
  }

  /** How many networks the map holds. */
  get size(): number {
    return this.buildings.length;
  }

  /**
   * The building of a stream's endpoint: the one holding its subnet, or its IP address when it reports no subnet
   * (CQD maps by subnet); undefined when none holds it.
   */
  find(subnet: string | null, ipAddress: string | null): Building | undefined {
    if (this.buildings.length === 0) return undefined;
    return this.holding(ipv4ToNumber(subnet !== null ? subnet : ipAddress));
  }

  private holding(address: number | undefined): Building | undefined {
    if (address === undefined) return undefined;
    let lo = 0;
    let hi = this.starts.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid]! <= address) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found >= 0 && address <= this.ends[found]! ? this.buildings[found] : undefined;
  }
}

/** No buildings: every stream maps to none. */
export const NO_BUILDINGS = new BuildingMap([]);
