import { FakeClock } from '../../src/fake-clock.js';
import type { CallRecordDatabase } from '../../src/storage/roles.js';
import type { AppRegistration } from '../../src/simulator/app-registration.js';
import { createSimulator, type GraphSimulator } from '../../src/simulator/create-simulator.js';
import { parseFaults } from '../../src/simulator/faults.js';
import type { ChangeSink, RecordChange } from '../../src/simulator/simulated-tenant.js';
import { SQLITE_BACKEND, type Backend } from './databases.js';

/** The app every test simulator registers. */
export const TEST_REGISTRATION: AppRegistration = {
  tenantId: 'test-tenant',
  clientId: 'test-client',
  clientSecret: 'test-secret',
};

/** A simulator in this process on a FakeClock, with the changes its tenant published. */
export interface TestSimulator extends GraphSimulator {
  db: CallRecordDatabase;
  fakeClock: FakeClock;
  published: RecordChange[];
  /** A valid bearer token header for Graph requests. */
  auth(): Promise<{ authorization: string }>;
  /** Moves the clock on by `ms` and lets the tenant release what fell due. */
  advance(ms: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Builds a simulator over a fresh database of `backend` (default SQLite in memory) at `now`, with `faults`
 * (`all`, `none` or a list) and a sink that records what the tenant published.
 */
export async function createTestSimulator(
  options: { faults?: string; faultRate?: number; backend?: Backend; now?: Date; sink?: ChangeSink } = {},
): Promise<TestSimulator> {
  const db = await (options.backend ?? SQLITE_BACKEND).open();
  const fakeClock = new FakeClock(options.now ?? new Date('2026-11-26T12:00:00.000Z'));
  const published: RecordChange[] = [];
  const simulator = await createSimulator({
    db,
    clock: fakeClock,
    speed: 1,
    faults: parseFaults(options.faults ?? 'none'),
    faultRate: options.faultRate ?? 0.05,
    seed: 1,
    registration: TEST_REGISTRATION,
    bodyLimit: 1024 * 1024,
    logger: false,
    sink: options.sink ?? { publish: async (changes) => void published.push(...changes) },
  });
  return {
    ...simulator,
    db,
    fakeClock,
    published,
    async auth() {
      const res = await simulator.app.inject({
        method: 'POST',
        url: `/${TEST_REGISTRATION.tenantId}/oauth2/v2.0/token`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: TEST_REGISTRATION.clientId,
          client_secret: TEST_REGISTRATION.clientSecret!,
          scope: 'https://graph.microsoft.com/.default',
        }).toString(),
      });
      return { authorization: `Bearer ${(res.json() as { access_token: string }).access_token}` };
    },
    async advance(ms) {
      await fakeClock.advance(ms);
      await simulator.tenant.tick();
    },
    async close() {
      try {
        await simulator.app.close();
      } finally {
        await db.close();
      }
    },
  };
}
