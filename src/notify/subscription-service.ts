import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import { AppError } from '../errors.js';
import type { Fetch } from '../runtime/runtime.js';
import type { SubscriptionStore } from '../storage/roles.js';
import { outboxId, type LifecycleEvent, type StoredSubscription } from '../storage/subscription-data.js';
import { validateEndpoint } from './validation-handshake.js';

/** The longest a callRecord subscription may live: 4,230 minutes (https://learn.microsoft.com/graph/api/resources/subscription#subscription-lifetime). */
export const MAX_EXPIRY_MINUTES = 4230;
/** The longest `clientState` accepted (https://learn.microsoft.com/graph/api/resources/subscription#properties). */
export const MAX_CLIENT_STATE = 128;
/** The resource this archive notifies about, as Graph spells it (https://learn.microsoft.com/graph/changenotifications-for-callrecords). */
export const CALL_RECORDS_RESOURCE = '/communications/callRecords';

const CHANGE_TYPES = new Set(['created', 'updated']);
/** Members the service sets itself; the rest of a POST body is kept and echoed. */
const OWN_MEMBERS = new Set([
  'id',
  'resource',
  'changeType',
  'notificationUrl',
  'lifecycleNotificationUrl',
  'clientState',
  'expirationDateTime',
  '@odata.type',
]);

/**
 * Graph's subscription operations on the archive's own notifications (https://learn.microsoft.com/graph/api/resources/subscription):
 * create (after the validation handshake on each URL), read, list, renew or change, delete, reauthorize. Only
 * `/communications/callRecords` with `created` and/or `updated` is accepted; the expiry must be in the future and at
 * most 4,230 minutes away. Every failure is an `AppError`.
 */
export class SubscriptionService {
  constructor(
    private readonly store: SubscriptionStore,
    private readonly deps: { clock: Clock; fetch: Fetch; validationTimeoutMs?: number | undefined },
  ) {}

