import type pg from 'pg';
import type { ListStatement } from '../sql/list-query.js';
import type { SqlTemplate } from '../sql/template.js';

/** A pool or one of its connections: where a statement runs. */
export type Queryable = pg.Pool | pg.PoolClient;

/** SQLSTATEs after which a write transaction is simply tried again: deadlock, serialisation failure. */
const RETRYABLE = new Set(['40P01', '40001']);
/** "No partition of relation found for row": another instance's retention dropped a month this one knew. */
export const NO_PARTITION = '23514';
const MAX_ATTEMPTS = 6;

/**
 * How the PostgreSQL store talks to the server: every statement as a named prepared statement (each connection parses
 * and plans it once), read snapshots, and write transactions that are tried again after a deadlock, a serialisation
 * failure or a vanished partition.
 */
export class PgQueries {
  private readonly names = new Map<string, string>();

  constructor(readonly pool: pg.Pool) {}

  /**
   * Runs SQL text with positional parameters, prepared under a stable name. `R` is what the statement returns: the
   * row type a compiled statement carries (`all`, `get`), or the columns a hand-written one selects. This is where
   * the driver's rows get their type; the pool's type parsers (connection.ts) make them match it.
   */
  async rows<R extends object>(on: Queryable, text: string, values: readonly unknown[] = []): Promise<R[]> {
    return (await on.query<R>({ name: this.nameOf(text), text, values: [...values] })).rows;
  }

  /** Runs a compiled statement (sql/statements.ts) with its named values; rows come typed by the statement. */
  all<P, O extends object>(on: Queryable, template: SqlTemplate<P, O>, values: P): Promise<O[]> {
    return this.rows<O>(on, template.sql, template.bind(values));
  }

  /** Runs a list or count statement (sql/list-query.ts); rows come typed by the statement. */
  query<O extends object>(on: Queryable, statement: ListStatement<O>): Promise<O[]> {
    return this.rows<O>(on, statement.sql, statement.parameters);
  }

  /** The first row of a compiled statement, if any. */
  async get<P, O extends object>(on: Queryable, template: SqlTemplate<P, O>, values: P): Promise<O | undefined> {
    return (await this.all(on, template, values))[0];
  }

  /**
   * Runs `work` in a read-write transaction, again from the start after a retryable failure. `prepare` runs on the
   * same connection before each attempt's transaction begins, told what failed the attempt before (if anything).
   */
  async transaction<T>(
    work: (client: pg.PoolClient) => Promise<T>,
    prepare?: (client: pg.PoolClient, retriedAfter: string | undefined) => Promise<void>,
  ): Promise<T> {
    const client = await this.pool.connect();
    let retriedAfter: string | undefined;
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          await prepare?.(client, retriedAfter);
          await client.query('begin');
          const result = await work(client);
          await client.query('commit');
          return result;
        } catch (error) {
          await client.query('rollback').catch(() => undefined);
          const code = (error as { code?: string }).code;
          const retryable = code !== undefined && (RETRYABLE.has(code) || code === NO_PARTITION);
          if (!retryable || attempt >= MAX_ATTEMPTS) throw error;
          retriedAfter = code;
          if (code !== NO_PARTITION) await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
        }
      }
    } finally {
      client.release();
    }
  }

  /** Runs several reads on one snapshot (a repeatable-read, read-only transaction). */
  async snapshot<T>(read: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('begin isolation level repeatable read read only');
      const result = await read(client);
      await client.query('commit');
      return result;
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** A stable prepared-statement name per SQL text. */
  private nameOf(sql: string): string {
    let name = this.names.get(sql);
    if (name === undefined) {
      name = `cr_${this.names.size}`;
      this.names.set(sql, name);
    }
    return name;
  }
}
