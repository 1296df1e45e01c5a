import type pg from 'pg';

/**
 * The advisory locks that let several instances write one database. Transaction-scoped locks are always taken in
 * ascending key order, so two transactions never wait on each other in a cycle.
 */

/** Writers into a month hold its lock shared, so retention cannot drop the month under them. */
export function lockMonthsShared(client: pg.PoolClient, months: ReadonlySet<string>): Promise<void> {
  return advisoryLocks(client, [...months].map(monthLockKey), 'pg_advisory_xact_lock_shared');
}

/** Each record's writers (and retention) queue behind each other instead of deadlocking. */
export function lockRecords(client: pg.PoolClient, ids: readonly string[]): Promise<void> {
  return advisoryLocks(client, ids, 'pg_advisory_xact_lock');
}

/** Runs `work` holding a month's lock alone (session-scoped: dropping a partition cannot run in a transaction). */
export async function withMonthLocked<T>(client: pg.PoolClient, month: string, work: () => Promise<T>): Promise<T> {
  const key = monthLockKey(month);
  await client.query('select pg_advisory_lock(hashtextextended($1, 0))', [key]);
  try {
    return await work();
  } finally {
    await client.query('select pg_advisory_unlock(hashtextextended($1, 0))', [key]);
  }
}

function monthLockKey(month: string): string {
  return `callrecords month ${month}`;
}

async function advisoryLocks(
  client: pg.PoolClient,
  names: readonly string[],
  lock: 'pg_advisory_xact_lock' | 'pg_advisory_xact_lock_shared',
): Promise<void> {
  await client.query({
    name: lock,
    text: `select ${lock}(k)
             from (select distinct hashtextextended(n, 0) as k from unnest($1::text[]) as n order by k) as keys`,
    values: [names],
  });
}
