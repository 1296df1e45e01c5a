/**
 * Completeness is known, never guessed (docs/api.md, "Version rules"): a body cut short by its source (a
 * `…@odata.nextLink` on sessions or participants_v2) or without `sessions` (a copy from Graph's List) is partial.
 * A partial body never replaces a more complete current body of the same version, whatever the arrival order and
 * however many writers there are; a partial current version is reported with what it lacks.
 *
 * Every case runs on each store, and on two writers over one database: two SQLite connections on one file, two
 * PostgreSQL stores on one schema.
 */
import type { Json } from './helpers/json.js';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IngestService } from '../src/ingest/ingest-service.js';
import { PostgresStore } from '../src/storage/postgres/postgres-store.js';
import { openSqliteDatabase } from '../src/storage/sqlite/sqlite-database.js';
import { databaseOf } from '../src/storage/open-database.js';
import type { CallRecordDatabase } from '../src/storage/roles.js';
import { POSTGRES_ENABLED, testSchema } from './helpers/postgres.js';
import { cutShortCopy, listPageCopy, makeRecord } from './helpers/records.js';
import { fixedClock } from './helpers/test-app.js';
import { BACKENDS } from './helpers/databases.js';

/** Two writers on one database (the same store twice when there is only one). */
interface Writers {
  name: string;
  open(): Promise<{ a: CallRecordDatabase; b: CallRecordDatabase; close(): Promise<void> }>;
}

