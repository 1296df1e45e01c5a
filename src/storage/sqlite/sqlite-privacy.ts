import type { SqliteStreams } from './sqlite-streams.js';
import {
  HEAD_FACTS,
  VERSION_FACTS,
  rebuildRecord,
  type StoredHeadFacts,
  type StoredVersionFacts,
} from '../privacy-rewrite.js';
import { HISTORY_TABLES, RECORD_TABLES } from '../record-tables.js';
import type { BodyRewrite, PrivacyStore } from '../roles.js';
import { sqliteTableSql } from './record-table-sql.js';
import type { SqliteConnection } from './sqlite-connection.js';

const HEAD_SQL = `select ${HEAD_FACTS.join(', ')} from call_records where id = ?`;
const VERSIONS_SQL = `select ${VERSION_FACTS.join(', ')} from ${HISTORY_TABLES[0]!.name} where record_id = ? order by received_at, content_hash`;
// start_key < cutoff is implied by end_key < cutoff and lets the list index narrow the scan.
const UNPURGED_SQL = `select id from call_records c where start_key < ? and end_key < ?
  and not exists (select 1 from euii_purged p where p.record_id = c.id) order by start_key, id limit ?`;
const MENTIONING_SQL = `select id from call_records where instr(record_json, @v) > 0
  union select record_id from participants where instr(participant_json, @v) > 0
  union select record_id from sessions where instr(session_json, @v) > 0 or instr(segments_json, @v) > 0
  order by 1`;
const MARK_SQL = `insert into euii_purged (record_id, purged_at) values (?, ?)
  on conflict (record_id) do update set purged_at = excluded.purged_at`;
const NOTE_ERASURE_SQL = `insert into euii_erasures (pseudonym, erased_at) values (?, ?) on conflict do nothing`;
const ERASURES_SQL = `select pseudonym from euii_erasures order by pseudonym`;
const FORGET_SQL = `delete from euii_purged where not exists (select 1 from call_records c where c.id = euii_purged.record_id)`;

/**
 * The privacy role on SQLite: a record's rows are deleted and rebuilt from its rewritten bodies in one write
 * transaction. The file is opened with `secure_delete` (sqlite-file.ts), so the pages the old rows held are zeroed;
 * after a rewrite the write-ahead log is checkpointed, so no copy of them stays in the log either.
 */
export class SqlitePrivacy implements PrivacyStore {
  private readonly rewriteBatch: (ids: readonly string[], rewrite: BodyRewrite, purgedAt: string) => number;

  constructor(
    private readonly c: SqliteConnection,
    private readonly streams?: SqliteStreams,
  ) {
    const tables = RECORD_TABLES.map(sqliteTableSql);
    this.rewriteBatch = c.writeTransaction((ids: readonly string[], rewrite: BodyRewrite, purgedAt: string) => {
      let done = 0;
      const derivation = this.streams?.derivation();
      for (const id of ids) {
        const head = c.statement(HEAD_SQL).get(id) as StoredHeadFacts | undefined;
        if (head === undefined) continue;
        const versions = c.statement(VERSIONS_SQL).all(id) as StoredVersionFacts[];
        const rebuilt = rebuildRecord(id, head, versions, rewrite, derivation);
        for (const table of tables) c.statement(table.deleteRecord).run(id);
        for (const { table, rows } of rebuilt) {
          const sql = tables.find((t) => t.table === table)!;
          for (const row of rows) c.statement(sql.insert).run(...sql.row(row));
        }
        c.statement(MARK_SQL).run(id, purgedAt);
        done++;
      }
      return done;
    });
  }

  async unpurged(cutoffKey: string, limit: number): Promise<string[]> {
    const rows = await this.c.retry(() => this.c.statement(UNPURGED_SQL).all(cutoffKey, cutoffKey, limit));
    return (rows as { id: string }[]).map((r) => r.id);
  }

  async recordsMentioning(value: string): Promise<string[]> {
    const needle = JSON.stringify(value);
    const rows = await this.c.retry(() => this.c.statement(MENTIONING_SQL).all({ v: needle }));
    return (rows as { id: string }[]).map((r) => r.id);
  }

  async rewrite(ids: readonly string[], rewrite: BodyRewrite, purgedAt: string): Promise<number> {
    if (ids.length === 0) return 0;
    const done = await this.c.retry(() => this.rewriteBatch(ids, rewrite, purgedAt));
    // The old rows' pages are zeroed in the file (secure_delete); their images in the log go with the checkpoint.
    this.c.unlessBusy(() => this.c.db.pragma('wal_checkpoint(TRUNCATE)'));
    // Between batches the event loop serves whatever requests are waiting (the batch itself is synchronous).
    await new Promise((resolve) => setImmediate(resolve));
    return done;
  }

  async noteErasure(pseudonym: string, at: string): Promise<void> {
    await this.c.retry(() => this.c.statement(NOTE_ERASURE_SQL).run(pseudonym, at));
  }

  async erasures(): Promise<string[]> {
    const rows = await this.c.retry(() => this.c.statement(ERASURES_SQL).all());
    return (rows as { pseudonym: string }[]).map((r) => r.pseudonym);
  }

  async forgetRemoved(): Promise<number> {
    return this.c.retry(() => this.c.statement(FORGET_SQL).run().changes);
  }
}
