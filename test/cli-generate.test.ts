/** `callrecords generate` as a user runs it: real processes, real files, and an import of what it wrote. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, runCli } from './helpers/server-process.js';

const run = (args: string[], env?: NodeJS.ProcessEnv) => runCli(args, { env });

describe('callrecords generate', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'callrecords-generate-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  const args = ['generate', '--calls', '200', '--seed', '7', '--from', '2024-03-01', '--days', '7'];

  test('writes NDJSON to stdout: one record per line, the same bytes for the same seed', () => {
    const first = run(args);
    assert.equal(first.code, 0, first.stderr);
    const lines = first.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 200);
    const starts = lines.map((l) => JSON.parse(l).startDateTime as string);
    assert.ok(starts[0]! >= '2024-03-01' && starts[199]! < '2024-03-08', `${starts[0]} … ${starts[199]}`);
    assert.equal(run(args).stdout, first.stdout);
    assert.notEqual(run([...args.slice(0, 4), '8', ...args.slice(5)]).stdout, first.stdout, 'another seed differs');
  });

  test('--out writes the file and reports on stderr; options come from the environment too', () => {
    const out = join(dir, 'calls.ndjson');
    const res = run(['generate', '--out', out], {
      CALLRECORDS_CALLS: '200',
      CALLRECORDS_SEED: '7',
      CALLRECORDS_FROM: '2024-03-01',
      CALLRECORDS_DAYS: '7',
    });
    assert.equal(res.code, 0, res.stderr);
    assert.equal(res.stdout, '');
    assert.match(res.stderr, /calls\.ndjson: 200 records of 200 calls in \d+\.\d s/);
    assert.equal(readFileSync(out, 'utf8'), run(args).stdout);
  });

  test('--versions: more lines than calls; importing them rejects none', () => {
    const out = join(dir, 'versions.ndjson');
    assert.equal(run([...args, '--versions', '--out', out]).code, 0);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    assert.ok(lines.length > 200, `${lines.length} lines`);
    const res = run(['import', out, '--db', `sqlite:${join(dir, 'versions.db')}`]);
    assert.equal(res.code, 0, res.stderr);
    assert.match(
      res.stdout,
      new RegExp(
        `${lines.length} records .*\\n  inserted 200, updated ${lines.length - 200}, unchanged 0, stale 0, rejected 0`,
      ),
    );
    const off = run([...args, '--versions'], { CALLRECORDS_VERSIONS: '0' });
    assert.equal(off.stdout.trimEnd().split('\n').length, 200, 'CALLRECORDS_VERSIONS=0 turns --versions off');
  });

  test('without --from the window is the --days days before now', () => {
    const res = run(['generate', '--calls', '20', '--days', '2']);
    assert.equal(res.code, 0, res.stderr);
    const now = Date.now();
    for (const line of res.stdout.trimEnd().split('\n')) {
      const start = Date.parse(JSON.parse(line).startDateTime);
      assert.ok(start >= now - 2 * 86_400_000 - 60_000 && start <= now, `start ${new Date(start).toISOString()}`);
    }
  });

  test('a reader that stops early (generate | head) ends it quietly', async () => {
    const child = spawn(process.execPath, [BIN, 'generate', '--calls', '100000'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await once(child.stdout, 'data');
    child.stdout.destroy();
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 0, stderr);
    assert.equal(stderr, '');
  });

  test('an --out that cannot be written is one clear line and exit code 2', () => {
    const res = run(['generate', '--calls', '1', '--out', join(dir, 'missing', 'calls.ndjson')]);
    assert.equal(res.code, 2, res.stderr);
    assert.match(res.stderr, /^callrecords: cannot write .*missing\/calls\.ndjson: ENOENT/);
  });

  test('bad options are one clear line and exit code 2', () => {
    for (const [flag, value, message] of [
      ['--calls', 'many', /--calls must be a whole number/],
      ['--days', '0', /--days must be a whole number ≥ 1/],
      ['--seed', '-3', /--seed must be a whole number/],
      ['--from', 'yesterday', /--from 'yesterday' is not a date/],
    ] as const) {
      const res = run(['generate', flag, value]);
      assert.equal(res.code, 2, `${flag} ${value}: ${res.stderr}`);
      assert.match(res.stderr, message);
    }
  });
});
