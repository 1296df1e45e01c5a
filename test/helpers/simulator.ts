import assert from 'node:assert/strict';
import { FakeClock } from '../../src/fake-clock.js';
import type { OutboxDelivery } from '../../src/notify/outbox-delivery.js';
import type { CallRecordDatabase } from '../../src/storage/roles.js';
import type { AppRegistration } from '../../src/simulator/app-registration.js';
import { createSimulator, type GraphSimulator } from '../../src/simulator/create-simulator.js';
import { parseFaults } from '../../src/simulator/faults.js';
import { SQLITE_BACKEND, type Backend } from './databases.js';
import { FakeSubscriber } from './fake-subscriber.js';

/** The app every test simulator registers. */
export const TEST_REGISTRATION: AppRegistration = {
  tenantId: 'test-tenant',
  clientId: 'test-client',
  clientSecret: 'test-secret',
};

/** The URLs a test subscription names; the fake subscriber answers both. */
export const NOTIFY_URL = 'https://collector.example/notifications';
export const LIFECYCLE_URL = 'https://collector.example/lifecycle';

/** A simulator in this process on a FakeClock, with a fake subscriber behind its outbox. */
export interface TestSimulator extends GraphSimulator {
  db: CallRecordDatabase;
  clock: FakeClock;
  subscriber: FakeSubscriber;
  outbox: OutboxDelivery;
  /** A valid bearer token header for Graph requests. */
  auth(): Promise<{ authorization: string }>;
  /** Subscribes the fake subscriber to call records (created,updated) and returns the subscription id. */
  subscribe(): Promise<string>;
  /** The change notifications the subscriber received: `changeType id`. */
  received(): string[];
  /** Moves the clock on by `ms`, lets the tenant release what fell due and delivers the outbox. */
  advance(ms: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Builds a simulator over a fresh database of `backend` (default SQLite in memory) at `now`, with `faults`
 * (`all`, `none` or a list); the handshake and deliveries go to a FakeSubscriber.
 */
export async function createTestSimulator(
  options: { faults?: string; faultRate?: number; speed?: number; backend?: Backend; now?: Date; seed?: number } = {},
): Promise<TestSimulator> {
  const db = await (options.backend ?? SQLITE_BACKEND).open();
  const clock = new FakeClock(options.now ?? new Date('2026-11-26T12:00:00.000Z'));
  const subscriber = new FakeSubscriber();
  const simulator = await createSimulator({
    db,
    clock,
    speed: options.speed ?? 1,
    faults: parseFaults(options.faults ?? 'none'),
    faultRate: options.faultRate ?? 0.05,
    seed: options.seed ?? 1,
    registration: TEST_REGISTRATION,
    bodyLimit: 1024 * 1024,
    logger: false,
    fetch: subscriber.fetch,
  });
  const quiet = () => undefined;
  const outbox = simulator.delivery({
    clock,
    fetch: subscriber.fetch,
    log: { info: quiet, warn: quiet, error: quiet },
  });
  const auth = async () => {
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
  };
  return {
    ...simulator,
    db,
    clock,
    subscriber,
    outbox,
    auth,
    async subscribe() {
      const res = await simulator.app.inject({
        method: 'POST',
        url: '/v1.0/subscriptions',
        headers: await auth(),
        payload: {
          changeType: 'created,updated',
          notificationUrl: NOTIFY_URL,
          lifecycleNotificationUrl: LIFECYCLE_URL,
          resource: '/communications/callRecords',
          expirationDateTime: new Date(clock.now().getTime() + 4200 * 60_000).toISOString(),
          clientState: 'test-client-state',
        },
      });
      assert.equal(res.statusCode, 201, res.body);
      return (res.json() as { id: string }).id;
    },
    received: () =>
      subscriber.received
        .filter((r) => r.url === NOTIFY_URL)
        .map((r) => `${String(r.item.changeType)} ${String((r.item.resourceData as { id: string }).id)}`),
    async advance(ms) {
      await clock.advance(ms);
      await simulator.tenant.tick();
      await outbox.runOnce();
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
