import type { SubscriptionStore } from '../roles.js';
import type { RecordWrite, WriteResult } from '../store.js';
import {
  changeEntries,
  definedOf,
  outboxValues,
  SUBSCRIPTION_SQL as Q,
  subscriptionValues,
  toClaimed,
  toSubscription,
  type ClaimedNotification,
  type ClaimedRow,
  type LiveSubscription,
  type OutboxEntry,
  type StoredSubscription,
  type SubscriptionPatch,
  type SubscriptionRow,
} from '../subscription-data.js';
import type { SqliteConnection } from './sqlite-connection.js';

/**
 * Enqueues the notifications of a batch of writes, inside the write's own transaction (sqlite-records.ts calls it),
 * so a record is never stored without its notifications nor notified without being stored.
 */
export function enqueueRecordChanges(
  c: SqliteConnection,
  records: readonly RecordWrite[],
  results: readonly WriteResult[],
  at: string,
): void {
  const live = c.statement(Q.live).all(at) as LiveSubscription[];
  const insert = c.statement(Q.insertOutbox);
  for (const entry of changeEntries(live, records, results, at)) insert.run(...outboxValues(entry));
}

/** The subscriptions role on SQLite: one write transaction per change, the claim a select and an update in one. */
export class SqliteSubscriptions implements SubscriptionStore {
  private readonly claimBatch: (owner: string, now: string, leaseUntil: string, limit: number) => ClaimedRow[];
  private readonly removeOne: (id: string) => boolean;
  private readonly enqueueAll: (entries: readonly OutboxEntry[]) => void;
  private readonly settleAll: (owner: string, ids: readonly string[]) => void;
  private readonly rescheduleAll: (owner: string, ids: readonly string[], next: string, error: string) => void;

  constructor(private readonly c: SqliteConnection) {
    this.claimBatch = c.writeTransaction((owner: string, now: string, leaseUntil: string, limit: number) => {
      const ids = (c.statement(Q.due).all(now, now, limit) as { id: string }[]).map((r) => r.id);
      if (ids.length === 0) return [];
      const lease = c.statement(Q.lease);
      for (const id of ids) lease.run(leaseUntil, owner, id);
      return c.db.prepare(Q.claimedOf(ids.map(() => '?').join(', '))).all(...ids) as ClaimedRow[];
    });
    this.removeOne = c.writeTransaction((id: string) => {
      c.statement(Q.removeOutbox).run(id);
      return c.statement(Q.remove).run(id).changes > 0;
    });
    this.enqueueAll = c.writeTransaction((entries: readonly OutboxEntry[]) => {
      const insert = c.statement(Q.insertOutbox);
      for (const entry of entries) insert.run(...outboxValues(entry));
    });
    this.settleAll = c.writeTransaction((owner: string, ids: readonly string[]) => {
      const settle = c.statement(Q.settle);
      for (const id of ids) settle.run(id, owner);
    });
    this.rescheduleAll = c.writeTransaction((owner: string, ids: readonly string[], next: string, error: string) => {
      const reschedule = c.statement(Q.reschedule);
      for (const id of ids) reschedule.run(next, error, id, owner);
    });
  }

  async create(subscription: StoredSubscription): Promise<void> {
    await this.c.retry(() => this.c.statement(Q.insert).run(...subscriptionValues(subscription)));
  }

  async get(id: string): Promise<StoredSubscription | undefined> {
    const row = await this.c.retry(() => this.c.statement(Q.get).get(id) as SubscriptionRow | undefined);
    return row && toSubscription(row);
  }

  async list(): Promise<StoredSubscription[]> {
    return (await this.c.retry(() => this.c.statement(Q.list).all() as SubscriptionRow[])).map(toSubscription);
  }

  async update(id: string, patch: SubscriptionPatch): Promise<StoredSubscription | undefined> {
    const current = await this.get(id);
    if (current === undefined) return undefined;
    const next = { ...current, ...definedOf(patch) };
    await this.c.retry(() =>
      this.c.statement(Q.update).run(next.expirationDateTime, next.notificationUrl, next.lifecycleNotificationUrl, id),
    );
    return next;
  }

  remove(id: string): Promise<boolean> {
    return this.c.retry(() => this.removeOne(id));
  }

  async enqueue(entries: readonly OutboxEntry[]): Promise<void> {
    if (entries.length > 0) await this.c.retry(() => this.enqueueAll(entries));
  }

  async claim(owner: string, now: string, leaseUntil: string, limit: number): Promise<ClaimedNotification[]> {
    return (await this.c.retry(() => this.claimBatch(owner, now, leaseUntil, limit))).map(toClaimed);
  }

  async settle(owner: string, ids: readonly string[]): Promise<void> {
    if (ids.length > 0) await this.c.retry(() => this.settleAll(owner, ids));
  }

  async reschedule(owner: string, ids: readonly string[], nextAttempt: string, error: string): Promise<void> {
    if (ids.length > 0) await this.c.retry(() => this.rescheduleAll(owner, ids, nextAttempt, error));
  }

  async outboxDepth(): Promise<number> {
    return this.c.retry(() => (this.c.statement(Q.depth).get() as { n: number }).n);
  }
}
