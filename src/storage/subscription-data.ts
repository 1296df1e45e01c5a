import { randomUUID } from 'node:crypto';
import type { RecordWrite, WriteResult } from './store.js';

/**
 * A subscription to the archive's change notifications as stored: Graph's subscription resource
 * (https://learn.microsoft.com/graph/api/resources/subscription) less what the service derives when it answers.
 */
export interface StoredSubscription {
  id: string;
  resource: string;
  /** Graph's comma-separated list: `created`, `updated` or `created,updated`. */
  changeType: string;
  notificationUrl: string;
  lifecycleNotificationUrl: string | null;
  clientState: string | null;
  /** ISO 8601 UTC (`Date.toISOString()`). */
  expirationDateTime: string;
  createdAt: string;
  /** Other members the client sent and Graph echoes (e.g. `latestSupportedTlsVersion`), kept as given. */
  extra: Record<string, unknown> | null;
}

/** What a PATCH may change on a subscription; absent members stay. */
export interface SubscriptionPatch {
  expirationDateTime?: string | undefined;
  notificationUrl?: string | undefined;
  lifecycleNotificationUrl?: string | null | undefined;
}

/** The lifecycle events of https://learn.microsoft.com/graph/change-notifications-lifecycle-events. */
export type LifecycleEvent = 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed';

/** One notification waiting in the outbox: a change of a record, or a lifecycle event of its subscription. */
export interface OutboxEntry {
  id: string;
  subscriptionId: string;
  kind: 'change' | 'lifecycle';
  changeType?: 'created' | 'updated' | 'deleted' | undefined;
  /** The call record's id, for a change. */
  resourceId?: string | undefined;
  lifecycleEvent?: LifecycleEvent | undefined;
  /** When it was enqueued (ISO): delivery gives up four hours after this. */
  createdAt: string;
  /** Not to be tried before this instant (ISO). */
  nextAttempt: string;
}

/** An outbox entry leased to one deliverer, with its attempts so far and its subscription (gone: undefined). */
export interface ClaimedNotification extends OutboxEntry {
  attempts: number;
  subscription: StoredSubscription | undefined;
}

/** A live subscription as the write path sees it: its id and the change types it asked for. */
export interface LiveSubscription {
  id: string;
  change_type: string;
}

/**
 * The outbox entries a batch of writes causes: for every record stored new (`inserted`) or as a new current version
 * (`updated`), one entry per live subscription that asked for that change. Graph notes that "creation of call records
 * also triggers the `updated` changeType" (https://learn.microsoft.com/graph/changenotifications-for-callrecords), so
 * a new record reaches a subscription to `updated` alone as `updated`. Stale and unchanged bodies notify nobody.
 */
export function changeEntries(
  live: readonly LiveSubscription[],
  records: readonly RecordWrite[],
  results: readonly WriteResult[],
  at: string,
): OutboxEntry[] {
  if (live.length === 0) return [];
  const entries: OutboxEntry[] = [];
  results.forEach((result, i) => {
    if (result.status !== 'inserted' && result.status !== 'updated') return;
    for (const sub of live) {
      const types = sub.change_type.split(',').map((t) => t.trim());
      const changeType =
        result.status === 'inserted' && types.includes('created')
          ? 'created'
          : types.includes('updated')
            ? 'updated'
            : undefined;
      if (changeType === undefined) continue;
      const id = outboxId(at);
      entries.push({
        id,
        subscriptionId: sub.id,
        kind: 'change',
        changeType,
        resourceId: records[i]!.id,
        createdAt: at,
        nextAttempt: at,
      });
    }
  });
  return entries;
}

let outboxSequence = 0;

/**
 * A new outbox entry id that sorts in the order entries were made (by time, then by this process's sequence), so
 * entries due at the same instant are delivered in the order they were queued: a record's `created` before its
 * `updated`.
 */
export function outboxId(at: string): string {
  outboxSequence = (outboxSequence + 1) % 1e12;
  return `${at}/${String(outboxSequence).padStart(12, '0')}/${randomUUID().slice(0, 8)}`;
}

/** A subscription row as both stores return it. */
export interface SubscriptionRow {
  id: string;
  resource: string;
  change_type: string;
  notification_url: string;
  lifecycle_notification_url: string | null;
  client_state: string | null;
  expiration: string;
  created_at: string;
  extra_json: string | null;
}

/** An outbox row joined with its subscription's columns (prefixed `s_`, null when the subscription is gone). */
export interface ClaimedRow {
  id: string;
  subscription_id: string;
  kind: string;
  change_type: string | null;
  resource_id: string | null;
  lifecycle_event: string | null;
  created_at: string;
  next_attempt: string;
  attempts: number;
  s_id: string | null;
  s_resource: string | null;
  s_change_type: string | null;
  s_notification_url: string | null;
  s_lifecycle_notification_url: string | null;
  s_client_state: string | null;
  s_expiration: string | null;
  s_created_at: string | null;
  s_extra_json: string | null;
}

