/**
 * When each version of a record becomes visible in the simulated tenant, and when Graph announces it
 * (https://learn.microsoft.com/graph/api/resources/callrecords-api-overview: a record is available some time after the
 * call ends, and "may be updated" later with a higher `version`). Seeded: the same seed gives the same times.
 */
import { seededRandom } from '../generate/seeded-random.js';
import type { Faults } from './faults.js';

const MINUTE = 60_000;

/** A record version and the instant (ms since the epoch, simulated time) it becomes visible. */
export interface PlannedRelease {
  id: string;
  record: Record<string, unknown>;
  at: number;
}

/** A record announced (`created`) at `at`, before it is visible: the `404` fault's early notification. */
export interface PlannedNotice {
  id: string;
  at: number;
}

/** The seeded delays the plan draws for one record id. */
function delaysOf(id: string, seed: number): { availableAfter: number; noticeAfter: number } {
  const rng = seededRandom((hash(id) ^ seed) >>> 0);
  return { availableAfter: rng.int(15 * MINUTE, 60 * MINUTE), noticeAfter: rng.int(0, 2 * MINUTE) };
}

/**
 * The instant a record version becomes visible: with the `404` fault, 15–60 minutes (seeded per id) after its
 * `endDateTime`, else at `endDateTime`; with the `updated` fault a later version waits also until its own
 * `lastModifiedDateTime`. Every wait after the call's end is divided by `speed`. `undefined` when the record has no
 * id or no readable `endDateTime`.
 */
export function releaseTime(
  record: Record<string, unknown>,
  faults: Faults,
  seed: number,
  speed: number,
): number | undefined {
  const end = Date.parse(String(record.endDateTime));
  if (Number.isNaN(end) || typeof record.id !== 'string') return undefined;
  let wait = faults['404'] ? delaysOf(record.id, seed).availableAfter : 0;
  const modified = Date.parse(String(record.lastModifiedDateTime));
  if (faults.updated && !Number.isNaN(modified)) wait = Math.max(wait, modified - end);
  return end + wait / speed;
}

/**
 * With the `404` fault, the instant Graph announces a record (`created`): 0–2 minutes (seeded, divided by `speed`)
 * after its call ends, before it can be read. Without it the archive announces a record when it is written.
 */
export function earlyNoticeTime(record: Record<string, unknown>, seed: number, speed: number): number {
  const end = Date.parse(String(record.endDateTime));
  return end + delaysOf(String(record.id), seed).noticeAfter / speed;
}

// FNV-1a over the UTF-16 code units: a stable number for an id.
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Items kept in order of their instant; items due at the same instant leave in the order they came. */
export class Timeline<T extends { at: number }> {
  #items: T[] = [];

  get size(): number {
    return this.#items.length;
  }

  add(item: T): void {
    let lo = 0;
    let hi = this.#items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#items[mid]!.at <= item.at) lo = mid + 1;
      else hi = mid;
    }
    this.#items.splice(lo, 0, item);
  }

  /** Removes and returns every item due at or before `now`, in order. */
  takeDue(now: number): T[] {
    let n = 0;
    while (n < this.#items.length && this.#items[n]!.at <= now) n++;
    return this.#items.splice(0, n);
  }

  /** The instant of the next item, if any. */
  nextAt(): number | undefined {
    return this.#items[0]?.at;
  }
}
