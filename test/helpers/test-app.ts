import type { Json } from './json.js';
import type { FastifyInstance } from 'fastify';
import type { Authenticator } from '../../src/auth/authenticator.js';
import type { Clock } from '../../src/clock.js';
import { FakeClock } from '../../src/fake-clock.js';
import { createApp } from '../../src/http/create-app.js';
import type { CallRecordDatabase } from '../../src/storage/roles.js';
import { SQLITE_BACKEND, type Backend } from './databases.js';

/** The instant every test app believes it is. */
export const FIXED_NOW = new Date('2026-11-26T12:00:00.000Z');
/** A clock that stays at FIXED_NOW (nothing advances it). */
export const fixedClock: Clock = new FakeClock(FIXED_NOW);

/**
 * An app on a fresh database of `backend` (default SQLite in memory), or on `db` when given (closed with the app);
 * `inject` requests see `http://localhost:80` as the service's base URL.
 */
export async function createTestApp(
  options: {
    backend?: Backend;
    db?: CallRecordDatabase;
    bodyLimit?: number;
    /** Authentication on (issue 11); built over the app's database by `authenticator(db)`. */
    authenticator?: (db: CallRecordDatabase) => Authenticator;
    clock?: Clock;
    graphStrict?: boolean;
    /** False turns the dashboard at `/` off. */
    dashboard?: false;
  } = {},
): Promise<{ app: FastifyInstance; db: CallRecordDatabase; close(): Promise<void> }> {
  const db = options.db ?? (await (options.backend ?? SQLITE_BACKEND).open());
  let app: FastifyInstance;
  try {
    app = await createApp({
      db,
      clock: options.clock ?? fixedClock,
      bodyLimit: options.bodyLimit ?? 1024 * 1024,
      logger: false,
      authenticator: options.authenticator?.(db),
      graphStrict: options.graphStrict,
      dashboard: options.dashboard,
    });
  } catch (error) {
    await db.close();
    throw error;
  }
  return {
    app,
    db,
    close: async () => {
      try {
        await app.close();
      } finally {
        await db.close();
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
