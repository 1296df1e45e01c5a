/** The simulator's tenant: records appear 15–60 minutes after their call, 404 until then; versions; notifications. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BACKENDS } from './helpers/databases.js';
import { recordsEndingAt } from './helpers/shifted-records.js';
import { createTestSimulator } from './helpers/simulator.js';

const MINUTE = 60_000;
const NOW = new Date('2026-11-26T12:00:00.000Z');

for (const backend of BACKENDS) {
  test(`${backend.name}: with the 404 fault a record is announced at once but absent and 404 until 15–60 minutes after its call ends`, async () => {
    const sim = await createTestSimulator({ faults: '404', backend, now: NOW });
    try {
      const [record] = recordsEndingAt(new Date(NOW.getTime() - MINUTE));
      const id = record!.id as string;
      await sim.tenant.load([record!]);
      const get = async () =>
        sim.app.inject({ url: `/v1.0/communications/callRecords/${id}`, headers: await sim.auth() });
      const listed = async () =>
        (
          (await sim.app.inject({ url: '/v1.0/communications/callRecords', headers: await sim.auth() })).json() as {
            value: { id: string }[];
          }
        ).value.map((r) => r.id);

      assert.equal((await get()).statusCode, 404);
      assert.deepEqual(await listed(), []);
      await sim.advance(2 * MINUTE);
      assert.deepEqual(sim.published, [{ id, changeType: 'created' }], 'the notification comes before the record');
      assert.equal((await get()).statusCode, 404, 'announced but not ready yet');

      await sim.advance(11 * MINUTE); // 14 minutes after the call ended
      assert.equal((await get()).statusCode, 404);
      await sim.advance(47 * MINUTE); // 61 minutes after
      const ready = await get();
      assert.equal(ready.statusCode, 200);
      assert.equal((ready.json() as { id: string }).id, id);
      assert.deepEqual(await listed(), [id]);
      assert.equal(sim.published.length, 1, 'one notification for one version');
    } finally {
      await sim.close();
    }
  });

  test(`${backend.name}: with the updated fault a later version replaces the first, announced as updated`, async () => {
    const sim = await createTestSimulator({ faults: 'updated', backend, now: NOW });
    try {
      const versions = recordsEndingAt(new Date(NOW.getTime() - MINUTE), {
        versions: true,
        pick: (v) => v.length >= 2,
      });
      const id = versions[0]!.id as string;
      await sim.tenant.load(versions);
      const version = async () => {
        // A fresh token each time: tokens last an hour of the clock, as Entra's do.
        const headers = await sim.auth();
        const res = await sim.app.inject({ url: `/v1.0/communications/callRecords/${id}`, headers });
        return res.statusCode === 200 ? (res.json() as { version: number }).version : res.statusCode;
      };
      // Version 1 becomes visible at its lastModifiedDateTime, a few minutes after the call.
      await sim.advance(30 * MINUTE);
      assert.equal(await version(), 1);
      assert.deepEqual(sim.published, [{ id, changeType: 'created' }]);
      await sim.advance(6 * 60 * MINUTE);
      assert.equal(await version(), versions.at(-1)!.version);
      assert.deepEqual(
        sim.published.map((c) => c.changeType),
        ['created', ...versions.slice(1).map(() => 'updated')],
      );
      const history = await sim.app.inject({ url: `/api/callRecords/${id}/versions` });
      assert.equal((history.json() as { value: unknown[] }).value.length, versions.length);
      assert.equal((sim.stats() as { tenant: { versionsPending: number } }).tenant.versionsPending, 0);
    } finally {
      await sim.close();
    }
  });
}

test('with the drop fault (rate 1) no notification is sent, and each one is counted as dropped', async () => {
  const sim = await createTestSimulator({ faults: 'drop,updated', faultRate: 1, now: NOW });
  try {
    const versions = recordsEndingAt(new Date(NOW.getTime() + MINUTE), { versions: true, pick: (v) => v.length >= 2 });
    await sim.tenant.load(versions);
    await sim.advance(8 * 60 * MINUTE);
    assert.deepEqual(sim.published, []);
    const { tenant } = sim.stats() as { tenant: { notificationsDropped: number; versionsReleased: number } };
    assert.equal(tenant.notificationsDropped, versions.length);
    assert.equal(tenant.versionsReleased, versions.length, 'the records still appear: only a sweep finds them');
  } finally {
    await sim.close();
  }
});

test('records already due when the tenant is loaded are served at once, without notifications', async () => {
  const sim = await createTestSimulator({ faults: 'all', now: NOW });
  try {
    const [record] = recordsEndingAt(new Date(NOW.getTime() - 2 * 60 * MINUTE));
    await sim.tenant.load([record!]);
    await sim.advance(MINUTE);
    const res = await sim.app.inject({
      url: `/v1.0/communications/callRecords/${record!.id as string}`,
      headers: await sim.auth(),
    });
    assert.ok(res.statusCode === 200 || res.statusCode === 503, `status ${res.statusCode}`);
    assert.deepEqual(sim.published, []);
  } finally {
    await sim.close();
  }
});
