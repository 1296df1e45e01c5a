/**
 * The call-log privacy role (`db.logPrivacy`, src/privacy/log-purge.ts, docs/privacy.md) on every backend: once a
 * telephony log row is older than --euii-days, none of its names, numbers, client addresses or SIP call id is left in
 * its table (read raw, keys included), while a newer row keeps them and the user id and the telephony facts survive;
 * a row received again brings nothing back; `purge --user` erases one person's rows; the per-stream table is rebuilt
 * without the addresses and names by a record purge.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CallLogIngest } from '../src/call-logs/call-log-ingest.js';
import { logKindNamed, type LogKind, type LogKindName } from '../src/call-logs/log-kinds.js';
import { FakeClock } from '../src/fake-clock.js';
import { IngestService } from '../src/ingest/ingest-service.js';
import { Erasures } from '../src/privacy/erasures.js';
import { EuiiPurge } from '../src/privacy/euii-purge.js';
import { logPrivacyHooks } from '../src/privacy/log-ingest-hooks.js';
import { LogEuiiPurge } from '../src/privacy/log-purge.js';
import { CALL_LOG_TABLES } from '../src/storage/call-log-types.js';
import { ANALYTICS, euiiRecord, euiiValues } from './helpers/euii-records.js';
import { RAW_BACKENDS, type RawDatabase } from './helpers/raw-tables.js';

const NOW = new Date('2024-04-15T00:00:00.000Z');
const EUII_DAYS = 28; // cutoff 2024-03-18
const CUTOFF = '2024-03-18T00:00:00.000Z';
const USER = 'user-guid-7';
const OTHER = 'user-guid-8';
const FACTS = ['sbc.contoso.example', '"finalSipCode":200', '"charge":0.5', '"smsUnits":2', '"totalCallSeconds":100'];

/** Values that identify a person, planted in every log row by `logRows`; none may survive a purge. */
function logEuii(tag: string, code: number) {
  return {
    upn: `pat.${tag}@contoso.example`,
    displayName: `Pat Example ${tag}`,
    caller: `+1425550${code}01`,
    callee: `+4930123${code}77`,
    callId: `1835317186_${code}@61.221.3.${code}`,
    localV4: `10.20.${code}.5`,
    localV6: `fd00:${code}::15`,
    publicV4: `203.0.113.${code}`,
    publicV6: `2001:db8:${code}::9`,
  };
}

/** One row of each kind (the dial-out report with its period), at `start`, of `userId`, carrying `logEuii(tag)`. */
function logRows(
  tag: string,
  code: number,
  start: string,
  userId = USER,
): Record<LogKindName, Record<string, unknown>> {
  const v = logEuii(tag, code);
  const end = new Date(Date.parse(start) + 60_000).toISOString();
  const who = { userId, userPrincipalName: v.upn, userDisplayName: v.displayName };
  return {
    pstnCalls: {
      id: `pstn-${tag}`,
      ...who,
      startDateTime: start,
      endDateTime: end,
      callType: 'user_out',
      duration: 60,
      callerNumber: v.caller,
      calleeNumber: v.callee,
      callId: v.callId,
      charge: 0.5,
      currency: 'USD',
      clientLocalIpV4Address: v.localV4,
      clientLocalIpV6Address: v.localV6,
      clientPublicIpV4Address: v.publicV4,
      clientPublicIpV6Address: v.publicV6,
    },
    directRoutingCalls: {
      id: `dr-${tag}`,
      ...who,
      correlationId: `rec-${tag}`,
      startDateTime: start,
      endDateTime: end,
      callerNumber: v.caller,
      calleeNumber: v.callee,
      finalSipCode: 200,
      successfulCall: true,
      trunkFullyQualifiedDomainName: 'sbc.contoso.example',
    },
    smsLog: {
      id: `sms-${tag}`,
      ...who,
      sentDateTime: start,
      sourceNumber: v.caller,
      destinationNumber: v.callee,
      smsType: 'outbound',
      smsUnits: 2,
    },
    pstnBlockedUsersLog: {
      ...who,
      blockDateTime: start,
      userTelephoneNumber: v.caller,
      blockReason: 'fraud',
      remediationId: `rem-${tag}`,
      userBlockMode: 'blocked',
    },
    pstnOnlineMeetingDialoutReport: {
      ...who,
      usageLocation: 'US',
      destinationContext: 'International',
      currency: 'USD',
      totalCalls: 3,
      totalCallSeconds: 100,
      totalCallCharge: 1.5,
    },
  };
}

const KINDS: LogKind[] = (
  ['pstnCalls', 'directRoutingCalls', 'smsLog', 'pstnBlockedUsersLog', 'pstnOnlineMeetingDialoutReport'] as const
).map((name) => logKindNamed(name)!);

const OLD = '2024-03-01T10:00:00.000Z';
const NEW = '2024-04-10T10:00:00.000Z';

