import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { createApiKey, ApiKeyVerifier } from '../../src/auth/api-keys.js';
import { Authenticator } from '../../src/auth/authenticator.js';
import { systemClock } from '../../src/clock.js';
import { loadGeneratedTenant } from '../../src/cli/demo-data.js';
import type { DashboardEntra } from '../../src/dashboard/dashboard-config.js';
import { createApp } from '../../src/http/create-app.js';
import type { CallRecordDatabase } from '../../src/storage/roles.js';
import { SQLITE_BACKEND, type Backend } from './databases.js';

/** Milliseconds in a day. */
export const DAY_MS = 86_400_000;

/** The UTC day (yyyy-mm-dd) of an instant in milliseconds. */
export function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * The period that holds the whole generated tenant (its calls start in the 30 days before now), as the dashboard's
 * `from` and `to` (exclusive) take it.
 */
export function generatedPeriod(): { from: string; to: string } {
  return { from: day(Date.now() - 31 * DAY_MS), to: day(Date.now() + DAY_MS) };
}

/** A real server on 127.0.0.1 for the browser: the dashboard and the API over a generated tenant. */
export interface DashboardServer {
  url: string;
  app: FastifyInstance;
  db: CallRecordDatabase;
  /** With `readerKey: true`: an API key of the read role (`CallRecords.Read.All`), the server on `--auth keys`. */
  readerKey?: string | undefined;
  close(): Promise<void>;
}

/**
 * Starts the app on a free port over a fresh database (SQLite in memory by default) holding a generated tenant of
 * `calls` calls over the 30 days before now (every version, the seed's building file), as `npm start`'s demo does.
 */
export async function startDashboardServer(
  options: {
    calls?: number;
    seed?: number;
    backend?: Backend;
    authenticator?: (db: CallRecordDatabase) => Authenticator;
    entra?: DashboardEntra;
    /** Serve with `--auth keys` and make an API key of the read role (`server.readerKey`). */
    readerKey?: boolean;
    /** Extra set-up before the server listens (more records, a building file, a collector state). */
    prepare?: (db: CallRecordDatabase) => Promise<void>;
  } = {},
): Promise<DashboardServer> {
  const db = await (options.backend ?? SQLITE_BACKEND).open();
  try {
    if ((options.calls ?? 120) > 0) {
      await loadGeneratedTenant(db, systemClock, { calls: options.calls ?? 120, seed: options.seed ?? 7, days: 30 });
    }
    await options.prepare?.(db);
    const readerKey =
      options.readerKey === true
        ? (
            await createApiKey(db.keys, systemClock, {
              role: 'CallRecords.Read.All',
              name: 'reader',
              expiresAt: undefined,
            })
          ).key
        : undefined;
    const authenticator =
      options.readerKey === true
        ? (db: CallRecordDatabase) =>
            new Authenticator({ keys: new ApiKeyVerifier(db.keys, systemClock), challenge: 'Bearer' })
        : options.authenticator;
    const app = await createApp({
      db,
      clock: systemClock,
      bodyLimit: 8 * 1024 * 1024,
      logger: false,
      authenticator: authenticator?.(db),
      dashboard: { entra: options.entra },
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}`,
      app,
      db,
      readerKey,
      close: async () => {
        try {
          await app.close();
        } finally {
          await db.close();
        }
      },
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}
