import type { ColumnValue, RecordTable } from '../record-tables.js';

/** A record table's write statements on SQLite, and how its rows drop the columns SQLite has not got. */
export interface SqliteTableSql {
  readonly table: RecordTable;
  /** Inserts one row (a history row whose body is already known is skipped). */
  readonly insert: string;
  /** Deletes every row of one record. */
  readonly deleteRecord: string;
  /** A row as `table.rows` builds it, reduced to SQLite's columns. */
  row(values: readonly ColumnValue[]): ColumnValue[];
}

/**
 * The statements SQLite writes a record table with, derived from its entry in record-tables.ts (so a new table needs
 * no SQL here). Writes go around the query builder, as on PostgreSQL: prepared positional statements.
 */
export function sqliteTableSql(table: RecordTable): SqliteTableSql {
  const keep = table.columns.map((c) => !table.postgresOnly.includes(c));
  const columns = table.columns.filter((_, i) => keep[i]);
  const placeholders = columns.map(() => '?').join(', ');
  const conflict = table.part === 'history' ? ' on conflict do nothing' : '';
  return {
    table,
    insert: `insert into "${table.name}" (${columns.map((c) => `"${c}"`).join(', ')}) values (${placeholders})${conflict}`,
    deleteRecord: `delete from "${table.name}" where "${table.idColumn}" = ?`,
    row: table.postgresOnly.length === 0 ? (values) => [...values] : (values) => values.filter((_, i) => keep[i]),
  };
}