  async create(body: unknown, caller?: SubscriptionCaller): Promise<StoredSubscription> {
    const input = objectOf(body);
    const resource = requiredString(input, 'resource');
    if (resource.replace(/^\//, '') !== CALL_RECORDS_RESOURCE.slice(1)) {
      throw new AppError(
        'InvalidRequest',
        `Resource '${resource}' is not supported; subscribe to '${CALL_RECORDS_RESOURCE}'.`,
      );
    }
    const changeType = changeTypeOf(requiredString(input, 'changeType'));
    const notificationUrl = urlOf(requiredString(input, 'notificationUrl'), 'notificationUrl');
    const lifecycle = optionalString(input, 'lifecycleNotificationUrl');
    const lifecycleNotificationUrl = lifecycle === null ? null : urlOf(lifecycle, 'lifecycleNotificationUrl');
    const clientState = optionalString(input, 'clientState');
    if (clientState !== null && clientState.length > MAX_CLIENT_STATE) {
      throw new AppError('InvalidRequest', `clientState is longer than ${MAX_CLIENT_STATE} characters.`);
    }
    const expirationDateTime = this.expiryOf(requiredString(input, 'expirationDateTime'));
    await this.validate(notificationUrl);
    if (lifecycleNotificationUrl !== null) await this.validate(lifecycleNotificationUrl);
    const extra: Record<string, unknown> = Object.fromEntries(
      Object.entries(input).filter(([key]) => !OWN_MEMBERS.has(key)),
    );
    // Graph's `creatorId`: who created it, which decides who may see and change it (never what the client sent).
    if (caller !== undefined) extra.creatorId = caller.id;
    else delete extra.creatorId;
    const subscription: StoredSubscription = {
      id: randomUUID(),
      resource,
      changeType,
      notificationUrl,
      lifecycleNotificationUrl,
      clientState,
      expirationDateTime,
      createdAt: this.deps.clock.now().toISOString(),
      extra: Object.keys(extra).length > 0 ? extra : null,
    };
    await this.store.create(subscription);
    return subscription;
  }

  /** A subscription the caller may see: its own, or any for an admin or without authentication (else 404). */
  async get(id: string, caller?: SubscriptionCaller): Promise<StoredSubscription> {
    const subscription = await this.store.get(id);
    return subscription !== undefined && visibleTo(subscription, caller) ? subscription : notFound(id);
  }

  /** The subscriptions that have not expired, oldest first. */
  async list(caller?: SubscriptionCaller): Promise<StoredSubscription[]> {
    const now = this.deps.clock.now().toISOString();
    return (await this.store.list()).filter((s) => s.expirationDateTime > now && visibleTo(s, caller));
  }

  /** PATCH: a new `expirationDateTime` (renewal) and/or new URLs, each new URL validated first. */
  async update(id: string, body: unknown, caller?: SubscriptionCaller): Promise<StoredSubscription> {
    const input = objectOf(body);
    const current = await this.get(id, caller);
    const expiry = input.expirationDateTime;
    const expirationDateTime =
      expiry === undefined ? undefined : this.expiryOf(requiredString(input, 'expirationDateTime'));
    const url =
      input.notificationUrl === undefined
        ? undefined
        : urlOf(requiredString(input, 'notificationUrl'), 'notificationUrl');
    if (url !== undefined && url !== current.notificationUrl) await this.validate(url);
    const lifecycle =
      input.lifecycleNotificationUrl === undefined
        ? undefined
        : urlOf(requiredString(input, 'lifecycleNotificationUrl'), 'lifecycleNotificationUrl');
    if (lifecycle !== undefined && lifecycle !== current.lifecycleNotificationUrl) await this.validate(lifecycle);
    const patch = { expirationDateTime, notificationUrl: url, lifecycleNotificationUrl: lifecycle };
    return (await this.store.update(id, patch)) ?? notFound(id);
  }

  async delete(id: string, caller?: SubscriptionCaller): Promise<void> {
    await this.get(id, caller);
    if (!(await this.store.remove(id))) notFound(id);
  }

  /**
   * `POST /subscriptions/{id}/reauthorize` (https://learn.microsoft.com/graph/api/subscription-reauthorize): the
   * archive has no authorisation to renew, so this only checks that the subscription exists and has not expired.
   */
  async reauthorize(id: string, caller?: SubscriptionCaller): Promise<void> {
    const subscription = await this.get(id, caller);
    if (subscription.expirationDateTime <= this.deps.clock.now().toISOString()) notFound(id);
  }

  /**
   * Queues a lifecycle notification (https://learn.microsoft.com/graph/change-notifications-lifecycle-events) for a
   * subscription with a `lifecycleNotificationUrl`; false when it has none (Graph sends them only there).
   */
  async sendLifecycle(id: string, lifecycleEvent: LifecycleEvent): Promise<boolean> {
    const subscription = await this.get(id);
    if (subscription.lifecycleNotificationUrl === null) return false;
    const now = this.deps.clock.now().toISOString();
    await this.store.enqueue([
      { id: outboxId(now), subscriptionId: id, kind: 'lifecycle', lifecycleEvent, createdAt: now, nextAttempt: now },
    ]);
    return true;
  }

  private validate(url: string): Promise<void> {
    return validateEndpoint(url, { ...this.deps, timeoutMs: this.deps.validationTimeoutMs });
  }

  private expiryOf(text: string): string {
    const at = Date.parse(text);
    if (Number.isNaN(at)) throw new AppError('InvalidRequest', `expirationDateTime '${text}' is not a date and time.`);
    const now = this.deps.clock.now().getTime();
    if (at <= now) throw new AppError('InvalidRequest', 'Subscription expiration must be in the future.');
    if (at > now + MAX_EXPIRY_MINUTES * 60_000) {
      throw new AppError(
        'InvalidRequest',
        `Subscription expiration can only be ${MAX_EXPIRY_MINUTES} minutes in the future.`,
      );
    }
    return new Date(at).toISOString();
  }
}

function notFound(id: string): never {
  throw new AppError('NotFound', `The subscription '${id}' was not found.`);
}

function objectOf(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new AppError('InvalidRequest', 'The request body must be a JSON object.');
  }
  return body as Record<string, unknown>;
}

function requiredString(input: Record<string, unknown>, name: string): string {
  const value = input[name];
  if (typeof value !== 'string' || value === '')
    throw new AppError('InvalidRequest', `${name} is required (a string).`);
  return value;
}

function optionalString(input: Record<string, unknown>, name: string): string | null {
  const value = input[name];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new AppError('InvalidRequest', `${name} must be a string.`);
  return value;
}

function changeTypeOf(text: string): string {
  const types = text.split(',').map((t) => t.trim());
  if (types.some((t) => !CHANGE_TYPES.has(t))) {
    throw new AppError(
      'InvalidRequest',
      `changeType '${text}' is not supported for call records; use created, updated or both.`,
    );
  }
  return [...new Set(types)].join(',');
}

/** An absolute http(s) URL; Graph itself calls only https, the archive allows http for local subscribers. */
function urlOf(text: string, name: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new AppError('InvalidRequest', `${name} '${text}' is not an absolute URL.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new AppError('InvalidRequest', `${name} must be an https (or, for local testing, http) URL.`);
  }
  return text;
}

/**
 * Who calls the subscription API. With authentication on, a caller sees and changes only the subscriptions it created
 * (Graph: an app sees its own, https://learn.microsoft.com/graph/api/subscription-list); an admin sees all.
 */
export interface SubscriptionCaller {
  id: string;
  admin: boolean;
}

function visibleTo(subscription: StoredSubscription, caller: SubscriptionCaller | undefined): boolean {
  return caller === undefined || caller.admin || subscription.extra?.creatorId === caller.id;
}
