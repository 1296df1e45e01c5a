/**
 * The call search role's contract on every backend (src/storage/roles.ts CallSearchStore, docs/analytics.md "Call
 * search" and "One call's streams"): keyset pages that visit every call once, newest first, also across calls that
 * start at the same instant; the user, poorOnly and date filters; each call's summary; one call's stream rows. The
 * expected answers are computed from the posted records (helpers/call-search-reference.ts); what the classification
 * decided is read from the stored stream rows.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { callSearchQuery } from '../src/analytics/call-search.js';
import { STREAM_COLUMNS } from '../src/analytics/stream-columns.js';
import { validateCallRecord } from '../src/domain/validate.js';
import { generateRecords } from '../src/generate/index.js';
import { toRecordWrite } from '../src/service/record-fragments.js';
import type { CallSearchQuery, CallSummary } from '../src/storage/call-search-types.js';
import type { CallRecordDatabase } from '../src/storage/roles.js';
import type { StoredStream } from '../src/storage/stream-types.js';
import { BACKENDS } from './helpers/databases.js';
import { callMatchesUser, referenceCalls, type ReferenceCall } from './helpers/call-search-reference.js';
import type { Json } from './helpers/json.js';

const RECEIVED = '2026-03-01T00:00:00.000Z';
const SAME_START = '2026-01-08T09:30:00Z';

/**
 * Calls over ten days, and a meeting of 30 sessions (more people than a summary lists); every fifth call starts at
 * one shared instant, so pages must order equal starts by id.
 */
const TENANT: Json[] = [
  ...generateRecords({ calls: 60, seed: 31, from: new Date('2026-01-05T00:00:00Z'), days: 10, versions: false }),
  ...generateRecords({
    calls: 1,
    seed: 8,
    from: new Date('2026-01-06T00:00:00Z'),
    days: 1,
    versions: false,
    sessions: 30,
  }),
]
  .map((record, i) => (i % 5 === 0 ? { ...record, startDateTime: SAME_START } : record))
  .map((record, i) => (i === 60 ? renamedAtEnd(record) : record));

/**
 * The meeting with its last session joined again by the person of its first session, under a new display name (as
 * when a name changes during a long meeting): the summary lists that person first, with the later name.
 */
function renamedAtEnd(record: Json): Json {
  const copy = structuredClone(record);
  const first = copy.sessions[0].caller.associatedIdentity;
  const last = copy.sessions.at(-1);
  for (const end of [last.caller, ...last.segments.map((segment: Json) => segment.caller)]) {
    if (end !== undefined) end.associatedIdentity = { ...first, displayName: `${first.displayName} (renamed)` };
  }
  return copy;
}
/** A call without media streams: archived, but not found by the search. */
const NO_MEDIA: Json = [
  ...generateRecords({
    calls: 1,
    seed: 5,
    from: new Date('2026-01-09T00:00:00Z'),
    days: 1,
    versions: false,
    media: false,
  }),
][0];

function writesOf(records: readonly Json[]) {
  return records.map((record) => {
    const result = validateCallRecord(structuredClone(record));
    assert.ok(result.ok, JSON.stringify(!result.ok && result));
    return toRecordWrite(result.record, result.hasEvolvableMembers);
  });
}

async function allStreams(db: CallRecordDatabase): Promise<StoredStream[]> {
  const rows: StoredStream[] = [];
  for (;;) {
    const last = rows.at(-1);
    const cursor = last && { startKey: last.start_key, recordId: last.record_id, ordinal: Number(last.ordinal) };
    const page = await db.streams.readStreams({}, cursor, 1000);
    rows.push(...page);
    if (page.length < 1000) return rows;
  }
}

/** Every call the query finds, page by page of `limit`, following the last call of each page. */
async function everyPage(db: CallRecordDatabase, query: CallSearchQuery): Promise<CallSummary[][]> {
  const pages: CallSummary[][] = [];
  let after: CallSearchQuery['after'];
  for (;;) {
    const page = await db.callSearch.searchCalls({ ...query, after });
    assert.ok(page.length <= query.limit);
    if (page.length === 0) return pages;
    pages.push(page);
    const last = page.at(-1)!;
    after = { startKey: last.startKey, id: last.id };
  }
}

function query(params: Record<string, string>, limit: number): CallSearchQuery {
  return { ...callSearchQuery(new Map(Object.entries(params))), limit };
}

const ids = (calls: readonly { id: string }[]) => calls.map((c) => c.id);

