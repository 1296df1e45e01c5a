/**
 * The analytics role's contract on every backend (src/storage/roles.ts AnalyticsStore, docs/analytics.md "Query
 * API"): every measure and every dimension once, compared with a count made in JavaScript from the stored stream rows;
 * filters; and the rollups maintained at ingest, which must answer as the per-stream table does after inserts,
 * replaced versions (failures added and removed), a new building file, a rebuild and retention — the day rollup's
 * calls and failed segments included.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBuildingFile } from '../src/analytics/building-file.js';
import { DIMENSIONS, MEASURES } from '../src/analytics/query/catalog.js';
import { analyticsQueryOf } from '../src/analytics/query/query-request.js';
import { validateCallRecord } from '../src/domain/validate.js';
import { generateRecords } from '../src/generate/index.js';
import { toRecordWrite } from '../src/service/record-fragments.js';
import type { CallRecordDatabase } from '../src/storage/roles.js';
import type { StoredStream } from '../src/storage/stream-types.js';
import { BACKENDS } from './helpers/databases.js';
import { normalised, referenceTable } from './helpers/analytics-reference.js';

const RECEIVED = '2026-03-01T00:00:00.000Z';

function writesOf(records: Record<string, unknown>[]) {
  return records.map((record) => {
    const result = validateCallRecord(structuredClone(record));
    assert.ok(result.ok, JSON.stringify(!result.ok && result));
    return toRecordWrite(result.record, result.hasEvolvableMembers);
  });
}

const TENANT = [
  ...generateRecords({ calls: 80, seed: 12, from: new Date('2026-01-05T00:00:00Z'), days: 40, versions: false }),
];

// The overview's two queries of calls and failures per day (dashboard/src/pages/overview.ts) over a period.
const PERIOD = 'date ge 2026-01-20 and date lt 2026-02-01';
const OVERVIEW_DAY_QUERIES = [
  { measures: 'calls,streams,failures', by: 'day', filter: PERIOD },
  { measures: 'setupFailures,drops', by: 'day', filter: PERIOD },
];
const inPeriod = (r: Record<string, string | number | null>) =>
  String(r.start_key) >= '2026-01-20' && String(r.start_key) < '2026-02-01';

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

/** Asks the store and the reference the same question and compares the answers. */
async function agrees(
  db: CallRecordDatabase,
  request: { measures: string; by?: string; filter?: string },
  keep?: (row: Record<string, string | number | null>) => boolean,
): Promise<string> {
  const query = analyticsQueryOf(request);
  const table = await db.analytics.aggregate(query);
  assert.deepEqual(table.columns, [...query.by, ...query.measures]);
  const expected = referenceTable(await allStreams(db), query.measures, query.by, keep);
  assert.deepEqual(
    normalised(table.rows, query.by.length),
    normalised(expected, query.by.length),
    `${JSON.stringify(request)} from ${table.source}`,
  );
  return table.source;
}

// The generator's office subnets are 10.<10 + 10 × site>.x.0/24: the first two sites get buildings, the rest none.
const BUILDINGS = `10.10.0.0,HQ-Wired,16,Headquarters,Owned,Office,Main,Seattle,98101,US,WA,NA,1,0
10.20.0.0,Branch,16,Branch Office,Leased,Office,Branch,Dublin,D01,IE,,EMEA,1,0,0`;

