import type { Clock } from '../clock.js';
import type { SyncStateStore } from '../storage/roles.js';

/** A lease this instance holds, renewed in the background until released. */
export interface HeldLease {
  /** Whether a renewal failed (another instance took the lease after it lapsed): stop the work it guards. */
  lost(): boolean;
  release(): Promise<void>;
}

/**
 * Takes the lease `name` for `ttlMs` and renews it every third of that on the clock, so it lapses soon after this
 * instance dies (a `kill -9`) but never while it works. Resolves to undefined when another instance holds it.
 */
export async function holdLease(
  sync: SyncStateStore,
  name: string,
  owner: string,
  clock: Clock,
  ttlMs: number,
): Promise<HeldLease | undefined> {
  if (!(await sync.acquireLease(name, owner, clock.now().getTime(), ttlMs))) return undefined;
  let lost = false;
  const timer = clock.setInterval(
    async () => {
      const kept = await sync.acquireLease(name, owner, clock.now().getTime(), ttlMs).catch(() => true);
      if (!kept) lost = true;
    },
    Math.max(1000, Math.floor(ttlMs / 3)),
    { unref: true },
  );
  return {
    lost: () => lost,
    async release() {
      timer.cancel();
      await sync.releaseLease(name, owner);
    },
  };
}
