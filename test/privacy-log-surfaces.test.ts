/**
 * The privacy purge of the telephony logs as an operator meets it: the hourly job scrubs a log row in the pass after
 * it passes --euii-days and logs how many, `serve --euii-days` stores an already-old row scrubbed (Graph's function
 * serves nulls), and `callrecords purge --user` erases the person's log rows and says how many.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { CallLogIngest } from '../src/call-logs/call-log-ingest.js';
import { logKindNamed } from '../src/call-logs/log-kinds.js';
import { importCommand } from '../src/cli/import-command.js';
import { purgeCommand } from '../src/cli/purge-command.js';
import { FakeClock } from '../src/fake-clock.js';
import { createApp } from '../src/http/create-app.js';
import { euiiPurgeJob } from '../src/privacy/euii-purge.js';
import { Runtime, type RuntimeLog } from '../src/runtime/runtime.js';
import type { CallRecordDatabase } from '../src/storage/roles.js';
import { openSqliteDatabase } from '../src/storage/sqlite/sqlite-database.js';
import { postLogs } from './helpers/call-logs.js';
import type { Json } from './helpers/json.js';

const HOUR = 3_600_000;
const silent: RuntimeLog = { info: () => undefined, warn: () => undefined, error: () => undefined };
const PSTN = logKindNamed('pstnCalls')!;

function pstnRow(id: string, start: string, userId = 'user-guid-7') {
  return {
    id,
    userId,
    userPrincipalName: `pat.${id}@contoso.example`,
    userDisplayName: `Pat ${id}`,
    callerNumber: '+14255550101',
    calleeNumber: '+493012377',
    callId: '1835317186_112467527@61.221.3.176',
    startDateTime: start,
    endDateTime: start.replace('10:00', '10:05'),
    callType: 'user_out',
    charge: 0.5,
    currency: 'USD',
  };
}

async function storedJson(db: CallRecordDatabase, id: string): Promise<Record<string, unknown>> {
  const rows = await db.callLogs.listRows(
    'pstn_call_logs',
    { fromKey: '0', toKey: '9', toInclusive: true },
    undefined,
    100,
  );
  return JSON.parse(rows.find((r) => r.rowKey === id)!.json) as Record<string, unknown>;
}

describe('telephony log privacy: job and surfaces', () => {
  test('the hourly job scrubs a log row in the first pass after it passes --euii-days and logs it', async () => {
    const db = await openSqliteDatabase(':memory:');
    // The row starts 2024-03-01T10:00Z; 28 days later is 2024-03-29T10:00Z.
    const clock = new FakeClock('2024-03-29T09:30:00.000Z');
    await new CallLogIngest(db.callLogs, clock, PSTN).ingest([{ value: pstnRow('p1', '2024-03-01T10:00:00Z') }]);
    const logged: unknown[] = [];
    const log: RuntimeLog = { ...silent, info: (fields: unknown) => void logged.push(fields) };
    const runtime = new Runtime({ log, clock }).addJob(
      'euii-purge',
      euiiPurgeJob({ store: db.privacy, euiiDays: 28, intervalMs: HOUR, logs: db.logPrivacy }),
    );
    await runtime.start();
    await clock.advance(0);
    assert.equal((await storedJson(db, 'p1')).callerNumber, '+14255550101', 'not yet 28 days old');
    await clock.advance(HOUR);
    const row = await storedJson(db, 'p1');
    assert.equal(row.callerNumber, null);
    assert.equal(row.userPrincipalName, null);
    assert.equal(row.callId, null);
    assert.equal(row.userId, 'user-guid-7');
    assert.ok(
      logged.some((l) => (l as { logRows?: number }).logRows === 1),
      'a pass logged one log row purged',
    );
    await runtime.stop();
    await db.close();
  });

  test('serve --euii-days: an old log row is stored scrubbed on ingest; Graph serves it with nulls', async () => {
    const db = await openSqliteDatabase(':memory:');
    const clock = new FakeClock('2024-04-15T00:00:00.000Z');
    const app = await createApp({ db, clock, bodyLimit: 1 << 20, logger: false, euiiDays: 28 });
    try {
      const post = await postLogs(app, 'pstnCalls', [
        pstnRow('old', '2024-03-01T10:00:00Z'),
        pstnRow('new', '2024-04-10T10:00:00Z'),
      ]);
      assert.equal(post.status, 200, JSON.stringify(post.json));
      const res = await app.inject({
        method: 'GET',
        url: '/v1.0/communications/callRecords/getPstnCalls(fromDateTime=2024-02-01,toDateTime=2024-05-01)',
      });
      const rows = (res.json() as Json).value as Json[];
      const old = rows.find((r) => r.id === 'old')!;
      const fresh = rows.find((r) => r.id === 'new')!;
      assert.equal(old.callerNumber, null);
      assert.equal(old.userDisplayName, null);
      assert.equal(old.charge, 0.5);
      assert.equal(fresh.callerNumber, '+14255550101');
    } finally {
      await app.close();
      await db.close();
    }
  });

  test("callrecords purge --user erases the person's log rows and says how many", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'callrecords-purge-logs-'));
    try {
      const file = join(dir, 'p.db');
      const db = await openSqliteDatabase(file);
      await new CallLogIngest(db.callLogs, new FakeClock('2024-04-15T00:00:00.000Z'), PSTN).ingest([
        { value: pstnRow('a', '2024-04-10T10:00:00Z') },
        { value: pstnRow('b', '2024-04-11T10:00:00Z') },
        { value: pstnRow('c', '2024-04-11T10:00:00Z', 'someone-else') },
      ]);
      await db.close();
      const out = new PassThrough();
      let printed = '';
      out.on('data', (chunk: Buffer) => (printed += chunk.toString()));
      assert.equal(await purgeCommand({ db: `sqlite:${file}`, user: 'user-guid-7' }, out), 0);
      assert.match(printed, /and from 2 telephony log rows/);
      const reopened = await openSqliteDatabase(file);
      const a = await storedJson(reopened, 'a');
      assert.match(String(a.userId), /^erased-/);
      assert.equal(a.userPrincipalName, null);
      assert.equal((await storedJson(reopened, 'c')).userId, 'someone-else');
      await reopened.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  test('import --kind … --euii-days: rows already past the age are stored scrubbed, a second import is unchanged', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'callrecords-import-logs-'));
    try {
      const file = join(dir, 'pstn.ndjson');
      // import runs on the system clock: the rows are dated relative to it.
      const day = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
      const rows = [pstnRow('old', `${day(60)}T10:00:00Z`), pstnRow('new', `${day(1)}T10:00:00Z`)];
      writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n'));
      const db = `sqlite:${join(dir, 'p.db')}`;
      const outputs: string[] = [];
      for (let i = 0; i < 2; i++) {
        const stdout = new PassThrough();
        let printed = '';
        stdout.on('data', (chunk: Buffer) => (printed += chunk.toString()));
        const io = { stdout, stderr: Object.assign(new PassThrough(), { isTTY: false }) };
        const options = { db, kind: 'pstnCalls', euiiDays: '28', progress: false };
        assert.equal(await importCommand(file, options, io as never), 0);
        outputs.push(printed);
      }
      assert.match(outputs[0]!, /inserted 2,/);
      assert.match(outputs[1]!, /unchanged 2,/);
      const opened = await openSqliteDatabase(join(dir, 'p.db'));
      assert.equal((await storedJson(opened, 'old')).callerNumber, null);
      assert.equal((await storedJson(opened, 'new')).callerNumber, '+14255550101');
      await opened.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
