/**
 * The runtime (src/runtime): what starts and stops in which order, that a failure still closes the database, that
 * jobs get the runtime's clock and fetch, and how shutdown signals are caught. Jobs run on a FakeClock: no waiting.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { FakeClock } from '../src/fake-clock.js';
import { Runtime, type BackgroundJob, type Fetch, type RuntimeLog } from '../src/runtime/runtime.js';
import { ShutdownSignals } from '../src/runtime/shutdown-signals.js';

const silent: RuntimeLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** A runtime whose server, jobs `a` and `b` and two resources note what they do in `events`. */
function recordingRuntime(fail: { serverStart?: boolean; serverStop?: boolean } = {}) {
  const events: string[] = [];
  const job = (name: string): BackgroundJob => ({
    start: () => void events.push(`start ${name}`),
    stop: async () => void events.push(`stop ${name}`),
  });
  const runtime = new Runtime({ log: silent, clock: new FakeClock(0) })
    .serve({
      start: async () => {
        events.push('listen');
        if (fail.serverStart === true) throw new Error('port in use');
      },
      stop: async () => {
        events.push('close server');
        if (fail.serverStop === true) throw new Error('close failed');
      },
    })
    .addJob('a', () => job('a'))
    .addJob('b', () => job('b'))
    .closeLast({ close: async () => void events.push('close database') })
    .closeLast({ close: async () => void events.push('close cache') });
  return { runtime, events };
}

describe('Runtime', () => {
  test('starts the server, then the jobs; stops the server, then the jobs, then the resources last added first', async () => {
    const { runtime, events } = recordingRuntime();
    await runtime.start();
    assert.deepEqual(runtime.runningJobs, ['a', 'b']);
    await runtime.stop();
    assert.deepEqual(events, [
      'listen',
      'start a',
      'start b',
      'close server',
      'stop a',
      'stop b',
      'close cache',
      'close database',
    ]);
    assert.deepEqual(runtime.runningJobs, []);
  });

  test('a server that fails to start starts no job, and stop() still closes everything', async () => {
    const { runtime, events } = recordingRuntime({ serverStart: true });
    await assert.rejects(runtime.start(), /port in use/);
    await runtime.stop();
    assert.deepEqual(events, ['listen', 'close server', 'close cache', 'close database']);
  });

  test('a failing step does not keep the jobs running or the database open; stop() throws the failure once', async () => {
    const { runtime, events } = recordingRuntime({ serverStop: true });
    await runtime.start();
    const first = runtime.stop();
    const second = runtime.stop();
    await assert.rejects(first, /close failed/);
    await assert.rejects(second, /close failed/);
    assert.deepEqual(events.slice(3), ['close server', 'stop a', 'stop b', 'close cache', 'close database']);
    await assert.rejects(runtime.start(), /stopped/);
  });

  test('every job gets the same injected clock and fetch (the seam outbound HTTP goes through)', async () => {
    const clock = new FakeClock(0);
    const calls: string[] = [];
    const fetch: Fetch = async (input) => {
      calls.push(String(input));
      return new Response('{}');
    };
    const seen: unknown[] = [];
    const runtime = new Runtime({ log: silent, clock, fetch }).addJob('caller', (deps) => {
      seen.push(deps.clock, deps.fetch);
      return { start: () => void deps.fetch('https://graph.example/v1.0/'), stop: async () => undefined };
    });
    await runtime.start();
    await runtime.stop();
    assert.equal(seen[0], clock);
    assert.equal(seen[1], fetch);
    assert.deepEqual(calls, ['https://graph.example/v1.0/']);
    assert.equal(new Runtime({ log: silent }).deps.fetch, globalThis.fetch, 'by default, the global fetch');
  });

  test('two jobs cannot share a name', () => {
    const job = () => ({ start: () => undefined, stop: async () => undefined });
    assert.throws(() => new Runtime({ log: silent }).addJob('sync', job).addJob('sync', job), /sync/);
  });
});

describe('ShutdownSignals', () => {
  test('a signal caught before anyone waits is kept; only the first counts', async () => {
    const source = new EventEmitter();
    const raised: string[] = [];
    const signals = new ShutdownSignals(source, (signal) => raised.push(signal));
    source.emit('SIGTERM', 'SIGTERM');
    source.emit('SIGINT', 'SIGINT');
    assert.equal(await signals.first(), 'SIGTERM');
    assert.deepEqual(raised, ['SIGINT'], 'the second signal is raised again, not swallowed');
    signals.release();
  });

  test('a second signal while the server still starts ends the process: nothing catches it any more', () => {
    const source = new EventEmitter();
    const raised: string[] = [];
    new ShutdownSignals(source, (signal) => raised.push(signal));
    source.emit('SIGINT', 'SIGINT');
    assert.deepEqual(raised, []);
    source.emit('SIGINT', 'SIGINT');
    assert.deepEqual(raised, ['SIGINT']);
    assert.equal(source.listenerCount('SIGINT') + source.listenerCount('SIGTERM'), 0);
  });

  test('once acted on, the same signal again is no longer caught (it ends the process); release() lets go of both', async () => {
    const source = new EventEmitter();
    const signals = new ShutdownSignals(source);
    assert.equal(source.listenerCount('SIGINT') + source.listenerCount('SIGTERM'), 2);
    source.emit('SIGINT', 'SIGINT');
    assert.equal(source.listenerCount('SIGINT'), 1, 'still caught while the server starts');
    await signals.first();
    assert.equal(source.listenerCount('SIGINT'), 0);
    assert.equal(source.listenerCount('SIGTERM'), 1);
    signals.release();
    assert.equal(source.listenerCount('SIGTERM'), 0);
  });
});
