import { sql, type RawBuilder } from 'kysely';
import type { StoredJson } from '../store.js';

/**
 * The few SQL expressions that differ between dialects — everything else in sql/ is shared. Each store passes its
 * own to `buildStatements` and `ListQueryBuilder`.
 */
export interface DialectSql {
  /** A JSON text column as the driver returns it most cheaply (see `StoredJson`), for readers to send on unparsed. */
  storedJson(column: string): RawBuilder<StoredJson>;
}

/** SQLite: a TEXT value cast to BLOB keeps its UTF-8 bytes (better-sqlite3 returns a Buffer). */
export const SQLITE_SQL: DialectSql = {
  storedJson: (column) => sql<Buffer>`cast(${sql.ref(column)} as blob)`,
};

/**
 * PostgreSQL: the text itself. Asking for bytes (`convert_to(…)` as bytea) made pg decode twice the data from hex:
 * a 60-session page read 2,116 times/s as bytea against 6,323 as text (bench/RESULTS.md, History).
 */
export const POSTGRES_SQL: DialectSql = {
  storedJson: (column) => sql<string>`${sql.ref(column)}`,
};
