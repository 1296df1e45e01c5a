import type pg from 'pg';
import type { RecordWrite, WriteResult } from '../store.js';
import { lockMonthsShared, lockRecords } from './advisory-locks.js';
import { copyRows } from './copy-rows.js';
import { monthOf, type MonthlyPartitions } from './partitions.js';
import { NO_PARTITION, type PgQueries } from './pg-queries.js';
import { CURRENT_TABLES, HISTORY_TABLES, type RecordTable, type RowContext } from '../record-tables.js';
import { toCurrentHead, type CurrentHead, type CurrentHeadRow } from '../write-decision.js';
import { bodyKey, planWrites } from './write-plan.js';
import type { StreamDerivation } from '../../analytics/stream-rows.js';

/**
 * Writes a batch of records in one transaction: the months' partitions made first (on this connection, before the
 * transaction, so no lock is held and no second pool connection is needed), the months' and records' advisory locks,
 * the current heads and known bodies in two statements, every version decided in memory (write-plan.ts), the replaced
 * rows deleted and the new ones sent with COPY.
 */
export function writeBatch(
  db: PgQueries,
  partitions: MonthlyPartitions,
  records: readonly RecordWrite[],
  receivedAt: string,
  streams?: (client: pg.PoolClient) => Promise<StreamDerivation>,
): Promise<WriteResult[]> {
  const months = new Set(records.map((r) => monthOf(r.startKey)));
  const ids = [...new Set(records.map((r) => r.id))];
  const prepare = async (client: pg.PoolClient, retriedAfter: string | undefined) => {
    if (retriedAfter === NO_PARTITION) partitions.forget();
    await partitions.ensure(months, client);
  };
  return db.transaction(async (client) => {
    await lockMonthsShared(client, months);
    await lockRecords(client, ids);
    // The stream table's rule set and buildings, read after the locks (postgres-streams.ts: a rebuild cannot miss us).
    const derivation = await streams?.(client);
    const plan = planWrites(records, await currentHeads(db, client, ids), await knownBodies(db, client, ids));
    // A record that moved to another month takes its older history rows with it (PostgreSQL moves the rows between
    // partitions), so that every row of a record lives in the month of its current start.
    if (plan.moved.size > 0) {
      for (const table of HISTORY_TABLES) {
        await client.query(
          `update ${table.name} v set start_key = m.start_key
             from unnest($1::text[], $2::text[]) as m(id, start_key)
            where v.${table.idColumn} = m.id and v.start_key <> m.start_key`,
          [[...plan.moved.keys()], [...plan.moved.values()]],
        );
      }
    }
    if (plan.replaced.length > 0) {
      for (const table of CURRENT_TABLES) {
        await client.query(`delete from ${table.name} where ${table.idColumn} = any($1::text[])`, [plan.replaced]);
      }
    }
    // A restored backup carries each version's own receive time.
    const current = [...plan.newCurrent.values()];
    for (const table of CURRENT_TABLES) {
      await copyTable(client, table, current, (r) => ({
        receivedAt: r.receivedAt ?? receivedAt,
        startKey: r.startKey,
        streams: derivation,
      }));
    }
    for (const table of HISTORY_TABLES) {
      await copyTable(client, table, plan.newVersions, (r) => ({
        receivedAt: r.receivedAt ?? receivedAt,
        startKey: plan.finalStart.get(r.id)!,
      }));
    }
    return plan.results;
  }, prepare);
}

/** Sends the rows of `records` in one table with COPY (nothing when they have none). */
async function copyTable(
  client: pg.PoolClient,
  table: RecordTable,
  records: readonly RecordWrite[],
  context: (record: RecordWrite) => RowContext,
): Promise<void> {
  const rows = records.flatMap((r) => table.rows(r, context(r)));
  if (rows.length > 0) await copyRows(client, table.name, table.columns, rows);
}

async function currentHeads(db: PgQueries, client: pg.PoolClient, ids: string[]): Promise<Map<string, CurrentHead>> {
  const rows = await db.rows<CurrentHeadRow & { id: string }>(
    client,
    `select id, version, completeness, start_key, last_modified_key, content_hash, partial
       from call_records where id = any($1::text[])`,
    [ids],
  );
  return new Map(rows.map((r) => [r.id, toCurrentHead(r)]));
}

async function knownBodies(db: PgQueries, client: pg.PoolClient, ids: string[]): Promise<Set<string>> {
  const rows = await db.rows<{ record_id: string; content_hash: string }>(
    client,
    `select record_id, content_hash from record_versions where record_id = any($1::text[])`,
    [ids],
  );
  return new Set(rows.map((r) => bodyKey(r.record_id, r.content_hash)));
}
