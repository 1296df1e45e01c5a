/** FakeClock: time stands still until advanced; advancing fires what falls due, in order, at its own instant. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { FakeClock } from '../src/fake-clock.js';

const START = Date.parse('2026-01-01T00:00:00.000Z');

interface Case {
  name: string;
  /** Sets timers; `fire(label)` notes the label with the clock's time since START. */
  arrange(clock: FakeClock, fire: (label: string) => void): void;
  /** The advances, each with what has fired by its end (cumulative). */
  steps: { advance: number; fired: string[] }[];
}

const CASES: Case[] = [
  {
    name: 'a timeout fires once, at its due time, not before',
    arrange: (clock, fire) => clock.setTimeout(() => fire('a'), 100),
    steps: [
      { advance: 99, fired: [] },
      { advance: 1, fired: ['a@100'] },
      { advance: 1000, fired: ['a@100'] },
    ],
  },
  {
    name: 'timers fire in the order they are due; those due together in the order they were set',
    arrange: (clock, fire) => {
      clock.setTimeout(() => fire('b'), 200);
      clock.setTimeout(() => fire('a1'), 100);
      clock.setTimeout(() => fire('a2'), 100);
    },
    steps: [{ advance: 500, fired: ['a1@100', 'a2@100', 'b@200'] }],
  },
  {
    name: 'an interval fires every period, interleaved with timeouts',
    arrange: (clock, fire) => {
      clock.setInterval(() => fire('tick'), 30);
      clock.setTimeout(() => fire('once'), 50);
    },
    steps: [
      { advance: 100, fired: ['tick@30', 'once@50', 'tick@60', 'tick@90'] },
      { advance: 20, fired: ['tick@30', 'once@50', 'tick@60', 'tick@90', 'tick@120'] },
    ],
  },
  {
    name: 'a cancelled timer never fires; an interval cancelled by its own callback fires no more',
    arrange: (clock, fire) => {
      clock.setTimeout(() => fire('never'), 10).cancel();
      let n = 0;
      const interval = clock.setInterval(() => {
        fire(`tick${++n}`);
        if (n === 2) interval.cancel();
      }, 10);
    },
    steps: [{ advance: 100, fired: ['tick1@10', 'tick2@20'] }],
  },
  {
    name: 'a delay below 1 (or not a number) counts as 1 ms, as in Node',
    arrange: (clock, fire) => {
      clock.setTimeout(() => fire('zero'), 0);
      clock.setTimeout(() => fire('nan'), Number.NaN);
    },
    steps: [
      { advance: 0, fired: [] },
      { advance: 1, fired: ['zero@1', 'nan@1'] },
    ],
  },
  {
    name: 'a timer set by a callback fires within the same advance when it falls due by its end',
    arrange: (clock, fire) =>
      clock.setTimeout(() => {
        fire('first');
        clock.setTimeout(() => fire('second'), 50);
        clock.setTimeout(() => fire('later'), 500);
      }, 100),
    steps: [
      { advance: 200, fired: ['first@100', 'second@150'] },
      { advance: 400, fired: ['first@100', 'second@150', 'later@600'] },
    ],
  },
  {
    name: 'an async callback is awaited before the next timer fires',
    arrange: (clock, fire) => {
      clock.setTimeout(async () => {
        await nextTurn();
        await nextTurn();
        fire('slow');
      }, 10);
      clock.setTimeout(() => fire('next'), 10);
    },
    steps: [{ advance: 10, fired: ['slow@10', 'next@10'] }],
  },
  {
    name: 'work set off before the advance gets to set its timer first',
    arrange: (clock, fire) => void Promise.resolve().then(() => clock.setTimeout(() => fire('late-set'), 10)),
    steps: [{ advance: 10, fired: ['late-set@10'] }],
  },
];

describe('FakeClock', () => {
  for (const c of CASES) {
    test(c.name, async () => {
      const clock = new FakeClock(START);
      const fired: string[] = [];
      c.arrange(clock, (label) => fired.push(`${label}@${clock.now().getTime() - START}`));
      let elapsed = 0;
      for (const step of c.steps) {
        await clock.advance(step.advance);
        elapsed += step.advance;
        assert.deepEqual(fired, step.fired, `after ${elapsed} ms`);
        assert.equal(clock.now().getTime(), START + elapsed, 'the clock ends where it was advanced to');
      }
    });
  }

  test('now() stands still until advanced, and hands out a copy', () => {
    const clock = new FakeClock('2026-01-01T00:00:00Z');
    const first = clock.now();
    first.setTime(0);
    assert.equal(clock.now().toISOString(), '2026-01-01T00:00:00.000Z');
  });

  test('a callback that throws rejects the advance at that timer', async () => {
    const clock = new FakeClock(START);
    const fired: number[] = [];
    clock.setTimeout(() => {
      throw new Error('boom');
    }, 10);
    clock.setTimeout(() => fired.push(20), 20);
    await assert.rejects(clock.advance(100), /boom/);
    assert.equal(clock.now().getTime(), START + 10);
    assert.deepEqual(fired, []);
  });

  test('pendingTimers counts what is waiting; advancing backwards or twice at once is refused', async () => {
    const clock = new FakeClock(START);
    const handle = clock.setInterval(() => undefined, 10);
    clock.setTimeout(() => undefined, 5);
    assert.equal(clock.pendingTimers, 2);
    await clock.advance(5);
    assert.equal(clock.pendingTimers, 1);
    handle.cancel();
    assert.equal(clock.pendingTimers, 0);
    await assert.rejects(clock.advance(-1), RangeError);
    const first = clock.advance(1);
    await assert.rejects(clock.advance(1), /already running/);
    await first;
  });

  test('a start that is not a date is refused', () => {
    assert.throws(() => new FakeClock('yesterday'), RangeError);
  });
});
