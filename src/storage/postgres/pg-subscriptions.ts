import type pg from 'pg';
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
import type { PgQueries, Queryable } from './pg-queries.js';

/** SQL written with `?` markers, numbered for PostgreSQL (`$1`, `$2`, …). */
function numbered(text: string): string {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
}

const SQL = Object.fromEntries(
  Object.entries(Q).map(([name, text]) => [name, typeof text === 'string' ? numbered(text) : '']),
) as Record<Exclude<keyof typeof Q, 'claimedOf'>, string>;

/**
 * Leases due entries in one statement: `for update skip locked` lets concurrent deliverers pass over the rows another
 * is leasing (https://www.postgresql.org/docs/current/sql-select.html#SQL-FOR-UPDATE-SHARE).
 */
const CLAIM = `with due as (
    select id from notification_outbox where next_attempt <= $1 and (lease_until is null or lease_until <= $1)
     order by next_attempt, id limit $2 for update skip locked)
  update notification_outbox o set lease_until = $3, lease_owner = $4 from due where o.id = due.id returning o.id`;
const CLAIMED = numbered(Q.claimedOf('select unnest(?::text[])'));
const SETTLE = 'delete from notification_outbox where id = any($1::text[]) and lease_owner = $2';
const RESCHEDULE = `update notification_outbox set attempts = attempts + 1, next_attempt = $1, last_error = $2,
    lease_until = null, lease_owner = null where id = any($3::text[]) and lease_owner = $4`;
const INSERT_OUTBOX = `insert into notification_outbox (id, subscription_id, kind, change_type, resource_id,
    lifecycle_event, created_at, next_attempt)
  select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])`;

/**
 * Inserts outbox entries with one statement (arrays unnested into rows); `on` is the pool or the write transaction's
 * client.
 */
async function insertOutbox(db: PgQueries, on: Queryable, entries: readonly OutboxEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const columns: unknown[][] = Array.from({ length: 8 }, () => []);
  for (const entry of entries) outboxValues(entry).forEach((value, i) => columns[i]!.push(value));
  await db.rows(on, INSERT_OUTBOX, columns);
}

/**
 * Enqueues the notifications of a batch of writes inside the write's own transaction (batch-write.ts calls it), so a
 * record is never stored without its notifications nor notified without being stored.
 */
export async function enqueueRecordChanges(
  db: PgQueries,
  client: pg.PoolClient,
  records: readonly RecordWrite[],
  results: readonly WriteResult[],
  at: string,
): Promise<void> {
  const live = await db.rows<LiveSubscription>(client, SQL.live, [at]);
  await insertOutbox(db, client, changeEntries(live, records, results, at));
}

/** The subscriptions role on PostgreSQL, over the store's pool. */
export class PgSubscriptions implements SubscriptionStore {
  constructor(private readonly db: PgQueries) {}

  async create(subscription: StoredSubscription): Promise<void> {
    await this.db.rows(this.db.pool, SQL.insert, subscriptionValues(subscription));
  }

  async get(id: string): Promise<StoredSubscription | undefined> {
    const [row] = await this.db.rows<SubscriptionRow>(this.db.pool, SQL.get, [id]);
    return row && toSubscription(row);
  }

  async list(): Promise<StoredSubscription[]> {
    return (await this.db.rows<SubscriptionRow>(this.db.pool, SQL.list)).map(toSubscription);
  }

  async update(id: string, patch: SubscriptionPatch): Promise<StoredSubscription | undefined> {
    const current = await this.get(id);
    if (current === undefined) return undefined;
    const next = { ...current, ...definedOf(patch) };
    const values = [next.expirationDateTime, next.notificationUrl, next.lifecycleNotificationUrl, id];
    await this.db.rows(this.db.pool, SQL.update, values);
    return next;
  }

  async remove(id: string): Promise<boolean> {
    return this.db.transaction(async (client) => {
      await this.db.rows(client, SQL.removeOutbox, [id]);
      return (await client.query(SQL.remove, [id])).rowCount! > 0;
    });
  }

  async enqueue(entries: readonly OutboxEntry[]): Promise<void> {
    await insertOutbox(this.db, this.db.pool, entries);
  }

  async claim(owner: string, now: string, leaseUntil: string, limit: number): Promise<ClaimedNotification[]> {
    const leased = await this.db.rows<{ id: string }>(this.db.pool, CLAIM, [now, limit, leaseUntil, owner]);
    if (leased.length === 0) return [];
    const rows = await this.db.rows<ClaimedRow>(this.db.pool, CLAIMED, [leased.map((r) => r.id)]);
    return rows.map(toClaimed);
  }

  async settle(owner: string, ids: readonly string[]): Promise<void> {
    if (ids.length > 0) await this.db.rows(this.db.pool, SETTLE, [[...ids], owner]);
  }

  async reschedule(owner: string, ids: readonly string[], nextAttempt: string, error: string): Promise<void> {
    if (ids.length > 0) await this.db.rows(this.db.pool, RESCHEDULE, [nextAttempt, error, [...ids], owner]);
  }

  async outboxDepth(): Promise<number> {
    const [row] = await this.db.rows<{ n: number | string }>(this.db.pool, SQL.depth);
    return Number(row!.n);
  }
}
