/**
 * The CLI side of the telephony logs, in process: `generate --logs` writes one NDJSON file per kind without changing
 * the records it generates, deterministic rows with realistic values; `import --kind` stores them, reports the same
 * file again as unchanged, and rejects bad rows with their line numbers (exit 1) while storing the others.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateCommand } from '../src/cli/generate-command.js';
import { importCommand } from '../src/cli/import-command.js';
import { LOG_FILES } from '../src/generate/write-call-logs.js';
import { BACKENDS, DatabaseList } from './helpers/databases.js';
import type { Json } from './helpers/json.js';

const GENERATE = { calls: '800', seed: '5', from: '2025-03-01', days: '14' };

/** Runs a command with captured output. */
async function run(
  command: (io: { stdout: PassThrough; stderr: PassThrough & { isTTY?: boolean } }) => Promise<number>,
) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => (out += c));
  stderr.on('data', (c) => (err += c));
  const code = await command({ stdout, stderr });
  return { code, out, err };
}

function lines(file: string): Json[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l));
}

describe('generate --logs', () => {
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'callrecords-logs-'));
    const a = await run((io) =>
      generateCommand({ ...GENERATE, out: join(dir, 'with.ndjson'), logs: join(dir, 'logs') }, io),
    );
    assert.equal(a.code, 0, a.err);
    await run((io) => generateCommand({ ...GENERATE, out: join(dir, 'without.ndjson') }, io));
    await run((io) => generateCommand({ ...GENERATE, out: join(dir, 'again.ndjson'), logs: join(dir, 'again') }, io));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('the records are the same with and without --logs; the rows are the same for the same options', () => {
    assert.equal(readFileSync(join(dir, 'with.ndjson'), 'utf8'), readFileSync(join(dir, 'without.ndjson'), 'utf8'));
    for (const file of Object.values(LOG_FILES)) {
      assert.equal(readFileSync(join(dir, 'logs', file), 'utf8'), readFileSync(join(dir, 'again', file), 'utf8'), file);
    }
  });

  test('every kind has rows, with realistic values', () => {
    const dr = lines(join(dir, 'logs', LOG_FILES.directRoutingCalls));
    const pstn = lines(join(dir, 'logs', LOG_FILES.pstnCalls));
    const records = new Set(lines(join(dir, 'with.ndjson')).map((r) => r.id));
    for (const file of Object.values(LOG_FILES)) assert.ok(lines(join(dir, 'logs', file)).length > 0, file);
    assert.ok(
      dr.every((r) => records.has(r.correlationId)),
      'each DR row belongs to a generated call',
    );
    assert.ok(dr.every((r) => (r.successfulCall ? r.finalSipCode === 0 : r.finalSipCode >= 400)));
    assert.ok(dr.some((r) => !r.successfulCall && r.failureDateTime !== '0001-01-01T00:00:00Z'));
    assert.ok(
      dr.every((r) => /\*\*\*$/.test(r.callType === 'ByotOut' ? r.calleeNumber : r.callerNumber)),
      'masked',
    );
    assert.ok(pstn.some((r) => r.callType === 'conf_out' && r.charge > 0 && r.conferenceId !== null));
    const report = lines(join(dir, 'logs', LOG_FILES.pstnOnlineMeetingDialoutReport));
    const dialOuts = pstn.filter((r) => r.callType === 'conf_out');
    assert.equal(
      report.reduce((n, r) => n + r.totalCalls, 0),
      dialOuts.length,
    );
  });
});

for (const backend of BACKENDS) {
  describe(`import --kind (${backend.name})`, () => {
    const databases = new DatabaseList(backend);
    let dir: string;
    let db: string;
    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'callrecords-import-logs-'));
      db = databases.create('importlogs').url;
      await run((io) => generateCommand({ ...GENERATE, out: join(dir, 'records.ndjson'), logs: dir }, io));
    });
    after(async () => {
      rmSync(dir, { recursive: true, force: true });
      await databases.dropAll();
    });

    test('importing a log twice: inserted, then unchanged', async () => {
      const file = join(dir, LOG_FILES.directRoutingCalls);
      const count = lines(file).length;
      const first = await run((io) =>
        importCommand(file, { db, kind: 'directRoutingCalls', progress: false }, io as never),
      );
      assert.equal(first.code, 0, first.err);
      assert.match(first.out, new RegExp(`inserted ${count}, updated 0, unchanged 0`));
      const second = await run((io) =>
        importCommand(file, { db, kind: 'directRoutingCalls', progress: false }, io as never),
      );
      assert.match(second.out, new RegExp(`inserted 0, updated 0, unchanged ${count}`));
    });

    test('the dial-out report needs its period; with it, it is stored', async () => {
      const file = join(dir, LOG_FILES.pstnOnlineMeetingDialoutReport);
      await assert.rejects(
        run((io) => importCommand(file, { db, kind: 'pstnOnlineMeetingDialoutReport' }, io as never)),
        /--period-from and --period-to/,
      );
      const opts = {
        db,
        kind: 'pstnOnlineMeetingDialoutReport',
        periodFrom: '2025-03-01',
        periodTo: '2025-03-15',
        progress: false,
      };
      const res = await run((io) => importCommand(file, opts, io as never));
      assert.equal(res.code, 0, res.err);
    });

    test('bad rows are reported with their line numbers; the rest is stored (exit 1)', async () => {
      const sms = readFileSync(join(dir, LOG_FILES.smsLog), 'utf8')
        .split('\n')
        .filter((l) => l !== '');
      const bad = [sms[0], '{"sentDateTime": "not a date"}', sms[1], 'nonsense', sms[2]].join('\n');
      const file = join(dir, 'bad-sms.ndjson');
      writeFileSync(file, bad);
      const res = await run((io) => importCommand(file, { db, kind: 'smsLog', progress: false }, io as never));
      assert.equal(res.code, 1);
      assert.match(res.err, /^line 2\b.*sentDateTime/m);
      assert.match(res.err, /^line 4\b/m);
      assert.match(res.out, /inserted 3, updated 0, unchanged 0, stale 0, rejected 2/);
    });
  });
}
