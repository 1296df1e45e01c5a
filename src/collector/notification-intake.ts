import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../clock.js';
import { AppError } from '../errors.js';
import type { RuntimeLog } from '../runtime/runtime.js';
import type { MetaStore, SyncStateStore } from '../storage/roles.js';
import type { EnqueueItem } from '../storage/sync-state.js';
import { CLIENT_STATE_SECRET, WEBHOOK_STATE } from './webhook-config.js';

/** What the receiver did with one POST from Graph. */
export interface IntakeResult {
  queued: number;
  ignored: number;
}

/** The lifecycle events Graph sends (https://learn.microsoft.com/graph/change-notifications-lifecycle-events). */
const LIFECYCLE_EVENTS = new Set(['reauthorizationRequired', 'subscriptionRemoved', 'missed']);

/** A new `clientState` secret: 43 characters, within Graph's 128. */
export function newClientState(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Takes in what Graph POSTs to the collector (https://learn.microsoft.com/graph/change-notifications-delivery-webhooks):
 * each item's `clientState` is checked against the secret in the database (a wrong one is ignored and logged, never
 * fetched); change notifications become fetch-queue items (`db.sync.enqueue`), durable when `receive` resolves, so
 * the receiver answers 202 only after that; lifecycle events are kept for the subscription manager.
 */
export class NotificationIntake {
  constructor(
    private readonly deps: {
      sync: Pick<SyncStateStore, 'enqueue' | 'setState'>;
      meta: Pick<MetaStore, 'sharedSecret'>;
      clock: Clock;
      log: RuntimeLog;
    },
  ) {}

  /** A `changeNotificationCollection`: queues each created/updated record whose item carries the right clientState. */
  async receive(body: unknown): Promise<IntakeResult> {
    const items = await this.trusted(body);
    const queue: EnqueueItem[] = [];
    for (const item of items) {
      const changeType = item.changeType;
      const id = recordIdOf(item);
      if ((changeType !== 'created' && changeType !== 'updated') || id === undefined) {
        this.deps.log.warn(
          { changeType, resource: item.resource },
          'change notification ignored: not a created or updated call record',
        );
        continue;
      }
      queue.push({ id, reason: changeType });
    }
    if (queue.length > 0) await this.deps.sync.enqueue(queue, this.deps.clock.now().getTime());
    return { queued: queue.length, ignored: countOf(body) - queue.length };
  }

  /** A collection of lifecycle events: the last trusted one is kept (WEBHOOK_STATE.lifecycle) for the manager. */
  async receiveLifecycle(body: unknown): Promise<IntakeResult> {
    const items = (await this.trusted(body)).filter((i) => LIFECYCLE_EVENTS.has(String(i.lifecycleEvent)));
    for (const item of items) {
      const event = {
        lifecycleEvent: item.lifecycleEvent,
        subscriptionId: item.subscriptionId,
        at: this.deps.clock.now().toISOString(),
      };
      this.deps.log.info(event, 'subscription lifecycle event received');
      await this.deps.sync.setState(WEBHOOK_STATE.lifecycle, JSON.stringify(event));
    }
    return { queued: items.length, ignored: countOf(body) - items.length };
  }

  /** The items of a collection whose clientState is the secret; the others are logged and dropped. */
  private async trusted(body: unknown): Promise<Record<string, unknown>[]> {
    const value = (body as { value?: unknown } | null | undefined)?.value;
    if (!Array.isArray(value)) throw new AppError('BadRequest', 'A notification body is {"value": [...]}.');
    const secret = Buffer.from(await this.deps.meta.sharedSecret(CLIENT_STATE_SECRET, newClientState));
    return value.filter((item): item is Record<string, unknown> => {
      if (item === null || typeof item !== 'object') return false;
      const given = (item as Record<string, unknown>).clientState;
      const ok = typeof given === 'string' && sameSecret(Buffer.from(given), secret);
      if (!ok) {
        const { subscriptionId, resource } = item as Record<string, unknown>;
        this.deps.log.warn({ subscriptionId, resource }, 'notification with a wrong clientState ignored');
      }
      return ok;
    });
  }
}

function sameSecret(given: Buffer, secret: Buffer): boolean {
  return given.length === secret.length && timingSafeEqual(given, secret);
}

function countOf(body: unknown): number {
  return ((body as { value: unknown[] }).value ?? []).length;
}

/** The call record's id: `resourceData.id`, else the last segment of `resource` (`communications/callRecords/{id}`). */
function recordIdOf(item: Record<string, unknown>): string | undefined {
  const data = item.resourceData as { id?: unknown } | undefined;
  if (typeof data?.id === 'string' && data.id !== '') return data.id;
  const match = /^\/?communications\/callRecords\/([^/]+)$/i.exec(String(item.resource ?? ''));
  return match ? decodeURIComponent(match[1]!) : undefined;
}
