import type { StreamDerivation } from '../../analytics/stream-rows.js';
import type pg from 'pg';
import {
  HEAD_FACTS,
  VERSION_FACTS,
  rebuildRecord,
  type StoredHeadFacts,
  type StoredVersionFacts,
} from '../privacy-rewrite.js';
import { HEAD_TABLE, HISTORY_TABLES, RECORD_TABLES, type RecordTable } from '../record-tables.js';
import type { BodyRewrite, PrivacyStore } from '../roles.js';
import { lockMonthsShared, lockRecords } from './advisory-locks.js';
import { monthOf } from './partitions.js';
import type { PgQueries } from './pg-queries.js';

const HEAD_SQL = `select ${HEAD_FACTS.join(', ')} from ${HEAD_TABLE.name} where id = $1`;
const VERSIONS_SQL = `select ${VERSION_FACTS.join(', ')} from ${HISTORY_TABLES[0]!.name}
  where record_id = $1 and start_key = $2 order by received_at, content_hash`;
// start_key < cutoff is implied by end_key < cutoff and lets the list index (and partition pruning) narrow the scan.
const UNPURGED_SQL = `select id from call_records c where start_key < $1 and end_key < $1
  and not exists (select 1 from euii_purged p where p.record_id = c.id) order by start_key, id limit $2`;
const MENTIONING_SQL = `select id from call_records where strpos(record_json, $1) > 0
  union select record_id from participants where strpos(participant_json, $1) > 0
  union select record_id from sessions where strpos(session_json, $1) > 0 or strpos(segments_json, $1) > 0
  order by 1`;
const MARK_SQL = `insert into euii_purged (record_id, purged_at) values ($1, $2)
  on conflict (record_id) do update set purged_at = excluded.purged_at`;
const NOTE_ERASURE_SQL = `insert into euii_erasures (pseudonym, erased_at) values ($1, $2) on conflict do nothing`;
const ERASURES_SQL = `select pseudonym from euii_erasures order by pseudonym`;
const FORGET_SQL = `delete from euii_purged p where not exists (select 1 from call_records c where c.id = p.record_id)`;

/**
 * The privacy role on PostgreSQL: each batch is one transaction holding its records' advisory locks (and their
 * months' locks shared, as writers do, so retention cannot drop a month under it); a record's rows are deleted and
 * inserted again from its rewritten bodies. The old row versions become dead tuples, which VACUUM (autovacuum) frees;
 * docs/privacy.md says how to make that immediate.
 */
export class PostgresPrivacy implements PrivacyStore {
  constructor(
    private readonly db: PgQueries,
    /** The stored rule set and building file, read in the rewriting transaction (postgres-streams.ts). */
    private readonly streams?: (client: pg.PoolClient) => Promise<StreamDerivation>,
  ) {}

  async unpurged(cutoffKey: string, limit: number): Promise<string[]> {
    return (await this.db.rows<{ id: string }>(this.db.pool, UNPURGED_SQL, [cutoffKey, limit])).map((r) => r.id);
  }

  async recordsMentioning(value: string): Promise<string[]> {
    const rows = await this.db.rows<{ id: string }>(this.db.pool, MENTIONING_SQL, [JSON.stringify(value)]);
    return rows.map((r) => r.id);
  }

  async rewrite(ids: readonly string[], rewrite: BodyRewrite, purgedAt: string): Promise<number> {
    if (ids.length === 0) return 0;
    return this.db.transaction(async (client) => {
      await lockRecords(client, ids);
      const heads = new Map<string, StoredHeadFacts>();
      for (const id of ids) {
        const head = (await client.query<StoredHeadFacts>(HEAD_SQL, [id])).rows[0];
        if (head !== undefined) heads.set(id, head);
      }
      await lockMonthsShared(client, new Set([...heads.values()].map((h) => monthOf(h.start_key))));
      const derivation = await this.streams?.(client);
      for (const [id, head] of heads) {
        const versions = (await client.query<StoredVersionFacts>(VERSIONS_SQL, [id, head.start_key])).rows;
        const rebuilt = rebuildRecord(id, head, versions, rewrite, derivation);
        for (const table of RECORD_TABLES) await deleteRows(client, table, id, head.start_key);
        for (const { table, rows } of rebuilt) {
          for (const chunk of chunks(rows, table.columns.length))
            await client.query(insertSql(table, chunk.length), chunk.flat());
        }
        await client.query(MARK_SQL, [id, purgedAt]);
      }
      return heads.size;
    });
  }

  async noteErasure(pseudonym: string, at: string): Promise<void> {
    await this.db.rows(this.db.pool, NOTE_ERASURE_SQL, [pseudonym, at]);
  }

  async erasures(): Promise<string[]> {
    return (await this.db.rows<{ pseudonym: string }>(this.db.pool, ERASURES_SQL)).map((r) => r.pseudonym);
  }

  async forgetRemoved(): Promise<number> {
    return (await this.db.pool.query(FORGET_SQL)).rowCount ?? 0;
  }
}

function deleteRows(client: pg.PoolClient, table: RecordTable, id: string, startKey: string) {
  // Every row of a record lives in the month of its current start: naming it prunes the other partitions.
  if (!table.columns.includes('start_key'))
    return client.query(`delete from ${table.name} where ${table.idColumn} = $1`, [id]);
  return client.query(`delete from ${table.name} where ${table.idColumn} = $1 and start_key = $2`, [id, startKey]);
}

// PostgreSQL takes at most 65,535 parameters in one statement.
const MAX_PARAMETERS = 60_000;

/** Rows in runs that fit one statement's parameters. */
function chunks<T>(rows: readonly T[], columns: number): T[][] {
  const size = Math.max(1, Math.floor(MAX_PARAMETERS / columns));
  const runs: T[][] = [];
  for (let i = 0; i < rows.length; i += size) runs.push(rows.slice(i, i + size));
  return runs;
}

/** One insert of `count` rows into a record table (a history row whose body is already there is skipped). */
function insertSql(table: RecordTable, count: number): string {
  const width = table.columns.length;
  const tuples = Array.from(
    { length: count },
    (_, r) => `(${table.columns.map((_, c) => `$${r * width + c + 1}`).join(', ')})`,
  ).join(', ');
  const conflict = table.part === 'history' ? ' on conflict do nothing' : '';
  return `insert into ${table.name} (${table.columns.join(', ')}) values ${tuples}${conflict}`;
}
