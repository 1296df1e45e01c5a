import { sql, type RawBuilder } from 'kysely';

/**
 * The few SQL expressions that differ between dialects — everything else in sql/ is shared. Each store passes its
 * own to `buildStatements` and `ListQueryBuilder`.
 */
export interface DialectSql {
  /** A text column's value as UTF-8 bytes, so readers can send stored JSON without decoding it. */
  jsonBytes(column: string): RawBuilder<Buffer>;
}

/** SQLite: a TEXT value cast to BLOB keeps its UTF-8 bytes (better-sqlite3 returns a Buffer). */
export const SQLITE_SQL: DialectSql = {
  jsonBytes: (column) => sql<Buffer>`cast(${sql.ref(column)} as blob)`,
};

/** PostgreSQL: convert_to gives the text's UTF-8 bytes as bytea, which pg returns as a Buffer. */
export const POSTGRES_SQL: DialectSql = {
  jsonBytes: (column) => sql<Buffer>`convert_to(${sql.ref(column)}, 'UTF8')`,
};
