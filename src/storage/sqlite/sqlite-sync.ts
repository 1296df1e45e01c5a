import type { SyncStateStore } from '../roles.js';
import { EVENT_RETENTION_MS, mergeEnqueueItems, toClaimedItem, toFailedItem, type QueueRow } from '../sql/sync-rows.js';
import type { ClaimedItem, EnqueueItem, FailedItem, QueueStats, SyncEvent } from '../sync-state.js';
import type { SqliteConnection } from './sqlite-connection.js';

// A queued id keeps its earliest due time; a leased one notes when to run again (for a notification or a repair; a
// sweep that lists an id being fetched adds nothing); a failed one starts afresh.
const ENQUEUE = `insert into sync_queue (id, state, reason, known_version, due_at, enqueued_at, attempts, updated_at)
  values (?1, 'queued', ?2, ?3, ?4, ?5, 0, ?5)
  on conflict (id) do update set
    known_version = max(coalesce(sync_queue.known_version, excluded.known_version), coalesce(excluded.known_version, sync_queue.known_version)),
    due_at = case sync_queue.state when 'queued' then min(sync_queue.due_at, excluded.due_at)
      when 'failed' then excluded.due_at else sync_queue.due_at end,
    again_at = case when sync_queue.state = 'leased' and excluded.reason in ('created', 'updated', 'repair') then min(coalesce(sync_queue.again_at, excluded.due_at), excluded.due_at)
      else sync_queue.again_at end,
    reason = case when sync_queue.state = 'failed' then excluded.reason else sync_queue.reason end,
    enqueued_at = case when sync_queue.state = 'failed' then excluded.enqueued_at else sync_queue.enqueued_at end,
    attempts = case when sync_queue.state = 'failed' then 0 else sync_queue.attempts end,
    last_error = case when sync_queue.state = 'failed' then null else sync_queue.last_error end,
    state = case when sync_queue.state = 'failed' then 'queued' else sync_queue.state end,
    updated_at = excluded.updated_at`;
const DUE = `select id from sync_queue where (state = 'queued' and due_at <= ?1) or (state = 'leased' and lease_until <= ?1)
  order by due_at, id limit ?2`;
const LEASE = `update sync_queue set state = 'leased', owner = ?2, lease_until = ?3, attempts = attempts + 1,
  updated_at = ?4 where id = ?1 returning *`;
const HELD = `state = 'leased' and owner = ?2`;
const EXTEND = `update sync_queue set lease_until = ?3 where id = ?1 and ${HELD}`;
const COMPLETE_AGAIN = `update sync_queue set state = 'queued', due_at = again_at, again_at = null, owner = null,
  lease_until = null, attempts = 0, last_error = null, updated_at = ?3 where id = ?1 and ${HELD} and again_at is not null`;
const COMPLETE = `delete from sync_queue where id = ?1 and ${HELD}`;
const RETRY = `update sync_queue set state = 'queued', due_at = min(?3, coalesce(again_at, ?3)), again_at = null,
  owner = null, lease_until = null, last_error = ?4, updated_at = ?3 where id = ?1 and ${HELD}`;
const FAIL = `update sync_queue set state = 'failed', owner = null, lease_until = null, again_at = null, last_error = ?4,
  updated_at = ?3 where id = ?1 and ${HELD}`;
const COUNTS = `select state, count(*) as n, sum(case when due_at <= ?1 then 1 else 0 end) as due
  from sync_queue group by state`;
const OLDEST = `select * from sync_queue where state in ('queued', 'leased') order by enqueued_at, id limit 1`;
const FAILED = `select * from sync_queue where state = 'failed' order by updated_at desc, id limit ?1`;
const TAKE_LEASE = `insert into sync_leases (name, owner, expires_at) values (?1, ?2, ?3)
  on conflict (name) do update set owner = excluded.owner, expires_at = excluded.expires_at
  where sync_leases.owner = excluded.owner or sync_leases.expires_at <= ?4`;

/** The sync role on SQLite: each operation one short write transaction, taken when it begins (BEGIN IMMEDIATE). */
export class SqliteSync implements SyncStateStore {
  constructor(private readonly c: SqliteConnection) {}

  async enqueue(items: readonly EnqueueItem[], now: number): Promise<void> {
    const merged = mergeEnqueueItems(items, now);
    if (merged.length === 0) return;
    const insert = this.stmt(ENQUEUE);
    await this.c.retry(
      this.c.writeTransaction(() => {
        for (const item of merged) insert.run(item.id, item.reason, item.knownVersion, item.dueAt, now);
      }),
    );
  }

