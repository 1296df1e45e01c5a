import type { DeliveryPolicy } from '../notify/delivery-policy.js';
import type { Fetch } from '../runtime/runtime.js';
import type { Faults } from './faults.js';
import type { SimulatedTenant } from './simulated-tenant.js';
import { EARLY_SUFFIX } from './simulated-tenant.js';

/** What became of the notifications the simulator's outbox handled, for `/_simulator/stats`. */
export interface NotificationStats {
  /** POSTs to subscribers, and those a subscriber did not accept (no 2xx, or no answer). */
  posts: number;
  failedPosts: number;
  /** Notifications in POSTs a subscriber accepted (change notifications and lifecycle events). */
  delivered: number;
  /** Change notifications never sent: the `drop` fault. */
  dropped: number;
  /** The archive's own `created` left out because the record was announced early (the `404` fault). */
  repeatsLeftOut: number;
}

/** Counters for `simulatorPolicy` and `countingFetch` to fill. */
export function emptyNotificationStats(): NotificationStats {
  return { posts: 0, failedPosts: 0, delivered: 0, dropped: 0, repeatsLeftOut: 0 };
}

/**
 * The simulator's delivery policy for the archive's outbox (src/notify/): with the `drop` fault a seeded share
 * (`rate`) of change notifications is never sent — the same ones whatever the retries, decided by the outbox id — and
 * the archive's own `created` for a record the tenant announced early is left out, so each subscriber hears of a
 * record's creation once. Lifecycle events are always sent.
 */
export function simulatorPolicy(
  tenant: SimulatedTenant,
  faults: Faults,
  rate: number,
  seed: number,
  stats: NotificationStats,
): DeliveryPolicy {
  return (n) => {
    if (n.kind !== 'change') return { action: 'deliver' };
    const early = n.id.endsWith(EARLY_SUFFIX);
    if (!early && n.changeType === 'created' && tenant.announcedEarly(n.subscriptionId, n.resourceId ?? '')) {
      stats.repeatsLeftOut++;
      return { action: 'drop', reason: 'announced before it was ready (simulator)' };
    }
    if (faults.drop && unitHash(`${seed} ${n.id}`) < rate) {
      stats.dropped++;
      return { action: 'drop', reason: 'dropped notification (simulated fault)' };
    }
    return { action: 'deliver' };
  };
}

/** A `fetch` for the delivery job that counts its POSTs and the notifications subscribers accepted. */
export function countingFetch(fetch: Fetch, stats: NotificationStats): Fetch {
  return async (input, init) => {
    stats.posts++;
    let response: Response;
    try {
      response = await fetch(input, init);
    } catch (error) {
      stats.failedPosts++;
      throw error;
    }
    if (!response.ok) stats.failedPosts++;
    else stats.delivered += itemCount(init?.body);
    return response;
  };
}

function itemCount(body: unknown): number {
  try {
    const value = (JSON.parse(String(body)) as { value?: unknown[] }).value;
    return Array.isArray(value) ? value.length : 0;
  } catch {
    return 0;
  }
}

// A number in [0, 1) from a text (FNV-1a), the same on every run.
function unitHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d) >>> 0;
  h ^= h >>> 12;
  return (h >>> 0) / 2 ** 32;
}
