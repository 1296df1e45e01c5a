import { CURRENT_TABLES, HISTORY_TABLES, type RowContext } from '../record-tables.js';
import {
  exportValues,
  mapped,
  toExportedRecord,
  toHead,
  toListedRecord,
  toParticipant,
  toPartialRecord,
  toSession,
} from '../sql/rows.js';
import type { RecordStore } from '../roles.js';
import type {
  Collection,
  ExportRange,
  ExportedRecord,
  ListedRecord,
  PageRequest,
  PartialRecord,
  PartialRecordQuery,
  RecordFilterQuery,
  RecordHead,
  RecordQuery,
  RecordRead,
  RecordWrite,
  StoredItem,
  WriteResult,
} from '../store.js';
import { decideWrite, toCurrentHead } from '../write-decision.js';
import { sqliteTableSql, type SqliteTableSql } from './record-table-sql.js';
import type { SqliteConnection } from './sqlite-connection.js';
import type { SqliteStreams } from './sqlite-streams.js';

/**
 * The records role on SQLite: a batch of records is written in one transaction, record by record under the version
 * rules (write-decision.ts), the rows of every record table built from record-tables.ts; each read comes from one
 * snapshot.
 */
export class SqliteRecords implements RecordStore {
  private readonly writeBatch: (records: readonly RecordWrite[], receivedAt: string) => WriteResult[];
  private readonly current = CURRENT_TABLES.map(sqliteTableSql);
  private readonly history = HISTORY_TABLES.map(sqliteTableSql);

  constructor(
    private readonly c: SqliteConnection,
    private readonly streams?: SqliteStreams,
  ) {
    this.writeBatch = c.writeTransaction((records: readonly RecordWrite[], receivedAt: string) => {
      // The stream table's rule set and buildings, as stored when this transaction began.
      const derivation = this.streams?.derivation();
      return records.map((record) => this.writeOne(record, receivedAt, derivation));
    });
  }

  async write(records: readonly RecordWrite[], receivedAt: string): Promise<WriteResult[]> {
    return this.c.retry(() => this.writeBatch(records, receivedAt));
  }

  async readRecord(id: string, page?: PageRequest): Promise<RecordRead | undefined> {
    return this.c.inSnapshot(() => {
      const row = this.c.get(this.c.sql.getRecord, { id });
      if (row === undefined) return undefined;
      const read: RecordRead = { ...toHead(row), json: row.record_json };
      if (page !== undefined) read.items = this.pageItems(id, page);
      return read;
    });
  }

  async readPage(id: string, page: PageRequest): Promise<{ head: RecordHead; items: StoredItem[] } | undefined> {
    return this.c.inSnapshot(() => {
      const head = this.c.get(this.c.sql.recordHead, { id });
      return head && { head: toHead(head), items: this.pageItems(id, page) };
    });
  }

  async readItem(
    id: string,
    collection: Collection,
    itemId: string,
  ): Promise<{ head: RecordHead; item: StoredItem | undefined } | undefined> {
    const { sql } = this.c;
    return this.c.inSnapshot(() => {
      const head = this.c.get(sql.recordHead, { id });
      if (head === undefined) return undefined;
      const item =
        collection === 'sessions'
          ? mapped(this.c.get(sql.sessionById, { id, sessionId: itemId }), toSession)
          : mapped(this.c.get(sql.participantById, { id, participantId: itemId }), toParticipant);
      return { head: toHead(head), item };
    });
  }

  async listRecords(query: RecordQuery): Promise<ListedRecord[]> {
    const rows = await this.c.retry(() => this.c.rows(this.c.listQueries.list(query)));
    return rows.map(toListedRecord);
  }

  async countRecords(filter: RecordFilterQuery): Promise<number> {
    return this.c.retry(() => this.c.rows(this.c.listQueries.count(filter))[0]!.n);
  }

  async listPartialRecords(query: PartialRecordQuery): Promise<PartialRecord[]> {
    return this.c.retry(() =>
      this.c.all(this.c.sql.partialPage, { after: query.after ?? '', limit: query.limit }).map(toPartialRecord),
    );
  }

  async exportRecords(
    range: ExportRange,
    after: { startKey: string; id: string } | undefined,
    limit: number,
  ): Promise<ExportedRecord[]> {
    const rows = await this.c.retry(() => this.c.all(this.c.sql.exportPage, exportValues(range, after, limit)));
    return rows.map(toExportedRecord);
  }

  /** The query plan SQLite would use for a list query (tests assert that filters use an index). */
  explainList(query: RecordQuery): string[] {
    const { sql, parameters } = this.c.listQueries.list(query);
    const rows = this.c.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...parameters) as { detail: string }[];
    return rows.map((r) => r.detail);
  }

  private pageItems(id: string, page: PageRequest): StoredItem[] {
    const values = { id, from: page.fromOrdinal, limit: page.limit };
    return page.collection === 'sessions'
      ? this.c.all(this.c.sql.sessionsPage, values).map(toSession)
      : this.c.all(this.c.sql.participantsPage, values).map(toParticipant);
  }

  private writeOne(record: RecordWrite, batchReceivedAt: string, streams: RowContext['streams']): WriteResult {
    const { id, contentHash: hash } = record;
    // A restored backup carries each version's own receive time.
    const context = { receivedAt: record.receivedAt ?? batchReceivedAt, startKey: record.startKey, streams };
    const row = this.c.get(this.c.sql.currentHead, { id });
    const known = this.c.get(this.c.sql.versionExists, { id, hash }) !== undefined;
    const decision = decideWrite(record, row && toCurrentHead(row), known);
    if (decision.addToHistory) this.insertRows(this.history, record, context);
    if (decision.becomesCurrent) {
      // The current version's rows are replaced whole, in every table of the current version.
      if (row !== undefined) for (const table of this.current) this.c.statement(table.deleteRecord).run(id);
      this.insertRows(this.current, record, context);
    }
    return decision.result;
  }

  private insertRows(tables: readonly SqliteTableSql[], record: RecordWrite, context: RowContext): void {
    for (const table of tables) {
      const insert = this.c.statement(table.insert);
      for (const values of table.table.rows(record, context)) insert.run(...table.row(values));
    }
  }
}
