/**
 * The stream role's contract on every backend (src/storage/roles.ts StreamStore, docs/analytics.md): rows derived at
 * every write and replaced with their version, removed by retention, rebuilt and reclassified by another rule set,
 * re-mapped by another building file, and the missing-subnet report.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBuildingFile, type Building } from '../src/analytics/building-file.js';
import { CURRENT_RULES, LEGACY_RULES } from '../src/analytics/rule-sets.js';
import { validateCallRecord } from '../src/domain/validate.js';
import { generateRecords } from '../src/generate/index.js';
import { toRecordWrite } from '../src/service/record-fragments.js';
import type { CallRecordDatabase } from '../src/storage/roles.js';
import type { StoredStream } from '../src/storage/stream-types.js';
import { BACKENDS } from './helpers/databases.js';

const RECEIVED = '2026-03-01T00:00:00.000Z';

function writesOf(records: Record<string, unknown>[]) {
  return records.map((record) => {
    const result = validateCallRecord(structuredClone(record));
    assert.ok(result.ok, JSON.stringify(!result.ok && result));
    return toRecordWrite(result.record, result.hasEvolvableMembers);
  });
}

function tenant(calls: number, seed = 7) {
  return [...generateRecords({ calls, seed, from: new Date('2026-01-05T00:00:00Z'), days: 20, versions: false })];
}

async function allStreams(db: CallRecordDatabase): Promise<StoredStream[]> {
  const rows: StoredStream[] = [];
  for (;;) {
    const last = rows.at(-1);
    const page = await db.streams.readStreams(
      {},
      last && { startKey: last.start_key, recordId: last.record_id, ordinal: Number(last.ordinal) },
      400,
    );
    rows.push(...page);
    if (page.length < 400) return rows;
  }
}

function streamCount(record: Record<string, unknown>): number {
  let n = 0;
  for (const session of record.sessions as { segments: { media: { streams: unknown[] }[] }[] }[]) {
    for (const segment of session.segments) for (const media of segment.media ?? []) n += media.streams?.length ?? 0;
  }
  return n;
}

function buildings(text: string): Building[] {
  const parsed = parseBuildingFile(text);
  assert.ok(parsed.ok, JSON.stringify(parsed));
  return parsed.buildings;
}

for (const backend of BACKENDS) {
  describe(`streams contract: ${backend.name}`, () => {
    let db: CallRecordDatabase;
    before(async () => {
      db = await backend.open();
    });
    after(async () => {
      await db.close();
    });

    test('every mediaStream of a written record is one row, classified, and a new version replaces them', async () => {
      const records = tenant(12);
      await db.records.write(writesOf(records), RECEIVED);
      const rows = await allStreams(db);
      assert.equal(
        rows.length,
        records.map(streamCount).reduce((a, b) => a + b, 0),
      );
      assert.ok(rows.some((r) => r.classification === 'Poor'));
      assert.ok(rows.every((r) => ['Good', 'Poor', 'Unclassified'].includes(r.classification)));
      const first = records[0]!;
      const smaller = structuredClone(first) as { version: number; sessions: unknown[] };
      smaller.version += 1;
      smaller.sessions = smaller.sessions.slice(0, 1);
      await db.records.write(writesOf([smaller as unknown as Record<string, unknown>]), RECEIVED);
      const after = (await allStreams(db)).filter((r) => r.record_id === first.id);
      assert.equal(after.length, streamCount(smaller as unknown as Record<string, unknown>));
    });

    test('a rebuild with the legacy rules reclassifies the stored rows and names the rule set', async () => {
      const before = await allStreams(db);
      assert.equal((await db.streams.status()).rules.name, 'current');
      const result = await db.streams.rebuild(LEGACY_RULES);
      assert.equal(result.streams, before.length);
      assert.equal((await db.streams.status()).rules.name, 'legacy');
      const rebuilt = await allStreams(db);
      const poor = (rows: StoredStream[]) => rows.filter((r) => r.classification === 'Poor').length;
      assert.ok(poor(rebuilt) > poor(before), 'legacy adds degradation and concealed-ratio reasons');
      assert.ok(rebuilt.some((r) => r.poor_reasons.includes('concealedRatio')));
      await db.streams.rebuild(CURRENT_RULES);
      assert.deepEqual(await allStreams(db), before);
    });

    test('a building file maps endpoints, a new one re-maps them, and missing subnets are reported', async () => {
      const rows = await allStreams(db);
      const subnets = [...new Set(rows.map((r) => r.sender_subnet).filter((s) => s?.startsWith('10.')))] as string[];
      assert.ok(subnets.length > 1);
      const [a, b] = subnets as [string, string];
      const line = (subnet: string, name: string) =>
        `${subnet},${name} net,24,${name},Contoso,Office,Open,Seattle,98101,US,WA,NA,1,0,0`;
      await db.streams.replaceBuildings(buildings(line(a, 'Alpha')));
      let mapped = await allStreams(db);
      assert.ok(mapped.filter((r) => r.sender_subnet === a).every((r) => r.sender_building === 'Alpha'));
      assert.ok(mapped.filter((r) => r.sender_subnet === b).every((r) => r.sender_building === null));
      await db.streams.replaceBuildings(buildings(`${line(b, 'Beta')}\n`));
      mapped = await allStreams(db);
      assert.ok(mapped.filter((r) => r.sender_subnet === a).every((r) => r.sender_building === null));
      assert.ok(mapped.filter((r) => r.sender_subnet === b).every((r) => r.sender_building === 'Beta'));
      assert.equal((await db.streams.buildings())[0]!.buildingName, 'Beta');
      const missing = await db.streams.missingSubnets(1);
      assert.ok(missing.some((m) => m.subnet === a));
      assert.ok(!missing.some((m) => m.subnet === b));
      // A record written now maps with the stored file too.
      const more = tenant(6, 99);
      await db.records.write(writesOf(more), RECEIVED);
      const fresh = (await allStreams(db)).filter((r) => more.some((m) => m.id === r.record_id));
      assert.ok(fresh.filter((r) => r.sender_subnet === b).every((r) => r.sender_building === 'Beta'));
    });

    test('a privacy rewrite re-derives the rows with the stored rule set and building file', async () => {
      await db.streams.rebuild(LEGACY_RULES);
      const before = await allStreams(db);
      const ids = [...new Set(before.map((r) => r.record_id))];
      assert.ok(before.some((r) => r.sender_building === 'Beta') && before.some((r) => r.classification === 'Poor'));
      // The identity rewrite: what a purge does to a record that holds nothing to scrub.
      const same = (raw: string) => writesOf([JSON.parse(raw) as Record<string, unknown>])[0]!;
      assert.equal(await db.privacy.rewrite(ids, same, RECEIVED), ids.length);
      assert.deepEqual(await allStreams(db), before, 'classification (legacy) and buildings kept');
      await db.streams.rebuild(CURRENT_RULES);
    });

    test('retention removes a record with its stream rows', async () => {
      const count = (await allStreams(db)).length;
      assert.ok(count > 0);
      await db.upkeep.expire('9999-01-01T00:00:00.0000000Z');
      assert.equal((await allStreams(db)).length, 0);
    });
  });
}
