import type { SyncStateStore } from '../roles.js';
import { EVENT_RETENTION_MS, mergeEnqueueItems, toClaimedItem, toFailedItem, type QueueRow } from '../sql/sync-rows.js';
import type { ClaimedItem, EnqueueItem, FailedItem, QueueStats, SyncEvent } from '../sync-state.js';
import type { PgQueries } from './pg-queries.js';

// A queued id keeps its earliest due time; a leased one notes when to run again (for a notification or a repair; a
// sweep that lists an id being fetched adds nothing); a failed one starts afresh.
const ENQUEUE = `insert into sync_queue (id, state, reason, known_version, due_at, enqueued_at, attempts, updated_at)
  select i, 'queued', r, v, d, $5, 0, $5 from unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[]) as t(i, r, v, d)
  on conflict (id) do update set
    known_version = greatest(sync_queue.known_version, excluded.known_version),
    due_at = case sync_queue.state when 'queued' then least(sync_queue.due_at, excluded.due_at)
      when 'failed' then excluded.due_at else sync_queue.due_at end,
    again_at = case when sync_queue.state = 'leased' and excluded.reason in ('created', 'updated', 'repair') then least(sync_queue.again_at, excluded.due_at)
      else sync_queue.again_at end,
    reason = case when sync_queue.state = 'failed' then excluded.reason else sync_queue.reason end,
    enqueued_at = case when sync_queue.state = 'failed' then excluded.enqueued_at else sync_queue.enqueued_at end,
    attempts = case when sync_queue.state = 'failed' then 0 else sync_queue.attempts end,
    last_error = case when sync_queue.state = 'failed' then null else sync_queue.last_error end,
    state = case when sync_queue.state = 'failed' then 'queued' else sync_queue.state end,
    updated_at = excluded.updated_at`;
// SKIP LOCKED: an instance claiming at the same moment passes over the rows this one is taking.
const CLAIM = `update sync_queue set state = 'leased', owner = $2, lease_until = $3, attempts = attempts + 1, updated_at = $1
  where id in (select id from sync_queue where (state = 'queued' and due_at <= $1) or (state = 'leased' and lease_until <= $1)
    order by due_at, id limit $4 for update skip locked)
  returning *`;
const HELD = `state = 'leased' and owner = $2`;
const EXTEND = `update sync_queue set lease_until = $3 where id = $1 and ${HELD}`;
const COMPLETE_AGAIN = `update sync_queue set state = 'queued', due_at = again_at, again_at = null, owner = null,
  lease_until = null, attempts = 0, last_error = null, updated_at = $3 where id = $1 and ${HELD} and again_at is not null`;
const COMPLETE = `delete from sync_queue where id = $1 and ${HELD}`;
const RETRY = `update sync_queue set state = 'queued', due_at = least($3::bigint, again_at), again_at = null,
  owner = null, lease_until = null, last_error = $4, updated_at = $3 where id = $1 and ${HELD}`;
const FAIL = `update sync_queue set state = 'failed', owner = null, lease_until = null, again_at = null, last_error = $4,
  updated_at = $3 where id = $1 and ${HELD}`;
const COUNTS = `select state, count(*)::int as n, sum(case when due_at <= $1 then 1 else 0 end)::int as due
  from sync_queue group by state`;
const OLDEST = `select * from sync_queue where state in ('queued', 'leased') order by enqueued_at, id limit 1`;
const FAILED = `select * from sync_queue where state = 'failed' order by updated_at desc, id limit $1`;
const TAKE_LEASE = `insert into sync_leases (name, owner, expires_at) values ($1, $2, $3)
  on conflict (name) do update set owner = excluded.owner, expires_at = excluded.expires_at
  where sync_leases.owner = excluded.owner or sync_leases.expires_at <= $4`;

/**
 * The sync role on PostgreSQL: one statement per operation (each atomic), over the store's pool and its named
 * prepared statements (the store's PgQueries, which names every statement text once per pool).
 */
export class PostgresSync implements SyncStateStore {
  constructor(private readonly db: PgQueries) {}

  async enqueue(items: readonly EnqueueItem[], now: number): Promise<void> {
    const merged = mergeEnqueueItems(items, now);
    if (merged.length === 0) return;
    // Sorted by id, so that two instances enqueueing overlapping batches lock rows in one order (no deadlock).
    merged.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    await this.db.transaction((client) =>
      this.db.rows(client, ENQUEUE, [
        merged.map((i) => i.id),
        merged.map((i) => i.reason),
        merged.map((i) => i.knownVersion),
        merged.map((i) => i.dueAt),
        now,
      ]),
    );
  }