const WRITERS: Writers[] = [
  ...BACKENDS.map((backend) => ({
    name: backend.name,
    open: async () => {
      const store = await backend.open();
      return { a: store, b: store, close: () => store.close() };
    },
  })),
  {
    name: 'two SQLite connections on one file',
    open: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'callrecords-completeness-'));
      const a = await openSqliteDatabase(join(dir, 'two.db'));
      const b = await openSqliteDatabase(join(dir, 'two.db'));
      return {
        a,
        b,
        close: async () => {
          await Promise.all([a.close(), b.close()]);
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
  ...(POSTGRES_ENABLED
    ? [
        {
          name: 'two PostgreSQL stores on one schema',
          open: async () => {
            const schema = testSchema('completeness');
            const a = databaseOf(await PostgresStore.open(schema.url));
            const b = databaseOf(await PostgresStore.open(schema.url));
            return {
              a,
              b,
              close: async () => {
                await Promise.all([a.close(), b.close()]);
                await schema.drop();
              },
            };
          },
        },
      ]
    : []),
];

/** Enough records that an order decided by content hash alone would pick the list copy for some of them. */
const RECORDS = 12;

/** The full records of one group, each with 2 to 4 sessions. */
function fullRecords(group: string): Record<string, Json>[] {
  return Array.from({ length: RECORDS }, (_, i) =>
    makeRecord({ id: `${group}-${i}`, version: 3, sessions: 2 + (i % 3), participants: 3 }),
  );
}

for (const writers of WRITERS) {
  describe(`completeness decides equal versions: ${writers.name}`, () => {
    let a: IngestService;
    let b: IngestService;
    let store: CallRecordDatabase;
    let close: () => Promise<void>;
    before(async () => {
      const opened = await writers.open();
      a = new IngestService(opened.a.records, fixedClock);
      b = new IngestService(opened.b.records, fixedClock);
      store = opened.b;
      close = opened.close;
    });
    after(() => close());

    const items = (records: Record<string, Json>[]) => records.map((value) => ({ value }));

    /** Every record of `full` is current with its sessions and participants, and none is listed as partial. */
    async function assertFullCurrent(full: Record<string, Json>[]) {
      for (const record of full) {
        const read = await store.records.readRecord(record.id);
        assert.equal(read?.sessionCount, record.sessions.length, `${record.id}: sessions of the current version`);
        assert.equal(read?.participantCount, 3, `${record.id}: participants of the current version`);
      }
      const partial = await store.records.listPartialRecords({ limit: 1000 });
      const ids = new Set(full.map((r) => r.id));
      assert.deepEqual(
        partial.filter((p) => ids.has(p.id)),
        [],
      );
    }

    test('a list page, then the full records of the same version: the full ones are current', async () => {
      const full = fullRecords('list-first');
      const listed = await a.ingest(items(full.map(listPageCopy)));
      assert.ok(
        listed.every((o) => o.status === 'inserted' && o.partial === 'no sessions (a list-page copy)'),
        JSON.stringify(listed),
      );
      const outcomes = await b.ingest(items(full));
      assert.deepEqual(
        outcomes.map((o) => [o.status, o.partial]),
        full.map(() => ['updated', undefined]),
      );
      await assertFullCurrent(full);
    });

    test('the full records, then a list page of the same version: the full ones stay current', async () => {
      const full = fullRecords('full-first');
      await a.ingest(items(full));
      const outcomes = await b.ingest(items(full.map(listPageCopy)));
      assert.deepEqual(
        outcomes.map((o) => [o.status, o.partial]),
        full.map(() => ['stale', undefined]),
      );
      await assertFullCurrent(full);
      // Both were received at the same (fixed) time, so the history's order between them is not asserted.
      const history = await store.history.listVersions(full[0]!.id);
      assert.deepEqual(history.map((v) => [v.version, v.current, v.partial]).sort(), [
        [3, false, 'no sessions (a list-page copy)'],
        [3, true, undefined],
      ]);
    });

    test('a list page and the full records written at the same time, in one batch each way', async () => {
      const full = fullRecords('together');
      await Promise.all([a.ingest(items(full.map(listPageCopy))), b.ingest(items(full))]);
      const later = fullRecords('together-reversed');
      await Promise.all([b.ingest(items(later)), a.ingest(items(later.map(listPageCopy)))]);
      const mixed = fullRecords('one-batch');
      await a.ingest(items(mixed.flatMap((r, i) => (i % 2 === 0 ? [listPageCopy(r), r] : [r, listPageCopy(r)]))));
      for (const group of [full, later, mixed]) await assertFullCurrent(group);
    });

    test('a record cut short by its source is stored, answered partial and listed for the operator', async () => {
      const whole = makeRecord({ id: 'cut-283', version: 2, sessions: 283 });
      const [outcome] = await a.ingest([{ value: cutShortCopy(whole) }]);
      assert.equal(outcome?.status, 'inserted');
      assert.equal(outcome?.partial, '60 of ≥ 61 sessions; follow sessions@odata.nextLink');
      assert.equal((await store.records.readRecord('cut-283'))?.sessionCount, 60);
      const listed = await store.records.listPartialRecords({ limit: 1000 });
      assert.deepEqual(
        listed.filter((p) => p.id === 'cut-283'),
        [
          {
            id: 'cut-283',
            version: 2,
            partial: '60 of ≥ 61 sessions; follow sessions@odata.nextLink',
            nextLinks: { 'sessions@odata.nextLink': cutShortCopy(whole)['sessions@odata.nextLink'] },
          },
        ],
      );
      assert.ok((await store.meta.health()).partial >= 1);

      const [again] = await b.ingest([{ value: listPageCopy(whole) }]);
      assert.deepEqual([again?.status, again?.partial], ['stale', outcome?.partial], 'cut short beats no sessions');
      const [completed] = await b.ingest([{ value: whole }]);
      assert.deepEqual([completed?.status, completed?.partial], ['updated', undefined]);
      assert.equal((await store.records.readRecord('cut-283'))?.sessionCount, 283);
      assert.deepEqual(
        (await store.records.listPartialRecords({ limit: 1000 })).filter((p) => p.id === 'cut-283'),
        [],
      );
    });

    test('a higher version that is partial becomes current, flagged; the partial list pages by id', async () => {
      const v1 = makeRecord({ id: 'higher-partial', version: 1, sessions: 2 });
      const v2 = makeRecord({ id: 'higher-partial', version: 2, sessions: 2 });
      await a.ingest([{ value: v1 }]);
      const [outcome] = await b.ingest([{ value: listPageCopy(v2) }]);
      assert.deepEqual(
        [outcome?.status, outcome?.version, outcome?.partial],
        ['updated', 2, 'no sessions (a list-page copy)'],
      );
      const [older] = await a.ingest([{ value: makeRecord({ id: 'higher-partial', version: 1, sessions: 3 }) }]);
      assert.deepEqual([older?.status, older?.partial], ['stale', 'no sessions (a list-page copy)']);

      const cut = makeRecord({ id: 'participants-cut', participants: 140 });
      cut.participants_v2 = cut.participants_v2.slice(0, 130);
      cut['participants_v2@odata.nextLink'] = 'https://graph.microsoft.com/v1.0/…/participants_v2?$skiptoken=x';
      const [participants] = await a.ingest([{ value: cut }]);
      assert.equal(participants?.partial, '130 of ≥ 131 participants_v2; follow participants_v2@odata.nextLink');

      const all = await store.records.listPartialRecords({ limit: 1000 });
      const first = await store.records.listPartialRecords({ limit: 1 });
      const rest = await store.records.listPartialRecords({ after: first[0]!.id, limit: 1000 });
      assert.deepEqual([...first, ...rest], all);
      assert.deepEqual(
        all.map((p) => p.id),
        [...all.map((p) => p.id)].sort(),
      );
      assert.ok(all.some((p) => p.id === 'higher-partial' && p.version === 2));
      assert.equal((await store.meta.health()).partial, all.length);
    });
  });
}
