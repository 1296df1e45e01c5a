import type { Json } from './json.js';
import type { FastifyInstance } from 'fastify';
import type { Clock } from '../../src/clock.js';
import { FakeClock } from '../../src/fake-clock.js';
import { createApp } from '../../src/http/create-app.js';
import type { CallRecordStore } from '../../src/storage/store.js';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.js';
import { PostgresStore } from '../../src/storage/postgres/postgres-store.js';
import { POSTGRES_ENABLED, testSchema } from './postgres.js';

/** The instant every test app believes it is. */
export const FIXED_NOW = new Date('2026-11-26T12:00:00.000Z');
/** A clock that stays at FIXED_NOW (nothing advances it). */
export const fixedClock: Clock = new FakeClock(FIXED_NOW);

/** A backend a contract test runs against. */
export interface StoreUnderTest {
  name: string;
  open(): Promise<CallRecordStore>;
}

/** A PostgreSQL store in a schema of its own, dropped when the store is closed. */
async function openPostgresStore(): Promise<CallRecordStore> {
  const schema = testSchema();
  const store = await PostgresStore.open(schema.url);
  const close = store.close.bind(store);
  store.close = async () => {
    await close();
    await schema.drop();
  };
  return store;
}

/** Every store the contract suite and the HTTP tests run on (PostgreSQL when reachable: see helpers/postgres.ts). */
export const STORES: StoreUnderTest[] = [
  { name: 'sqlite', open: () => SqliteStore.open(':memory:') },
  ...(POSTGRES_ENABLED ? [{ name: 'postgres', open: openPostgresStore }] : []),
];

/** The backend a test app opens unless told otherwise: SQLite in memory. */
export const SQLITE_STORE: StoreUnderTest = STORES[0]!;

/**
 * An app on a fresh store of `backend` (default SQLite in memory), or on `store` when given (closed with the app);
 * `inject` requests see `http://localhost:80` as the service's base URL.
 */
export async function createTestApp(
  options: { backend?: StoreUnderTest; store?: CallRecordStore; bodyLimit?: number } = {},
): Promise<{ app: FastifyInstance; store: CallRecordStore; close(): Promise<void> }> {
  const store = options.store ?? (await (options.backend ?? SQLITE_STORE).open());
  let app: FastifyInstance;
  try {
    app = await createApp({ store, clock: fixedClock, bodyLimit: options.bodyLimit ?? 1024 * 1024, logger: false });
  } catch (error) {
    await store.close();
    throw error;
  }
  return {
    app,
    store,
    close: async () => {
      try {
        await app.close();
      } finally {
        await store.close();
      }
    },
  };
}

/** The base URL `inject` requests are served under. */
export const INJECT_BASE = 'http://localhost:80';

/** POSTs records to the ingest API and returns the parsed answer. */
export async function ingest(app: FastifyInstance, body: unknown): Promise<{ status: number; json: Json }> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/callRecords',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify(body),
  });
  return { status: res.statusCode, json: res.json() };
}