for (const backend of BACKENDS) {
  describe(`analytics contract: ${backend.name}`, () => {
    let db: CallRecordDatabase;
    before(async () => {
      db = await backend.open();
      await db.records.write(writesOf(TENANT), RECEIVED);
    });
    after(() => db.close());

    test('the tenant has streams of every media type and poor ones (the data this suite relies on)', async () => {
      const streams = await allStreams(db);
      assert.ok(streams.length > 500, `${streams.length} streams`);
      assert.ok(streams.some((s) => s.classification === 'Poor'));
      assert.deepEqual([...new Set(streams.map((s) => s.media_type))].sort(), ['audio', 'vbss', 'video']);
    });

    test('every measure, grouped by nothing, equals the count made from the rows', async () => {
      await agrees(db, { measures: Object.keys(MEASURES).join(',') });
    });

    for (const dimension of Object.keys(DIMENSIONS)) {
      test(`by ${dimension}: streams, poor %, calls, average and p90 jitter per group`, async () => {
        await agrees(db, { measures: 'streams,poorStreamPct,calls,avgJitter,p90Jitter', by: dimension });
      });
    }

    test('a rollup answers CQD’s two main views as the per-stream table does', async () => {
      const place = await agrees(
        db,
        {
          measures: 'poorStreamPct,streams,poorDueToJitter,avgRoundTrip',
          by: 'week,building',
          filter: "mediaType eq 'audio'",
        },
        (r) => r.media_type === 'audio',
      );
      assert.equal(place, 'stream_rollup_place');
      const client = await agrees(db, { measures: 'streams,poorStreamPct', by: 'day,firstConnectionType,platform' });
      assert.equal(client, 'stream_rollup_client');
    });

    test('the day rollup answers the overview’s calls and failures per day as the per-stream table does', async () => {
      const streams = await allStreams(db);
      const stages = new Set(streams.map((s) => s.segment_failure_stage ?? s.session_failure_stage));
      assert.ok(stages.has('callSetup') && stages.has('midcall'), `failure stages ${[...stages].join()}`);
      for (const request of OVERVIEW_DAY_QUERIES) {
        assert.equal(await agrees(db, request, inPeriod), 'stream_rollup_day');
      }
      const everything = 'calls,poorCalls,failures,setupFailures,drops,streams,poorStreams,poorStreamPct,avgJitter';
      const byCallType = await agrees(
        db,
        { measures: everything, by: 'week,callType', filter: "callType ne 'peerToPeer'" },
        (r) => r.call_type !== 'peerToPeer',
      );
      assert.equal(byCallType, 'stream_rollup_day');
      assert.equal(await agrees(db, { measures: everything, by: 'month' }), 'stream_rollup_day');
    });

    test('calls and failures by a stream-level dimension or filter are counted from the stream table', async () => {
      assert.equal(await agrees(db, { measures: 'calls,failures', by: 'day,mediaType' }), 'streams');
      const windows = (r: Record<string, string | number | null>) => r.sender_platform === 'windows';
      assert.equal(
        await agrees(db, { measures: 'setupFailures,drops', by: 'day', filter: "platform eq 'windows'" }, windows),
        'streams',
      );
      assert.equal(await agrees(db, { measures: 'poorCallPct', by: 'day' }), 'streams');
    });

    test('filters: date ranges, ne keeps unknown values, in, not, or, flags', async () => {
      const cases: [string, (r: Record<string, string | number | null>) => boolean][] = [
        [
          'date ge 2026-01-20 and date lt 2026-02-01',
          (r) => String(r.start_key) >= '2026-01-20' && String(r.start_key) < '2026-02-01',
        ],
        ['day eq 2026-01-21', (r) => String(r.start_key).startsWith('2026-01-21')],
        ['day le 2026-01-21', (r) => String(r.start_key).slice(0, 10) <= '2026-01-21'],
        ['day gt 2026-01-21', (r) => String(r.start_key).slice(0, 10) > '2026-01-21'],
        ["platform ne 'windows'", (r) => r.sender_platform !== 'windows'],
        ["platform in ('macOS', 'iOS')", (r) => r.sender_platform === 'macOS' || r.sender_platform === 'iOS'],
        [
          "not (mediaType eq 'audio') or classification eq 'Poor'",
          (r) => r.media_type !== 'audio' || r.classification === 'Poor',
        ],
        ['building eq null', (r) => r.sender_building === null],
        ['vpn eq true', (r) => Number(r.sender_vpn) === 1],
        [
          "week eq 2026-01-19 and month eq '2026-01'",
          (r) => String(r.start_key) >= '2026-01-19' && String(r.start_key) < '2026-01-26',
        ],
      ];
      for (const [filter, keep] of cases)
        await agrees(db, { measures: 'streams,poorStreams,calls', by: 'mediaType', filter }, keep);
    });

    test('the helpdesk filter keeps the streams either endpoint of which is the user', async () => {
      const streams = await allStreams(db);
      const user = streams.find((s) => s.sender_user_id !== null)!.sender_user_id!;
      await agrees(
        db,
        { measures: 'streams,poorStreams', by: 'callId', filter: `userId eq '${user}'` },
        (r) => r.sender_user_id === user || r.receiver_user_id === user,
      );
    });

    test('the day rollup follows replaced versions that add or remove a failure', async () => {
      type Part = { failureInfo?: unknown; segments?: Part[] };
      const failed = (r: Record<string, unknown>) =>
        (r.sessions as Part[]).some(
          (s) => s.failureInfo != null || (s.segments ?? []).some((g) => g.failureInfo != null),
        );
      const request = { measures: 'calls,poorCalls,failures,setupFailures,drops,streams', by: 'day' };
      const before = await db.analytics.aggregate(analyticsQueryOf(request));
      // One call that had no failure drops mid-call in its first session; one that failed loses its failures.
      const drop = structuredClone(TENANT.slice(10).find((r) => !failed(r))!);
      (drop.sessions as Part[])[0]!.failureInfo = { stage: 'midcall', reason: 'droppedByTest' };
      const heal = structuredClone(TENANT.slice(10).find(failed)!);
      for (const session of heal.sessions as Part[]) {
        session.failureInfo = null;
        for (const segment of session.segments ?? []) segment.failureInfo = null;
      }
      const later = [drop, heal].map((r) => ({ ...r, version: Number(r.version ?? 1) + 1 }));
      await db.records.write(writesOf(later), RECEIVED);
      assert.equal(await agrees(db, request), 'stream_rollup_day');
      const after = await db.analytics.aggregate(analyticsQueryOf(request));
      assert.notDeepEqual(after.rows, before.rows, 'the new versions change the failures counted');
    });

    test('the rollups follow replaced versions and a new building file, and a rebuild changes nothing', async () => {
      const request = { measures: 'streams,poorStreams,goodStreams,avgJitter', by: 'day,building,network,insideCorp' };
      // A later version of a few records replaces their streams (different media, another start).
      const later = TENANT.slice(0, 5).map((r) => ({
        ...structuredClone(r),
        version: Number(r.version ?? 1) + 1,
        sessions: (r.sessions as unknown[]).slice(0, 1),
      }));
      await db.records.write(writesOf(later), RECEIVED);
      assert.equal(await agrees(db, request), 'stream_rollup_place');
      const parsed = parseBuildingFile(BUILDINGS);
      assert.ok(parsed.ok);
      const replaced = await db.streams.replaceBuildings(parsed.buildings);
      assert.ok(replaced.mappedEndpoints > 0);
      assert.equal(await agrees(db, request), 'stream_rollup_place');
      const byBuilding = await db.analytics.aggregate(analyticsQueryOf({ measures: 'streams', by: 'building' }));
      assert.deepEqual(
        byBuilding.rows.map((r) => r[0]),
        ['Branch Office', 'Headquarters', null],
      );
      for (const day of OVERVIEW_DAY_QUERIES) assert.equal(await agrees(db, day, inPeriod), 'stream_rollup_day');
      const before = await db.analytics.aggregate(analyticsQueryOf(request));
      const dayBefore = await db.analytics.aggregate(analyticsQueryOf(OVERVIEW_DAY_QUERIES[0]!));
      await db.analytics.rebuildRollups();
      assert.deepEqual(await db.analytics.aggregate(analyticsQueryOf(request)), before);
      assert.deepEqual(await db.analytics.aggregate(analyticsQueryOf(OVERVIEW_DAY_QUERIES[0]!)), dayBefore);
    });

    test('retention empties the rollups with the streams (PostgreSQL drops whole months, which fires no trigger)', async () => {
      const request = { measures: 'streams,poorStreams', by: 'day,building' };
      assert.ok((await db.analytics.aggregate(analyticsQueryOf(request))).rows.length > 0);
      await db.upkeep.expire('9999-01-01T00:00:00.0000000Z');
      assert.equal(await agrees(db, request), 'stream_rollup_place');
      assert.deepEqual((await db.analytics.aggregate(analyticsQueryOf(request))).rows, []);
      const day = OVERVIEW_DAY_QUERIES[0]!;
      assert.equal(await agrees(db, day, inPeriod), 'stream_rollup_day');
      assert.deepEqual((await db.analytics.aggregate(analyticsQueryOf(day))).rows, []);
    });
  });
}
