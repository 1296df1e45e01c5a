import type { RuntimeLog } from '../runtime/runtime.js';
import { holdLease, type HeldLease } from './held-lease.js';
import { sleep } from './sleep.js';
import { LEASE, STATE } from './state-keys.js';
import { GRAPH_RETENTION_MS, sweepRange, type SweepDeps, type SweepFindings } from './sweep.js';

/** How far back every periodic sweep lists, beside any gap since the last one: 24 h. */
export const SWEEP_LOOKBACK_MS = 24 * 60 * 60_000;
/** A sweep's lease; renewed every 10 s while the sweep runs, so it lapses 30 s after the sweeping instance died. */
const SWEEP_LEASE_MS = 30_000;
/** Graph's 30 days, less a margin, so the oldest window is never refused for being too old. */
const OLDEST_MS = GRAPH_RETENTION_MS - 10 * 60_000;

/** The backfill state kept under STATE.backfill. */
interface BackfillState {
  days: number;
  from: number;
  to: number;
  next: number;
  done: boolean;
  findings?: SweepFindings | undefined;
}

/**
 * One periodic sweep pass under the `sweep` lease: lists from the sweep cursor or 24 h back, whichever is earlier
 * (so an outage or a crash is covered), but never beyond Graph's 30 days, up to now; the cursor advances after each
 * window and the findings are kept. Resolves to undefined when another instance holds the lease.
 */
export async function periodicSweep(deps: SweepDeps, owner: string): Promise<SweepFindings | undefined> {
  const { sync, clock } = deps;
  const lease = await holdLease(sync, LEASE.sweep, owner, clock, SWEEP_LEASE_MS);
  if (lease === undefined) return undefined;
  try {
    const now = clock.now().getTime();
    const stored = await sync.getState(STATE.sweepCursor);
    const cursor = stored === undefined ? NaN : Date.parse(stored);
    const from = Math.max(now - OLDEST_MS, Math.min(Number.isNaN(cursor) ? now : cursor, now - SWEEP_LOOKBACK_MS));
    // Compare-and-set: if someone moved the cursor back meanwhile (the subscription manager asking for a sweep of a
    // gap), this pass leaves it there, and the next pass starts from it.
    let expected: string | null = stored ?? null;
    let movedBack = false;
    const findings = await sweepRange(deps, { from, to: now, reason: 'sweep' }, async (next) => {
      const value = new Date(next).toISOString();
      if (!movedBack && (await sync.setState(STATE.sweepCursor, value, expected))) expected = value;
      else movedBack = true;
      return !lease.lost();
    });
    await sync.setState(STATE.lastSweep, JSON.stringify(findings));
    logFindings(deps.log, 'sync: sweep finished', findings);
    return findings;
  } finally {
    await lease.release();
  }
}

/**
 * A backfill of the last `days` days (at most 30): a sweep of that range under the `sweep` lease (waiting for it if
 * a periodic sweep holds it), resumed where it stopped if the same backfill was cut short (a crash, a kill).
 * Resolves to the findings of the whole range (of this run, when resumed).
 */
export async function backfill(deps: SweepDeps, owner: string, days: number): Promise<SweepFindings> {
  return (await runBackfill(deps, owner, days, false))!;
}

/**
 * `serve --sync --backfill-days N`: the backfill, unless one of N days has finished already (checked under the lease,
 * so a second instance does not list the range again); one cut short is resumed. Resolves to its findings, or
 * undefined when it was done already.
 */
export function backfillOnce(deps: SweepDeps, owner: string, days: number): Promise<SweepFindings | undefined> {
  return runBackfill(deps, owner, days, true);
}

async function runBackfill(
  deps: SweepDeps,
  owner: string,
  days: number,
  unlessDone: boolean,
): Promise<SweepFindings | undefined> {
  const { sync, clock } = deps;
  let lease: HeldLease | undefined;
  while ((lease = await holdLease(sync, LEASE.sweep, owner, clock, SWEEP_LEASE_MS)) === undefined) {
    if (deps.signal?.aborted === true) throw new Error('stopped while waiting for the sweep lease');
    await sleep(clock, 1000, deps.signal);
  }
  const held = lease;
  try {
    const now = clock.now().getTime();
    const saved = parse<BackfillState>(await sync.getState(STATE.backfill));
    if (unlessDone && saved?.done === true && saved.days === days) return undefined;
    const state: BackfillState =
      saved !== undefined && !saved.done && saved.days === days && saved.from >= now - OLDEST_MS
        ? saved
        : { days, from: Math.max(now - OLDEST_MS, now - days * 86_400_000), to: now, next: 0, done: false };
    if (state.next === 0) state.next = state.from;
    else deps.log.info({ from: new Date(state.next).toISOString() }, 'sync: resuming a backfill cut short');
    await sync.setState(STATE.backfill, JSON.stringify(state));
    const findings = await sweepRange(deps, { from: state.next, to: state.to, reason: 'backfill' }, async (next) => {
      state.next = next;
      await sync.setState(STATE.backfill, JSON.stringify(state));
      return !held.lost();
    });
    if (state.next >= state.to) {
      state.done = true;
      state.findings = findings;
      await sync.setState(STATE.backfill, JSON.stringify(state));
    }
    logFindings(deps.log, 'sync: backfill listed', findings);
    return findings;
  } finally {
    await held.release();
  }
}

function logFindings(log: RuntimeLog, message: string, f: SweepFindings): void {
  log.info({ from: f.from, to: f.to, listed: f.listed, queued: f.queued, missing: f.missing, newer: f.newer }, message);
}

function parse<T>(text: string | undefined): T | undefined {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}