function periodOf(kind: LogKind, start: string) {
  if (kind.timeProperty !== undefined) return undefined;
  const day = start.slice(0, 10);
  return { fromKey: `${day}T00:00:00.0000000Z`, toKey: `${day}T23:59:59.0000000Z` };
}

/** Writes rows of every kind through the ingest a request takes (with `hooks`, or none: written when fresh). */
async function ingestAll(
  raw: RawDatabase,
  clock: FakeClock,
  sets: { start: string; rows: Record<LogKindName, Record<string, unknown>> }[],
  hooks?: ReturnType<typeof logPrivacyHooks>,
): Promise<string[]> {
  const statuses: string[] = [];
  for (const kind of KINDS) {
    for (const { start, rows } of sets) {
      const ingest = new CallLogIngest(raw.db.callLogs, clock, kind, periodOf(kind, start), hooks);
      const outcomes = await ingest.ingest([{ value: structuredClone(rows[kind.name]) }]);
      statuses.push(...outcomes.map((o) => (o.status === 'rejected' ? `rejected ${o.reason}` : o.status)));
    }
  }
  return statuses;
}

async function tableText(raw: RawDatabase): Promise<Record<string, string>> {
  const text: Record<string, string> = {};
  for (const table of CALL_LOG_TABLES) text[table] = await raw.rawText(table);
  return text;
}

function assertNone(text: string, values: Record<string, string>, where: string) {
  for (const [name, value] of Object.entries(values)) {
    assert.ok(!text.includes(value), `${where}: ${name} '${value}' is still stored`);
  }
}

function assertAll(text: string, values: Record<string, string>, where: string) {
  for (const [name, value] of Object.entries(values)) {
    assert.ok(text.includes(value), `${where}: ${name} '${value}' is missing`);
  }
}

