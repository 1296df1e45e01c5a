import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Clock, TimerHandle } from './clock.js';

// Node's largest delay; a longer (or non-numeric, or below 1) delay becomes 1 ms, as with Node's timers.
const TIMEOUT_MAX = 2 ** 31 - 1;

interface FakeTimer {
  due: number;
  /** Set for an interval: its period. */
  every: number | undefined;
  /** Creation order, renewed when an interval is rescheduled: timers due at the same instant fire in this order. */
  order: number;
  callback: () => unknown;
}

/**
 * A clock for tests: `now()` stays where it was put until `advance(ms)` moves it, firing the timers that fall due on
 * the way in the order they are due, each at its own instant, awaiting a callback that returns a promise. Nothing
 * here waits for real time.
 */
export class FakeClock implements Clock {
  #now: number;
  #timers = new Set<FakeTimer>();
  #created = 0;
  #advancing = false;

  constructor(start: Date | string | number) {
    this.#now = new Date(start).getTime();
    if (Number.isNaN(this.#now)) throw new RangeError(`FakeClock: not a date: ${String(start)}`);
  }

  now(): Date {
    return new Date(this.#now);
  }

  setTimeout(callback: () => unknown, ms: number): TimerHandle {
    return this.#schedule(callback, ms, false);
  }

  setInterval(callback: () => unknown, ms: number): TimerHandle {
    return this.#schedule(callback, ms, true);
  }

  /** How many timers are waiting to fire (a stopped job leaves none). */
  get pendingTimers(): number {
    return this.#timers.size;
  }

  /**
   * Moves time forward by `ms`, firing every timer that falls due by then, including those the callbacks set. Before
   * each timer, one turn of the event loop lets the promises and I/O callbacks set off so far run, so work a callback
   * started can set its next timer. A callback that throws (or rejects) stops the advance there and rejects it, as an
   * uncaught error would end the process. One advance at a time.
   */
  async advance(ms: number): Promise<void> {
    if (!(ms >= 0)) throw new RangeError(`FakeClock.advance: ms must be ≥ 0, not ${ms}`);
    if (this.#advancing) throw new Error('FakeClock.advance: an advance is already running');
    this.#advancing = true;
    try {
      const until = this.#now + ms;
      for (let timer = await this.#nextDue(until); timer !== undefined; timer = await this.#nextDue(until)) {
        this.#now = timer.due;
        if (timer.every === undefined) this.#timers.delete(timer);
        else Object.assign(timer, { due: timer.due + timer.every, order: this.#created++ });
        await timer.callback();
      }
      this.#now = until;
    } finally {
      this.#advancing = false;
    }
  }

  #schedule(callback: () => unknown, ms: number, repeat: boolean): TimerHandle {
    const delay = ms >= 1 && ms <= TIMEOUT_MAX ? Math.trunc(ms) : 1;
    const timer: FakeTimer = {
      due: this.#now + delay,
      every: repeat ? delay : undefined,
      order: this.#created++,
      callback,
    };
    this.#timers.add(timer);
    return { cancel: () => this.#timers.delete(timer) };
  }

  async #nextDue(until: number): Promise<FakeTimer | undefined> {
    await nextTurn();
    let next: FakeTimer | undefined;
    for (const timer of this.#timers) {
      if (timer.due > until) continue;
      if (next === undefined || timer.due < next.due || (timer.due === next.due && timer.order < next.order)) {
        next = timer;
      }
    }
    return next;
  }
}
