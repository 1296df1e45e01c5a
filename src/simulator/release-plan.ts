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

/** A change notification due at `at`; `created` ones may come before the record is visible (404 until ready). */
export interface PlannedNotice {
  id: string;
  at: number;
  changeType: 'created' | 'updated';
}

/** The seeded delays the plan draws for one record id. */
function delaysOf(id: string, seed: number): { availableAfter: number; noticeAfter: number } {
  const rng = seededRandom((hash(id) ^ seed) >>> 0);
  return { availableAfter: rng.int(15 * MINUTE, 60 * MINUTE), noticeAfter: rng.int(0, 2 * MINUTE) };
}

/**
 * The instant a record version becomes visible: with the `404` fault, 15–60 minutes (seeded per id) after its
 * `endDateTime`, else at `endDateTime`; with the `updated` fault a later version waits also for its own
 * `lastModifiedDateTime`. `undefined` when the record has no readable `endDateTime`.
 */
export function releaseTime(record: Record<string, unknown>, faults: Faults, seed: number): number | undefined {
  const end = Date.parse(String(record.endDateTime));
  if (Number.isNaN(end) || typeof record.id !== 'string') return undefined;
  const base = faults['404'] ? end + delaysOf(record.id, seed).availableAfter : end;
  const modified = Date.parse(String(record.lastModifiedDateTime));
  return faults.updated && !Number.isNaN(modified) ? Math.max(base, modified) : base;
}

/**
 * The instant Graph sends the `created` notification for a record: a moment (0–2 minutes, seeded) after the call
 * ends with the `404` fault — before the record can be read — else when it becomes visible.
 */
export function createdNoticeTime(record: Record<string, unknown>, faults: Faults, seed: number, at: number): number {
  if (!faults['404']) return at;
  const end = Date.parse(String(record.endDateTime));
  return Math.min(at, end + delaysOf(String(record.id), seed).noticeAfter);
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
