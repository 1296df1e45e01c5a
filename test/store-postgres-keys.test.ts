/**
 * The PostgreSQL schema stays distributable by record id (docs/scaling.md, Citus): every primary and unique key of a
 * record table includes the record id, there are no foreign keys, and the record tables are partitioned by month of
 * startDateTime. Read from the catalog of a freshly migrated schema.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { PostgresStore } from '../src/storage/postgres/postgres-store.js';
import { POSTGRES_ENABLED, POSTGRES_URL, testSchema } from './helpers/postgres.js';

const RECORD_ID_COLUMN: Record<string, string> = {
  call_records: 'id',
  sessions: 'record_id',
  participants: 'record_id',
  record_versions: 'record_id',
  streams: 'record_id',
};

describe('PostgreSQL schema keys', { skip: !POSTGRES_ENABLED && 'PostgreSQL not reachable' }, () => {
  const schema = testSchema('keys');
  let client: pg.Client;
  before(async () => {
    await (await PostgresStore.open(schema.url)).close();
    client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
  });
  after(async () => {
    await client.end();
    await schema.drop();
  });

  test('every primary and unique key of a record table includes the record id', async () => {
    const { rows } = await client.query<{ table: string; name: string; type: string; columns: string[] }>(
      `select t.relname as table, c.conname as name, c.contype as type,
              array(select a.attname::text from unnest(c.conkey) k join pg_attribute a
                     on a.attrelid = c.conrelid and a.attnum = k) as columns
         from pg_constraint c join pg_class t on t.oid = c.conrelid join pg_namespace n on n.oid = t.relnamespace
        where n.nspname = $1 and c.contype in ('p', 'u') and not t.relispartition`,
      [schema.name],
    );
    for (const [table, column] of Object.entries(RECORD_ID_COLUMN)) {
      const keys = rows.filter((r) => r.table === table);
      assert.ok(keys.length > 0, `${table} has a primary key`);
      for (const key of keys) assert.ok(key.columns.includes(column), `${key.name} on ${table} includes ${column}`);
    }
  });

  test('no foreign keys, and the record tables are partitioned by start_key', async () => {
    const fks = await client.query(
      `select c.conname from pg_constraint c join pg_namespace n on n.oid = c.connamespace
        where n.nspname = $1 and c.contype = 'f'`,
      [schema.name],
    );
    assert.deepEqual(fks.rows, []);
    const partitioned = await client.query<{ table: string; key: string }>(
      `select t.relname as table, pg_get_partkeydef(t.oid) as key
         from pg_partitioned_table p join pg_class t on t.oid = p.partrelid
         join pg_namespace n on n.oid = t.relnamespace where n.nspname = $1 order by 1`,
      [schema.name],
    );
    assert.deepEqual(
      partitioned.rows,
      Object.keys(RECORD_ID_COLUMN)
        .sort()
        .map((table) => ({ table, key: 'RANGE (start_key)' })),
    );
  });
});
