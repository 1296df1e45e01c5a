import pg from 'pg';
import { ConfigError } from '../../errors.js';
import { redactPassword } from '../database-url.js';

/** Where a PostgreSQL store lives: the connection string pg understands and the schema its tables are in. */
export interface PostgresLocation {
  connectionString: string;
  schema: string;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Reads `postgres://user@host:port/db?schema=name`. The `schema` parameter (default `public`) is ours: the store
 * creates it if missing and keeps every table in it, so several archives (or test runs) can share one database.
 */
export function parsePostgresUrl(url: string): PostgresLocation {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`database URL '${redactPassword(url)}' is not a valid postgres:// URL`);
  }
  // Without one, pg would connect to the database named after the user and fill its public schema unasked.
  if (parsed.pathname === '' || parsed.pathname === '/') {
    throw new ConfigError(`database URL '${redactPassword(url)}' names no database; use postgres://user@host:port/db`);
  }
  const schema = parsed.searchParams.get('schema') ?? 'public';
  if (!SCHEMA_NAME.test(schema)) {
    throw new ConfigError(`schema '${schema}' must be lower-case letters, digits and _ (at most 63)`);
  }
  parsed.searchParams.delete('schema');
  return { connectionString: parsed.toString(), schema };
}

const INT8_OID = 20;
const parseInt8 = (value: string): number => Number(value);

/**
 * A pool whose connections use the store's schema and return int8 (versions, counts) as numbers; versions are
 * Graph's Int64 but stay far below 2^53. The type parser is per pool, so pg's global defaults stay untouched.
 */
export function createPool(location: PostgresLocation, max = 10): pg.Pool {
  const pool = new pg.Pool({
    connectionString: location.connectionString,
    max,
    options: `-c search_path=${location.schema}`,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID && format !== 'binary'
          ? parseInt8
          : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
    },
  });
  // An idle connection that breaks (a server restart, a network cut) is dropped by the pool and replaced on next
  // use; without a listener pg would raise it as an uncaught error and end the process.
  pool.on('error', () => undefined);
  return pool;
}