for (const backend of BACKENDS) {
  describe(`call search contract: ${backend.name}`, () => {
    let db: CallRecordDatabase;
    let expected: ReferenceCall[];
    let streams: StoredStream[];
    before(async () => {
      db = await backend.open();
      await db.records.write(writesOf([...TENANT, NO_MEDIA]), RECEIVED);
      expected = referenceCalls(TENANT);
      streams = await allStreams(db);
    });
    after(() => db.close());

    test('pages of 7 visit every call with streams once, newest first, equal starts ordered by id', async () => {
      const sameStart = expected.filter((c) => c.startKey.startsWith(SAME_START.slice(0, 19)));
      assert.ok(sameStart.length > 7, 'more calls start at one instant than a page holds');
      const pages = await everyPage(db, query({}, 7));
      assert.deepEqual(
        pages.map((p) => p.length),
        [...Array(Math.ceil(expected.length / 7)).keys()].map((i) => Math.min(7, expected.length - 7 * i)),
      );
      assert.deepEqual(ids(pages.flat()), ids(expected));
      assert.ok(!ids(pages.flat()).includes(NO_MEDIA.id), 'a call without media streams is not found');
    });

    test('each call is summed up from its streams: type, streams, failures, participants', async () => {
      const found = (await everyPage(db, query({}, 200))).flat();
      for (const [i, call] of found.entries()) {
        const want = expected[i]!;
        assert.deepEqual(
          {
            startKey: call.startKey,
            callType: call.callType,
            streams: call.streams,
            failures: call.failures,
            participants: call.participants,
          },
          {
            startKey: want.startKey,
            callType: want.callType,
            streams: want.streams,
            failures: want.failures,
            participants: want.users.slice(0, 20),
          },
          call.id,
        );
      }
      assert.ok(
        found.some((c) => c.failures > 0),
        'some call has a failed segment',
      );
      assert.ok(
        found.some((c) => c.participants.some((p) => p.displayName?.endsWith('(renamed)'))),
        'a renamed participant is listed under the later name',
      );
      assert.ok(
        expected.some((c) => c.users.length > 20),
        'some meeting has more than 20 participants (the cap)',
      );
    });

    test('poorOnly keeps the calls with a Poor audio stream; poorStreams counts Poor streams', async () => {
      const poorAudio = new Set(
        streams.filter((s) => s.media_type === 'audio' && s.classification === 'Poor').map((s) => s.record_id),
      );
      assert.ok(poorAudio.size > 0 && poorAudio.size < expected.length, `${poorAudio.size} poor calls`);
      const found = (await everyPage(db, query({ poorOnly: 'true' }, 5))).flat();
      assert.deepEqual(ids(found), ids(expected.filter((c) => poorAudio.has(c.id))));
      const all = (await everyPage(db, query({}, 200))).flat();
      for (const call of all) {
        const rows = streams.filter((s) => s.record_id === call.id);
        assert.equal(call.poor, poorAudio.has(call.id), call.id);
        assert.equal(call.poorStreams, rows.filter((s) => s.classification === 'Poor').length, call.id);
      }
    });

    test('user: an id in another case, or a part of a display name in any case', async () => {
      const someone = expected.find((c) => c.users.length > 0)!.users[0]!;
      const byId = (await everyPage(db, query({ user: someone.id.toUpperCase() }, 4))).flat();
      assert.ok(byId.length > 0);
      assert.deepEqual(ids(byId), ids(referenceCalls(TENANT.filter((r) => callMatchesUser(r, someone.id)))));
      const name = expected.flatMap((c) => c.names)[0]!;
      const part = name.slice(1, 5).toUpperCase();
      const byName = (await everyPage(db, query({ user: part }, 4))).flat();
      assert.ok(byName.length > 0);
      assert.deepEqual(ids(byName), ids(referenceCalls(TENANT.filter((r) => callMatchesUser(r, part)))));
      assert.deepEqual(await db.callSearch.searchCalls(query({ user: 'nobody-by-this-name' }, 10)), []);
    });

    test('from and to bound the call start by UTC day, to exclusive, with the other filters', async () => {
      const from = '2026-01-07';
      const to = '2026-01-10';
      const found = (await everyPage(db, query({ from, to, poorOnly: 'false' }, 3))).flat();
      const inRange = expected.filter((c) => c.startKey >= from && c.startKey < to);
      assert.ok(inRange.length > 0 && inRange.length < expected.length);
      assert.deepEqual(ids(found), ids(inRange));
      assert.deepEqual(await db.callSearch.searchCalls(query({ from: to, to: from }, 10)), []);
    });

    test('one call’s streams: every documented column by stream ordinal; [] without media; undefined unknown', async () => {
      const call = expected.find((c) => c.streams > 3)!;
      const rows = await db.callSearch.callStreams(call.id);
      assert.ok(rows !== undefined);
      assert.equal(rows.length, call.streams);
      const stored = streams.filter((s) => s.record_id === call.id);
      for (const [i, row] of rows.entries()) {
        assert.deepEqual(
          Object.keys(row),
          STREAM_COLUMNS.map((c) => c.name),
        );
        assert.equal(row.streamOrdinal, i);
        for (const column of STREAM_COLUMNS) {
          const value = (stored[i] as unknown as Record<string, unknown>)[column.column];
          const want = value === null ? null : column.kind === 'text' ? String(value) : Number(value);
          assert.equal(row[column.name], want, `${column.name} of stream ${i}`);
        }
      }
      assert.deepEqual(await db.callSearch.callStreams(NO_MEDIA.id), []);
      assert.equal(await db.callSearch.callStreams('no-such-call'), undefined);
    });
  });
}