for (const backend of RAW_BACKENDS) {
  describe(`telephony log privacy purge (${backend.name})`, () => {
    const opened: RawDatabase[] = [];
    after(() => Promise.all(opened.map((o) => o.close())));

    async function archive() {
      const raw = await backend.open();
      opened.push(raw);
      const clock = new FakeClock(NOW);
      const statuses = await ingestAll(raw, clock, [
        { start: OLD, rows: logRows('old', 11, OLD) },
        { start: NEW, rows: logRows('new', 22, NEW) },
      ]);
      assert.deepEqual(statuses, Array(10).fill('inserted'));
      return { raw, clock, purge: new LogEuiiPurge(raw.db.logPrivacy, clock) };
    }

    test('a row older than N days keeps none of its EUII in any log table; a newer one keeps it; facts survive', async () => {
      const { raw, purge } = await archive();
      for (const [table, text] of Object.entries(await tableText(raw))) {
        assert.ok(text.includes(logEuii('old', 11).upn), `${table}: the old row before the purge`);
      }
      assert.equal(await purge.purgeOlderThan(CUTOFF), 5);
      const text = await tableText(raw);
      for (const table of CALL_LOG_TABLES) {
        const rows = text[table]!.split('\n');
        assert.equal(rows.length, 2, `${table}: both rows are still there`);
        const [old, fresh] = rows[0]!.includes('2024-03-01') ? rows : [rows[1]!, rows[0]!];
        assertNone(old!, logEuii('old', 11), `${table}, old row`);
        assert.ok(old!.includes(USER), `${table}: the user id is kept`);
        assert.ok(fresh!.includes(logEuii('new', 22).upn), `${table}: the new row keeps its EUII`);
      }
      assertAll(text.pstn_call_logs!, logEuii('new', 22), 'pstn_call_logs, new row');
      const all = Object.values(text).join('\n');
      for (const fact of FACTS) assert.ok(all.includes(fact), `${fact} survives`);
      // Marked: the next pass finds nothing.
      assert.equal(await purge.purgeOlderThan(CUTOFF), 0);
    });

    test('rows received again after the purge are unchanged and bring nothing back; a new body is purged again', async () => {
      const { raw, clock, purge } = await archive();
      await purge.purgeOlderThan(CUTOFF);
      const hooks = logPrivacyHooks(raw.db, clock, EUII_DAYS);
      const again = await ingestAll(raw, clock, [{ start: OLD, rows: logRows('old', 11, OLD) }], hooks);
      assert.deepEqual(again, Array(5).fill('unchanged'));
      for (const table of CALL_LOG_TABLES) assert.equal(await raw.count(table), 2, `${table}: stored once`);
      assertNone(Object.values(await tableText(raw)).join('\n'), logEuii('old', 11), 'after a late ingest');
      // Written without the rules (an import without --euii-days): the row is no longer marked, the next pass scrubs it.
      const changed = logRows('old', 11, OLD);
      changed.directRoutingCalls.finalSipCode = 487;
      const plain = new CallLogIngest(raw.db.callLogs, clock, logKindNamed('directRoutingCalls')!);
      assert.equal((await plain.ingest([{ value: changed.directRoutingCalls }]))[0]!.status, 'updated');
      assert.equal(await purge.purgeOlderThan(CUTOFF), 1);
      assertNone(await raw.rawText('direct_routing_logs'), logEuii('old', 11), 'after a new body');
    });

    test('rows past the age are scrubbed on ingest; newer ones are stored whole', async () => {
      const raw = await backend.open();
      opened.push(raw);
      const clock = new FakeClock(NOW);
      const hooks = logPrivacyHooks(raw.db, clock, EUII_DAYS);
      await ingestAll(
        raw,
        clock,
        [
          { start: OLD, rows: logRows('old', 11, OLD) },
          { start: NEW, rows: logRows('new', 22, NEW) },
        ],
        hooks,
      );
      const all = Object.values(await tableText(raw)).join('\n');
      assertNone(all, logEuii('old', 11), 'old rows ingested late');
      assertAll(all, logEuii('new', 22), 'new rows');
    });

    test("purge --user erases one person's rows of every log, pseudonymised; later rows of theirs arrive erased", async () => {
      const { raw, clock } = await archive();
      await ingestAll(raw, clock, [{ start: NEW, rows: logRows('other', 33, NEW, OTHER) }]);
      const erasures = new Erasures(raw.db.privacy, raw.db.meta, clock);
      const { pseudonym } = await erasures.erase(USER);
      const erased = await new LogEuiiPurge(raw.db.logPrivacy, clock).eraseUser(USER, pseudonym);
      assert.equal(erased, 10);
      const all = Object.values(await tableText(raw)).join('\n');
      assertNone(all, logEuii('old', 11), 'old rows of the person');
      assertNone(all, logEuii('new', 22), 'new rows of the person');
      assert.ok(!all.includes(USER), 'the user id is still stored');
      assert.ok(all.includes(pseudonym), 'the pseudonym is missing');
      assertAll(all, logEuii('other', 33), "another person's rows");
      assert.equal(await new LogEuiiPurge(raw.db.logPrivacy, clock).eraseUser(USER, pseudonym), 0);
      // Another process learns of the erasure from the database and stores a later row of the person erased.
      const LATER = '2024-04-11T10:00:00.000Z';
      const later = logRows('later', 44, LATER);
      const statuses = await ingestAll(
        raw,
        clock,
        [{ start: LATER, rows: later }],
        logPrivacyHooks(raw.db, clock, undefined),
      );
      assert.deepEqual(statuses, Array(5).fill('inserted'));
      const text = Object.values(await tableText(raw)).join('\n');
      assertNone(text, logEuii('later', 44), 'a row of an erased person received later');
      assert.ok(!text.includes(USER), 'the user id of a later row is stored');
    });

    test('a record purge leaves no address or name in the per-stream table; subnets stay', async () => {
      const raw = await backend.open();
      opened.push(raw);
      const clock = new FakeClock(NOW);
      await new IngestService(raw.db.records, clock).ingest([
        { value: euiiRecord('old', 'old', OLD) },
        { value: euiiRecord('new', 'new', NEW) },
      ]);
      const v = euiiValues('old');
      const before = await raw.rawText('streams', 'record_id', 'old');
      assert.ok(before.includes(v.ip) && before.includes(v.reflexive), 'the stream rows hold the addresses first');
      assert.ok(before.includes(v.displayName), 'the stream rows hold the name first');
      assert.equal((await new EuiiPurge(raw.db.privacy, clock, EUII_DAYS).runOnce()).purged, 1);
      const streams = await raw.rawText('streams', 'record_id', 'old');
      assert.ok(streams.length > 0, 'the stream rows are rebuilt');
      assertNone(streams, v, 'stream rows of the purged record');
      assert.ok(streams.includes(ANALYTICS.subnet), 'the subnet is kept');
      assert.ok(streams.includes(ANALYTICS.userId), 'the user id is kept');
      assert.ok((await raw.rawText('streams', 'record_id', 'new')).includes(euiiValues('new').ip), 'new keeps it');
    });
  });
}

test('SQLite: no purged log value is left in the file, free pages included (secure_delete)', async () => {
  const raw = await RAW_BACKENDS[0]!.open();
  try {
    const clock = new FakeClock(NOW);
    const sets = [];
    for (let i = 0; i < 10; i++) {
      sets.push({ start: NEW, rows: logRows(`new${i}`, 50 + i, NEW) });
      sets.push({ start: OLD, rows: logRows(`old${i}`, 70 + i, OLD) });
    }
    await ingestAll(raw, clock, sets);
    assertAll(raw.fileBytes!(), logEuii('old7', 77), 'the file before the purge');
    assert.equal(await new LogEuiiPurge(raw.db.logPrivacy, clock).purgeOlderThan(CUTOFF), 50);
    const bytes = raw.fileBytes!();
    for (let i = 0; i < 10; i++) assertNone(bytes, logEuii(`old${i}`, 70 + i), 'the file after the purge');
    assertAll(bytes, logEuii('new7', 57), 'the file after the purge');
  } finally {
    await raw.close();
  }
});