/** A stored row as a subscription. */
export function toSubscription(row: SubscriptionRow): StoredSubscription {
  return {
    id: row.id,
    resource: row.resource,
    changeType: row.change_type,
    notificationUrl: row.notification_url,
    lifecycleNotificationUrl: row.lifecycle_notification_url,
    clientState: row.client_state,
    expirationDateTime: row.expiration,
    createdAt: row.created_at,
    extra: row.extra_json === null ? null : (JSON.parse(row.extra_json) as Record<string, unknown>),
  };
}

/** A claimed row as a notification with its subscription. */
export function toClaimed(row: ClaimedRow): ClaimedNotification {
  const subscription =
    row.s_id === null
      ? undefined
      : toSubscription({
          id: row.s_id,
          resource: row.s_resource!,
          change_type: row.s_change_type!,
          notification_url: row.s_notification_url!,
          lifecycle_notification_url: row.s_lifecycle_notification_url,
          client_state: row.s_client_state,
          expiration: row.s_expiration!,
          created_at: row.s_created_at!,
          extra_json: row.s_extra_json,
        });
  return {
    id: row.id,
    subscriptionId: row.subscription_id,
    kind: row.kind as OutboxEntry['kind'],
    changeType: (row.change_type ?? undefined) as OutboxEntry['changeType'],
    resourceId: row.resource_id ?? undefined,
    lifecycleEvent: (row.lifecycle_event ?? undefined) as LifecycleEvent | undefined,
    createdAt: row.created_at,
    nextAttempt: row.next_attempt,
    attempts: Number(row.attempts),
    subscription,
  };
}

/** The values of a subscription's row, in the column order of `SUBSCRIPTION_SQL.insert`. */
export function subscriptionValues(s: StoredSubscription): unknown[] {
  const extra = s.extra === null ? null : JSON.stringify(s.extra);
  return [
    s.id,
    s.resource,
    s.changeType,
    s.notificationUrl,
    s.lifecycleNotificationUrl,
    s.clientState,
    s.expirationDateTime,
    s.createdAt,
    extra,
  ];
}

/** The values of an outbox row, in the column order of `SUBSCRIPTION_SQL.insertOutbox`. */
export function outboxValues(e: OutboxEntry): unknown[] {
  return [
    e.id,
    e.subscriptionId,
    e.kind,
    e.changeType ?? null,
    e.resourceId ?? null,
    e.lifecycleEvent ?? null,
    e.createdAt,
    e.nextAttempt,
  ];
}

const CLAIMED_COLUMNS = `o.id, o.subscription_id, o.kind, o.change_type, o.resource_id, o.lifecycle_event, o.created_at,
  o.next_attempt, o.attempts, s.id as s_id, s.resource as s_resource, s.change_type as s_change_type,
  s.notification_url as s_notification_url, s.lifecycle_notification_url as s_lifecycle_notification_url,
  s.client_state as s_client_state, s.expiration as s_expiration, s.created_at as s_created_at,
  s.extra_json as s_extra_json`;

/**
 * The statements of the subscriptions role, written once in the SQL both dialects share, with `?` markers (the
 * PostgreSQL class numbers them, pg-subscriptions.ts). Like the record writes, they go around the query builder:
 * they are few, fixed and small. Only the claim differs per dialect (`for update skip locked` on PostgreSQL).
 */
export const SUBSCRIPTION_SQL = {
  insert: `insert into subscriptions (id, resource, change_type, notification_url, lifecycle_notification_url,
    client_state, expiration, created_at, extra_json) values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  get: 'select * from subscriptions where id = ?',
  list: 'select * from subscriptions order by created_at, id',
  live: 'select id, change_type from subscriptions where expiration > ?',
  update: `update subscriptions set expiration = ?, notification_url = ?, lifecycle_notification_url = ?
    where id = ?`,
  remove: 'delete from subscriptions where id = ?',
  removeOutbox: 'delete from notification_outbox where subscription_id = ?',
  insertOutbox: `insert into notification_outbox (id, subscription_id, kind, change_type, resource_id, lifecycle_event,
    created_at, next_attempt) values (?, ?, ?, ?, ?, ?, ?, ?)`,
  due: `select id from notification_outbox where next_attempt <= ? and (lease_until is null or lease_until <= ?)
    order by next_attempt, id limit ?`,
  lease: 'update notification_outbox set lease_until = ?, lease_owner = ? where id = ?',
  claimedOf: (marks: string) =>
    `select ${CLAIMED_COLUMNS} from notification_outbox o left join subscriptions s on s.id = o.subscription_id
      where o.id in (${marks}) order by o.next_attempt, o.id`,
  settle: 'delete from notification_outbox where id = ? and lease_owner = ?',
  reschedule: `update notification_outbox set attempts = attempts + 1, next_attempt = ?, last_error = ?,
    lease_until = null, lease_owner = null where id = ? and lease_owner = ?`,
  depth: 'select count(*) as n from notification_outbox',
} as const;

/** The members of a patch that are set. */
export function definedOf(patch: SubscriptionPatch): Partial<StoredSubscription> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<StoredSubscription>;
}
