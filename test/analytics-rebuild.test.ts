/**
 * `callrecords analytics rebuild|status`, `--quality-rules` (current, legacy or a JSON file) and
 * `callrecords generate --buildings`, run in-process on every backend: the status names the stored rule set and the
 * configured one when they differ, a rebuild applies the configured one, a bad rule-set file is a configuration error.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { parseBuildingFile } from '../src/analytics/building-file.js';
import { loadRuleSet, CURRENT_RULES } from '../src/analytics/rule-sets.js';
import { analyticsRebuildCommand, analyticsStatusCommand } from '../src/cli/analytics-command.js';
import { generateCommand } from '../src/cli/generate-command.js';
import { validateCallRecord } from '../src/domain/validate.js';
import type { ConfigError } from '../src/errors.js';
import { generateRecords } from '../src/generate/index.js';
import { toRecordWrite } from '../src/service/record-fragments.js';
import { openDatabase } from '../src/storage/open-database.js';
import { BACKENDS, type TestDatabase } from './helpers/databases.js';

function sink(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({ write: (chunk, _e, done) => ((text += String(chunk)), done()) });
  return { stream, text: () => text };
}

describe('rule sets', () => {
  test('a JSON file is a rule set; a bad one is a configuration error naming what is wrong', () => {
    const dir = mkdtempSync(join(tmpdir(), 'callrecords-rules-'));
    try {
      const strict = { ...CURRENT_RULES, name: 'strict', version: 3, audio: { ...CURRENT_RULES.audio, jitterMs: 20 } };
      writeFileSync(join(dir, 'strict.json'), JSON.stringify(strict));
      assert.deepEqual(loadRuleSet(join(dir, 'strict.json')), strict);
      writeFileSync(join(dir, 'bad.json'), JSON.stringify({ ...strict, video: { minFrameRate: 'seven' } }));
      assert.throws(
        () => loadRuleSet(join(dir, 'bad.json')),
        (e: ConfigError) => /video\.frameLossPercentage/.test(e.message),
      );
      writeFileSync(join(dir, 'text.json'), 'jitter 30');
      assert.throws(() => loadRuleSet(join(dir, 'text.json')), /not JSON/);
      assert.throws(() => loadRuleSet(join(dir, 'missing.json')), /neither current, legacy nor a readable file/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('callrecords generate --buildings', () => {
  test('writes a valid CQD building file beside the records', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'callrecords-gen-buildings-'));
    try {
      const err = sink();
      const opts = {
        calls: '5',
        seed: '9',
        days: '2',
        from: '2026-01-01',
        out: join(dir, 'r.ndjson'),
        buildings: join(dir, 'b.csv'),
      };
      assert.equal(await generateCommand(opts, { stdout: sink().stream, stderr: err.stream }), 0);
      const parsed = parseBuildingFile(readFileSync(join(dir, 'b.csv'), 'utf8'));
      assert.ok(parsed.ok);
      assert.ok(parsed.buildings.length >= 10);
      assert.match(err.text(), /networks \(CQD building file\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

for (const backend of BACKENDS) {
  describe(`callrecords analytics: ${backend.name}`, () => {
    let database: TestDatabase;
    before(async () => {
      database = backend.create('analytics');
      const db = await openDatabase(database.url);
      const records = [
        ...generateRecords({ calls: 60, seed: 11, from: new Date('2026-01-05T00:00:00Z'), days: 5, versions: false }),
      ];
      await db.records.write(
        records.map((r) => {
          const v = validateCallRecord(r);
          assert.ok(v.ok);
          return toRecordWrite(v.record, v.hasEvolvableMembers);
        }),
        '2026-02-01T00:00:00.000Z',
      );
      await db.close();
    });
    after(async () => {
      await database.drop();
    });

    test('status says when --quality-rules differs from the stored rules; rebuild applies them', async () => {
      const status = async (rules: string) => {
        const out = sink();
        assert.equal(await analyticsStatusCommand({ db: database.url, qualityRules: rules }, out.stream), 0);
        return JSON.parse(out.text()) as Record<string, unknown>;
      };
      assert.deepEqual(await status('current'), { ruleSet: 'current@1', networks: 0 });
      assert.deepEqual(await status('legacy'), { ruleSet: 'current@1', configuredRuleSet: 'legacy@1', networks: 0 });
      const out = sink();
      const io = { stdout: out.stream, stderr: sink().stream };
      assert.equal(await analyticsRebuildCommand({ db: database.url, qualityRules: 'legacy' }, io), 0);
      assert.match(out.text(), /stream table rebuilt with legacy@1: \d+ streams of 60 records/);
      assert.deepEqual(await status('legacy'), { ruleSet: 'legacy@1', networks: 0 });
      const db = await openDatabase(database.url);
      try {
        const rows = await db.streams.readStreams({}, undefined, 100_000);
        assert.ok(rows.length > 500);
        assert.ok(rows.some((r) => r.poor_degradation === 1 || r.poor_concealed === 1));
      } finally {
        await db.close();
      }
    });
  });
}
