/**
 * The simulator's tenant and its notifications: records appear 15–60 minutes after their call and are 404 until
 * then, announced before; later versions come as `updated`; dropped notifications; retries while the subscriber is
 * down; `reauthorizationRequired`; `--speed`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BACKENDS } from './helpers/databases.js';
import { recordsEndingAt } from './helpers/shifted-records.js';
import { createTestSimulator, LIFECYCLE_URL, type TestSimulator } from './helpers/simulator.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const NOW = new Date('2026-11-26T12:00:00.000Z');

// A fresh token for each request: tokens last an hour of the clock, as Entra's do.
async function getRecord(sim: TestSimulator, id: string): Promise<{ status: number; version?: number }> {
  const res = await sim.app.inject({ url: `/v1.0/communications/callRecords/${id}`, headers: await sim.auth() });
  return res.statusCode === 200
    ? { status: 200, version: (res.json() as { version: number }).version }
    : { status: res.statusCode };
}

async function listed(sim: TestSimulator): Promise<string[]> {
  const res = await sim.app.inject({ url: '/v1.0/communications/callRecords', headers: await sim.auth() });
  return (res.json() as { value: { id: string }[] }).value.map((r) => r.id);
}

for (const backend of BACKENDS) {
  test(`${backend.name}: with the 404 fault a record is announced at once, but absent and 404 until 15–60 minutes after its call`, async () => {
    const sim = await createTestSimulator({ faults: '404', backend, now: NOW });
    try {
      await sim.subscribe();
      assert.equal(sim.subscriber.validations.length, 2, 'both URLs were validated with the handshake');
      const [record] = recordsEndingAt(new Date(NOW.getTime() - MINUTE));
      const id = record!.id as string;
      await sim.tenant.load([record!]);
      assert.equal((await getRecord(sim, id)).status, 404);
      assert.deepEqual(await listed(sim), []);

      await sim.advance(2 * MINUTE);
      assert.deepEqual(sim.received(), [`created ${id}`], 'the notification comes before the record');
      assert.equal((await getRecord(sim, id)).status, 404, 'announced, not ready yet');
      await sim.advance(11 * MINUTE); // 14 minutes after the call ended
      assert.equal((await getRecord(sim, id)).status, 404);
      assert.deepEqual(await listed(sim), []);
      await sim.advance(47 * MINUTE); // 61 minutes after
      assert.equal((await getRecord(sim, id)).status, 200);
      assert.deepEqual(await listed(sim), [id]);
      assert.deepEqual(sim.received(), [`created ${id}`], 'told once: the archive’s own created is left out');
      const { notifications } = await sim.stats();
      assert.equal(notifications.repeatsLeftOut, 1);
      assert.equal(notifications.outboxDepth, 0);
    } finally {
      await sim.close();
    }
  });

  test(`${backend.name}: with the updated fault a later version replaces the first, announced as updated`, async () => {
    const sim = await createTestSimulator({ faults: 'updated', backend, now: NOW });
    try {
      await sim.subscribe();
      const versions = recordsEndingAt(new Date(NOW.getTime() - MINUTE), {
        versions: true,
        pick: (v) => v.length >= 2,
      });
      const id = versions[0]!.id as string;
      await sim.tenant.load(versions);
      // Version 1 appears at its lastModifiedDateTime, minutes after the call; the next ones hours later.
      await sim.advance(30 * MINUTE);
      assert.deepEqual(await getRecord(sim, id), { status: 200, version: 1 });
      assert.deepEqual(sim.received(), [`created ${id}`]);
      await sim.advance(6 * 60 * MINUTE);
      assert.deepEqual(await getRecord(sim, id), { status: 200, version: versions.at(-1)!.version });
      assert.deepEqual(sim.received(), [`created ${id}`, ...versions.slice(1).map(() => `updated ${id}`)]);
      assert.equal((await sim.db.history.listVersions(id)).length, versions.length);
      // Graph has no archive API: the simulator does not serve it.
      assert.equal((await sim.app.inject({ url: `/api/callRecords/${id}/versions` })).statusCode, 404);
      assert.equal((await sim.stats()).tenant.versionsPending, 0);
    } finally {
      await sim.close();
    }
  });
}

test('with the drop fault (rate 1) no change notification reaches the subscriber; each is counted as dropped', async () => {
  const sim = await createTestSimulator({ faults: 'drop,updated', faultRate: 1, now: NOW });
  try {
    await sim.subscribe();
    const versions = recordsEndingAt(new Date(NOW.getTime() + MINUTE), { versions: true, pick: (v) => v.length >= 2 });
    await sim.tenant.load(versions);
    await sim.advance(8 * 60 * MINUTE);
    assert.deepEqual(sim.received(), []);
    const { tenant, notifications } = await sim.stats();
    assert.equal(notifications.dropped, versions.length);
    assert.equal(tenant.versionsReleased, versions.length, 'the records still appear: only a sweep finds them');
  } finally {
    await sim.close();
  }
});

test('notifications wait in the outbox while the subscriber is down, and arrive batched once it is back', async () => {
  const sim = await createTestSimulator({ faults: 'none', now: NOW });
  try {
    await sim.subscribe();
    const records = [0, 1, 2].map(
      (seed) => recordsEndingAt(new Date(NOW.getTime() + 30 * SECOND), { seed: 10 + seed })[0]!,
    );
    await sim.tenant.load(records);
    sim.subscriber.down = true;
    await sim.advance(MINUTE);
    assert.deepEqual(sim.received(), []);
    const postsWhileDown = sim.subscriber.posts;
    assert.ok(postsWhileDown >= 1);
    sim.subscriber.down = false;
    for (let i = 0; i < 10; i++) await sim.advance(30 * SECOND);
    assert.deepEqual(sim.received().sort(), records.map((r) => `created ${r.id as string}`).sort());
    assert.equal(sim.subscriber.posts - postsWhileDown, 1, 'the three came in one POST');
    const { notifications } = await sim.stats();
    assert.deepEqual([notifications.delivered, notifications.failedPosts >= 1], [3, true]);
  } finally {
    await sim.close();
  }
});

test('with the reauth fault every subscription is asked to reauthorize each hour, sooner with --speed', async () => {
  const sim = await createTestSimulator({ faults: 'reauth', speed: 60, now: NOW });
  try {
    const id = await sim.subscribe();
    await sim.advance(30 * SECOND);
    const lifecycle = () => sim.subscriber.received.filter((r) => r.url === LIFECYCLE_URL).map((r) => r.item);
    assert.deepEqual(lifecycle(), []);
    await sim.advance(31 * SECOND);
    assert.equal(lifecycle().length, 1);
    assert.equal(lifecycle()[0]!.lifecycleEvent, 'reauthorizationRequired');
    assert.equal(lifecycle()[0]!.subscriptionId, id);
    assert.equal((await sim.stats()).tenant.reauthorizationsRequested, 1);
  } finally {
    await sim.close();
  }
});

test('--speed divides the wait: at 60× a record with the 404 fault is readable within a minute of its call', async () => {
  const sim = await createTestSimulator({ faults: '404', speed: 60, now: NOW });
  try {
    const [record] = recordsEndingAt(new Date(NOW.getTime() - SECOND));
    await sim.tenant.load([record!]);
    await sim.advance(10 * SECOND);
    assert.equal((await getRecord(sim, record!.id as string)).status, 404, 'not before 15 simulated minutes');
    await sim.advance(50 * SECOND);
    assert.equal((await getRecord(sim, record!.id as string)).status, 200);
  } finally {
    await sim.close();
  }
});

test('records already due when the tenant is loaded (before it serves) are there at once, never announced', async () => {
  const sim = await createTestSimulator({ faults: '404,updated,drop', now: NOW });
  try {
    const [record] = recordsEndingAt(new Date(NOW.getTime() - 2 * 60 * MINUTE));
    await sim.tenant.load([record!]);
    await sim.subscribe();
    await sim.advance(MINUTE);
    assert.equal((await getRecord(sim, record!.id as string)).status, 200);
    assert.deepEqual(sim.received(), []);
  } finally {
    await sim.close();
  }
});

test('--speed replays calls still to come faster: a call two hours ahead takes place two minutes ahead, as long', async () => {
  const sim = await createTestSimulator({ faults: 'none', speed: 60, now: NOW });
  try {
    const [record] = recordsEndingAt(new Date(NOW.getTime() + 2 * 60 * MINUTE));
    const [start, end] = [Date.parse(String(record!.startDateTime)), Date.parse(String(record!.endDateTime))];
    const replayedStart = NOW.getTime() + (start - NOW.getTime()) / 60;
    const replayedEnd = replayedStart + (end - start);
    await sim.tenant.load([record!]);
    await sim.advance(replayedEnd - NOW.getTime() - 2 * SECOND);
    assert.equal((await getRecord(sim, record!.id as string)).status, 404, 'not before the replayed call ends');
    await sim.advance(3 * SECOND);
    const res = await sim.app.inject({
      url: `/v1.0/communications/callRecords/${record!.id as string}`,
      headers: await sim.auth(),
    });
    assert.equal(res.statusCode, 200);
    const served = res.json() as { startDateTime: string; endDateTime: string };
    assert.ok(Math.abs(Date.parse(served.startDateTime) - replayedStart) <= SECOND, served.startDateTime);
    assert.equal(Date.parse(served.endDateTime) - Date.parse(served.startDateTime), end - start, 'as long as before');
  } finally {
    await sim.close();
  }
});