  async claim(owner: string, limit: number, now: number, leaseMs: number): Promise<ClaimedItem[]> {
    const rows = await this.db.rows<QueueRow>(this.db.pool, CLAIM, [now, owner, now + leaseMs, limit]);
    return rows.map(toClaimedItem).sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  async extendClaim(id: string, owner: string, leaseUntil: number): Promise<boolean> {
    return this.changes(EXTEND, [id, owner, leaseUntil]);
  }

  async complete(id: string, owner: string, now: number): Promise<boolean> {
    return this.db.transaction(async (client) => {
      if ((await this.db.rows(client, COMPLETE_AGAIN + ' returning id', [id, owner, now])).length > 0) return true;
      return (await this.db.rows(client, COMPLETE + ' returning id', [id, owner])).length > 0;
    });
  }

  async retryLater(id: string, owner: string, notBefore: number, error: string): Promise<boolean> {
    return this.changes(RETRY, [id, owner, notBefore, error]);
  }

  async fail(id: string, owner: string, now: number, error: string): Promise<boolean> {
    return this.changes(FAIL, [id, owner, now, error]);
  }

  async queueStats(now: number): Promise<QueueStats> {
    return this.db.snapshot(async (client) => {
      const counts = await this.db.rows<{ state: string; n: number; due: number }>(client, COUNTS, [now]);
      const of = (state: string) => counts.find((c) => c.state === state);
      const [oldest] = await this.db.rows<QueueRow>(client, OLDEST);
      return {
        queued: of('queued')?.n ?? 0,
        leased: of('leased')?.n ?? 0,
        failed: of('failed')?.n ?? 0,
        due: of('queued')?.due ?? 0,
        oldest: oldest && { id: oldest.id, reason: toClaimedItem(oldest).reason, enqueuedAt: oldest.enqueued_at },
      };
    });
  }

  async listFailed(limit: number): Promise<FailedItem[]> {
    return (await this.db.rows<QueueRow>(this.db.pool, FAILED, [limit])).map(toFailedItem);
  }

  async getState(key: string): Promise<string | undefined> {
    const [row] = await this.db.rows<{ value: string }>(this.db.pool, 'select value from sync_state where key = $1', [
      key,
    ]);
    return row?.value;
  }

  async setState(key: string, value: string, expectedOld?: string | null): Promise<boolean> {
    if (expectedOld === undefined) {
      const upsert =
        'insert into sync_state (key, value) values ($1, $2) on conflict (key) do update set value = excluded.value';
      return this.changes(upsert, [key, value]);
    }
    if (expectedOld === null) {
      return this.changes('insert into sync_state (key, value) values ($1, $2) on conflict (key) do nothing', [
        key,
        value,
      ]);
    }
    return this.changes('update sync_state set value = $2 where key = $1 and value = $3', [key, value, expectedOld]);
  }

  async acquireLease(name: string, owner: string, now: number, ttlMs: number): Promise<boolean> {
    return this.changes(TAKE_LEASE, [name, owner, now + ttlMs, now]);
  }

  async releaseLease(name: string, owner: string): Promise<void> {
    await this.changes('delete from sync_leases where name = $1 and owner = $2', [name, owner]);
  }

  async recordEvents(events: readonly SyncEvent[]): Promise<void> {
    if (events.length === 0) return;
    const latest = Math.max(...events.map((e) => e.at));
    await this.db.transaction(async (client) => {
      await this.db.rows(
        client,
        'insert into sync_events (kind, at, value) select * from unnest($1::text[], $2::bigint[], $3::float8[])',
        [events.map((e) => e.kind), events.map((e) => e.at), events.map((e) => e.value ?? 0)],
      );
      await this.db.rows(client, 'delete from sync_events where at < $1', [latest - EVENT_RETENTION_MS]);
    });
  }

  async eventValues(kind: string, since: number): Promise<number[]> {
    const sql = 'select value from sync_events where kind = $1 and at >= $2 order by value';
    return (await this.db.rows<{ value: number }>(this.db.pool, sql, [kind, since])).map((r) => r.value);
  }

  /** Runs one statement; whether it changed a row (`returning` one column tells, through the named statements). */
  private async changes(sql: string, values: unknown[]): Promise<boolean> {
    return (await this.db.rows(this.db.pool, `${sql} returning 1 as changed`, values)).length > 0;
  }
}