  async claim(owner: string, limit: number, now: number, leaseMs: number): Promise<ClaimedItem[]> {
    const due = this.stmt(DUE);
    const lease = this.stmt(LEASE);
    return this.c.retry(
      this.c.writeTransaction(() =>
        (due.all(now, limit) as { id: string }[]).map((row) =>
          toClaimedItem(lease.get(row.id, owner, now + leaseMs, now) as QueueRow),
        ),
      ),
    );
  }

  async extendClaim(id: string, owner: string, leaseUntil: number): Promise<boolean> {
    return this.changes(EXTEND, id, owner, leaseUntil);
  }

  async complete(id: string, owner: string, now: number): Promise<boolean> {
    const again = this.stmt(COMPLETE_AGAIN);
    const remove = this.stmt(COMPLETE);
    return this.c.retry(
      this.c.writeTransaction(() => again.run(id, owner, now).changes > 0 || remove.run(id, owner).changes > 0),
    );
  }

  async retryLater(id: string, owner: string, notBefore: number, error: string): Promise<boolean> {
    return this.changes(RETRY, id, owner, notBefore, error);
  }

  async fail(id: string, owner: string, now: number, error: string): Promise<boolean> {
    return this.changes(FAIL, id, owner, now, error);
  }

  async queueStats(now: number): Promise<QueueStats> {
    return this.c.inSnapshot(() => {
      const counts = this.stmt(COUNTS).all(now) as { state: string; n: number; due: number }[];
      const of = (state: string) => counts.find((c) => c.state === state);
      const oldest = this.stmt(OLDEST).get() as QueueRow | undefined;
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
    return this.c.retry(() => (this.stmt(FAILED).all(limit) as QueueRow[]).map(toFailedItem));
  }

  async getState(key: string): Promise<string | undefined> {
    const row = await this.c.retry(
      () => this.stmt('select value from sync_state where key = ?1').get(key) as { value: string } | undefined,
    );
    return row?.value;
  }

  async setState(key: string, value: string, expectedOld?: string | null): Promise<boolean> {
    const sql =
      expectedOld === undefined
        ? 'insert into sync_state (key, value) values (?1, ?2) on conflict (key) do update set value = excluded.value'
        : expectedOld === null
          ? 'insert into sync_state (key, value) values (?1, ?2) on conflict (key) do nothing'
          : 'update sync_state set value = ?2 where key = ?1 and value = ?3';
    const args = expectedOld === undefined || expectedOld === null ? [key, value] : [key, value, expectedOld];
    return this.changes(sql, ...args);
  }

  async acquireLease(name: string, owner: string, now: number, ttlMs: number): Promise<boolean> {
    return this.changes(TAKE_LEASE, name, owner, now + ttlMs, now);
  }

  async releaseLease(name: string, owner: string): Promise<void> {
    await this.changes('delete from sync_leases where name = ?1 and owner = ?2', name, owner);
  }

  async recordEvents(events: readonly SyncEvent[]): Promise<void> {
    if (events.length === 0) return;
    const insert = this.stmt('insert into sync_events (kind, at, value) values (?1, ?2, ?3)');
    const prune = this.stmt('delete from sync_events where at < ?1');
    const latest = Math.max(...events.map((e) => e.at));
    await this.c.retry(
      this.c.writeTransaction(() => {
        for (const e of events) insert.run(e.kind, e.at, e.value ?? 0);
        prune.run(latest - EVENT_RETENTION_MS);
      }),
    );
  }

  async eventValues(kind: string, since: number): Promise<number[]> {
    const rows = await this.c.retry(
      () =>
        this.stmt('select value from sync_events where kind = ?1 and at >= ?2 order by value').all(kind, since) as {
          value: number;
        }[],
    );
    return rows.map((r) => r.value);
  }

  /**
   * A prepared statement whose `?N` parameters are bound from positional arguments (better-sqlite3 binds numbered
   * parameters by name: `?N` is rewritten to `@pN`).
   */
  private stmt(sql: string): {
    run(...args: unknown[]): { changes: number };
    get(...args: unknown[]): unknown;
    all(...args: unknown[]): unknown[];
  } {
    const prepared = this.c.statement(sql.replace(/\?(\d+)/g, '@p$1'));
    const bind = (args: unknown[]) => Object.fromEntries(args.map((value, i) => [`p${i + 1}`, value]));
    return {
      run: (...args) => prepared.run(bind(args)),
      get: (...args) => prepared.get(bind(args)),
      all: (...args) => prepared.all(bind(args)),
    };
  }

  /** Runs one statement in its own write transaction; whether it changed a row. */
  private changes(sql: string, ...args: unknown[]): Promise<boolean> {
    const stmt = this.stmt(sql);
    return this.c.retry(this.c.writeTransaction(() => stmt.run(...args).changes > 0));
  }
}
