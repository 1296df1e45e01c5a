/**
 * The retention job on a FakeClock: a pass at start and then one per interval, each with the cutoff the clock gives,
 * one pass at a time, logged; stop() waits for a running pass and leaves no timer behind. No real time passes.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../src/fake-clock.js';
import { Runtime, type RuntimeLog } from '../src/runtime/runtime.js';
import { retentionJob, type ExpiringStore } from '../src/service/retention.js';

const HOUR = 3_600_000;
const START = '2025-03-31T00:00:00.000Z';

/** A store whose expire() notes each cutoff and answers with `removed`, or waits for `gate` when one is set. */
class FakeStore implements ExpiringStore {
  cutoffs: string[] = [];
  gate: Promise<void> | undefined;
  failNext = false;

  async expire(cutoff: string): Promise<number> {
    this.cutoffs.push(cutoff);
    if (this.gate !== undefined) await this.gate;
    if (this.failNext) {
      this.failNext = false;
      throw new Error('database unreachable');
    }
    return 2;
  }
}

/** A log that keeps each line as `{ msg, ...fields }`, and lets a test wait for the next line. */
function recordingLog() {
  const lines: Record<string, unknown>[] = [];
  let waiting: (() => void) | undefined;
  const note =
    (level: string) =>
    (fields: unknown, msg?: string): void => {
      lines.push({ level, msg, ...(fields as object) });
      waiting?.();
    };
  const log: RuntimeLog = { info: note('info'), warn: note('warn'), error: note('error') };
  const nextLine = () => new Promise<void>((resolve) => (waiting = resolve));
  return { log, lines, nextLine };
}

function runtimeWith(store: ExpiringStore) {
  const clock = new FakeClock(START);
  const { log, lines, nextLine } = recordingLog();
  const runtime = new Runtime({ log, clock }).addJob(
    'retention',
    retentionJob({ store, retainDays: 30, intervalMs: HOUR }),
  );
  return { clock, runtime, lines, nextLine };
}

describe('retention job', () => {
  test('a pass at start, then one every interval with the cutoff of that moment; none after stop', async () => {
    const store = new FakeStore();
    const { clock, runtime, lines, nextLine } = runtimeWith(store);
    const logged = nextLine();
    await runtime.start();
    await logged;
    await clock.advance(2 * HOUR);
    assert.deepEqual(store.cutoffs, [
      '2025-03-01T00:00:00.0000000Z',
      '2025-03-01T01:00:00.0000000Z',
      '2025-03-01T02:00:00.0000000Z',
    ]);
    assert.deepEqual(lines[0], {
      level: 'info',
      msg: 'retention pass done',
      retainDays: 30,
      cutoff: '2025-03-01T00:00:00.000Z',
      removed: 2,
    });
    assert.equal(lines.length, 3);
    await runtime.stop();
    assert.equal(clock.pendingTimers, 0, 'no timer left behind');
    await clock.advance(10 * HOUR);
    assert.equal(store.cutoffs.length, 3);
  });

  test('a tick while a pass still runs is skipped; stop() waits for the running pass', async () => {
    const store = new FakeStore();
    let release!: () => void;
    store.gate = new Promise<void>((resolve) => (release = resolve));
    const { clock, runtime, lines } = runtimeWith(store);
    await runtime.start();
    await clock.advance(3 * HOUR);
    assert.equal(store.cutoffs.length, 1, 'one pass at a time');
    let stopped = false;
    const stopping = runtime.stop().then(() => (stopped = true));
    await clock.advance(0);
    assert.equal(stopped, false, 'stop() waits for the pass under way');
    release();
    await stopping;
    await clock.advance(3 * HOUR);
    assert.equal(store.cutoffs.length, 1, 'the skipped ticks did not queue passes');
    assert.deepEqual(
      lines.map((l) => l.msg),
      ['retention pass done'],
    );
  });

  test('a failed pass is logged and the next one runs as planned', async () => {
    const store = new FakeStore();
    store.failNext = true;
    const { clock, runtime, lines, nextLine } = runtimeWith(store);
    const logged = nextLine();
    await runtime.start();
    await logged;
    await clock.advance(HOUR);
    await runtime.stop();
    assert.deepEqual(
      lines.map((l) => [l.level, l.msg]),
      [
        ['error', 'retention pass failed'],
        ['info', 'retention pass done'],
      ],
    );
    assert.match(String((lines[0]!.err as Error).message), /database unreachable/);
  });
});
