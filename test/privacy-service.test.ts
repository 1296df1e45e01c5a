/**
 * The privacy purge as an operator meets it: the hourly job on a FakeClock scrubs a record once it passes the age,
 * `serve --euii-days` stores an already-old record scrubbed on ingest (Graph reads show nulls, analytics intact), and
 * `callrecords purge --user` rewrites a person's records and says so.
 */
import type { Json } from './helpers/json.js';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { purgeCommand } from '../src/cli/purge-command.js';
import { FakeClock } from '../src/fake-clock.js';
import { createApp } from '../src/http/create-app.js';
import { IngestService } from '../src/ingest/ingest-service.js';
import { euiiPurgeJob } from '../src/privacy/euii-purge.js';
import { Runtime, type RuntimeLog } from '../src/runtime/runtime.js';
import { openSqliteDatabase } from '../src/storage/sqlite/sqlite-database.js';
import { ANALYTICS, euiiRecord, euiiValues } from './helpers/euii-records.js';

const HOUR = 3_600_000;
const silent: RuntimeLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

async function currentText(db: Awaited<ReturnType<typeof openSqliteDatabase>>, id: string): Promise<string> {
  const versions = await db.history.listVersions(id);
  const current = versions.find((v) => v.current)!;
  return (await db.history.getVersion(id, current.version))!;
}

describe('privacy purge job and surfaces', () => {
  test('the job scrubs a record in the first hourly pass after it passes --euii-days', async () => {
    const db = await openSqliteDatabase(':memory:');
    // The record ends 2024-03-01T10:30Z; 28 days later is 2024-03-29T10:30Z.
    const clock = new FakeClock('2024-03-29T10:00:00.000Z');
    await new IngestService(db.records, clock).ingest([{ value: euiiRecord('r', 'job', '2024-03-01T10:00:00Z') }]);
    const logged: unknown[] = [];
    const log: RuntimeLog = { ...silent, info: (fields: unknown) => void logged.push(fields) };
    const runtime = new Runtime({ log, clock }).addJob(
      'euii-purge',
      euiiPurgeJob({ store: db.privacy, euiiDays: 28, intervalMs: HOUR }),
    );
    await runtime.start();
    await clock.advance(0);
    assert.ok((await currentText(db, 'r')).includes(euiiValues('job').ip), 'not yet 28 days old');
    await clock.advance(HOUR);
    const text = await currentText(db, 'r');
    assert.ok(!text.includes(euiiValues('job').ip) && !text.includes(euiiValues('job').displayName));
    assert.ok(
      logged.some((l) => (l as { purged?: number }).purged === 1),
      'a pass logged one record purged',
    );
    await runtime.stop();
    await db.close();
    assert.equal(clock.pendingTimers, 0);
  });

  test('serve --euii-days: an old record is stored scrubbed on ingest; a recent one is kept whole', async () => {
    const db = await openSqliteDatabase(':memory:');
    const clock = new FakeClock('2024-04-15T00:00:00.000Z');
    const app = await createApp({ db, clock, bodyLimit: 1 << 20, logger: false, euiiDays: 28 });
    try {
      const post = await app.inject({
        method: 'POST',
        url: '/api/callRecords',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify([
          euiiRecord('old', 'old', '2024-03-01T10:00:00Z'),
          euiiRecord('new', 'new', '2024-04-10T10:00:00Z'),
        ]),
      });
      assert.equal(post.statusCode, 200, post.body);
      const get = (id: string) =>
        app.inject(`/v1.0/communications/callRecords/${id}?$expand=sessions($expand=segments)`);
      const old = (await get('old')).json() as Json;
      const participants = (await app.inject('/v1.0/communications/callRecords/old/participants_v2')).json() as Json;
      const network = old.sessions[0].segments[0].media[0].callerNetwork;
      assert.equal(network.ipAddress, null);
      assert.equal(network.macAddress, null);
      assert.equal(network.subnet, ANALYTICS.subnet);
      assert.equal(network.connectionType, ANALYTICS.connectionType);
      assert.equal(old.sessions[0].caller.name, null);
      assert.equal(old.sessions[0].caller.feedback.text, null);
      assert.equal(old.sessions[0].caller.feedback.rating, 'poor');
      assert.equal(participants.value[0].identity.user.displayName, null);
      assert.equal(participants.value[0].identity.user.id, ANALYTICS.userId);
      assert.equal(participants.value[1].identity.phone.id, null);
      const recent = (await get('new')).json() as Json;
      assert.equal(recent.sessions[0].segments[0].media[0].callerNetwork.ipAddress, euiiValues('new').ip);
    } finally {
      await app.close();
      await db.close();
    }
  });

  test('callrecords purge --user rewrites the records that mention the person and reports it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'callrecords-purge-'));
    try {
      const url = `sqlite:${join(dir, 'p.db')}`;
      const db = await openSqliteDatabase(join(dir, 'p.db'));
      await new IngestService(db.records, new FakeClock('2024-04-15T00:00:00.000Z')).ingest([
        { value: euiiRecord('a', 'a', '2024-04-10T10:00:00Z') },
        { value: euiiRecord('b', 'b', '2024-04-11T10:00:00Z') },
      ]);
      await db.close();
      const out = new PassThrough();
      let printed = '';
      out.on('data', (chunk: Buffer) => (printed += chunk.toString()));
      assert.equal(await purgeCommand({ db: url, user: ANALYTICS.userId }, out), 0);
      assert.match(
        printed,
        new RegExp(`removed the identifiable data of ${ANALYTICS.userId} from 2 records \\(now erased-`),
      );
      const reopened = await openSqliteDatabase(join(dir, 'p.db'));
      assert.ok(!(await currentText(reopened, 'a')).includes(ANALYTICS.userId));
      await reopened.close();
      await assert.rejects(purgeCommand({ db: url }, out), /purge needs --user/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
