/**
 * `callrecords backup <file>`: SQLite's online backup while a server is serving and ingesting into the same file, and
 * the refusals (an existing file, a PostgreSQL database).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { validateCallRecord } from '../src/domain/validate.js';
import { toRecordWrite } from '../src/service/record-fragments.js';
import { backupSqlite } from '../src/storage/sqlite/sqlite-backup.js';
import { openSqliteDatabase } from '../src/storage/sqlite/sqlite-database.js';
import { BIN, runCli, startServer } from './helpers/server-process.js';
import { makeRecord } from './helpers/records.js';

/** The ids of the records in the SQLite database at `path`, read by `callrecords export` as a user would. */
function exportedIds(path: string): string[] {
  const res = runCli(['export', '--db', `sqlite:${path}`]);
  assert.equal(res.code, 0, res.stderr);
  return res.stdout
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => (JSON.parse(l) as { id: string }).id);
}

function integrity(path: string): string {
  const db = new BetterSqlite3(path, { readonly: true });
  try {
    return db.pragma('integrity_check', { simple: true }) as string;
  } finally {
    db.close();
  }
}

describe('callrecords backup', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'callrecords-backup-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('while a server ingests into the file, the copy opens and holds everything committed before it', async () => {
    const source = join(dir, 'live.db');
    const server = await startServer(['--db', `sqlite:${source}`]);
    let batch = 0;
    const posted: string[] = [];
    /** Posts one batch of 25 records and resolves once the server has committed it. */
    const post = async () => {
      const ids = Array.from({ length: 25 }, (_, i) => `live-${batch}-${i}`);
      batch += 1;
      const body = ids.map((id) => JSON.stringify(makeRecord({ id, sessions: 8 }))).join('\n');
      const res = await fetch(`${server.url}/api/callRecords`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson' },
        body,
      });
      assert.equal(res.status, 200, await res.text());
      posted.push(...ids);
    };
    try {
      for (let i = 0; i < 20; i++) await post();
      const committed = [...posted];
      const target = join(dir, 'live-copy.db');
      const child = spawn(process.execPath, [BIN, 'backup', target, '--db', `sqlite:${source}`], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = once(child, 'exit');
      // Ingest goes on while the copy is made (bounded, in case the backup hangs).
      let running = true;
      void exited.then(() => (running = false));
      for (let i = 0; running && i < 400; i++) await post();
      const [code] = (await exited) as [number | null];
      assert.equal(code, 0, stderr);
      assert.equal(integrity(target), 'ok');
      const copied = new Set(exportedIds(target));
      assert.deepEqual(
        committed.filter((id) => !copied.has(id)),
        [],
        'every record committed before the backup',
      );
      assert.ok([...copied].every((id) => posted.includes(id)));
    } finally {
      await server.stop();
    }
  });

  test('a write between two steps of the copy restarts it, and it still ends with a whole database', async () => {
    const source = join(dir, 'steps.db');
    const store = await openSqliteDatabase(source);
    const write = (id: string) => {
      const result = validateCallRecord(makeRecord({ id, sessions: 30 }));
      assert.ok(result.ok);
      return store.records.write(
        [toRecordWrite(result.record, result.hasEvolvableMembers)],
        '2026-01-01T00:00:00.000Z',
      );
    };
    try {
      for (let i = 0; i < 40; i++) await write(`steps-${i}`);
      const remaining: number[] = [];
      const writes: Promise<unknown>[] = [];
      const target = join(dir, 'steps-copy.db');
      await backupSqlite(source, target, {
        pagesPerStep: 1,
        // Another connection commits between the steps, as a server would.
        onProgress: (progress) => {
          remaining.push(progress.remainingPages);
          writes.push(write(`during-${remaining.length}`));
        },
      });
      await Promise.all(writes);
      assert.ok(
        remaining.some((n, i) => i > 0 && n > remaining[i - 1]!),
        `the copy restarted (pages left after each step: ${remaining.join(', ')})`,
      );
      assert.equal(integrity(target), 'ok');
      const ids = exportedIds(target);
      for (let i = 0; i < 40; i++) assert.ok(ids.includes(`steps-${i}`));
      assert.ok(!existsSync(`${target}.partial`));
    } finally {
      await store.close();
    }
  });

  test('never overwrites a file, and names the tool for PostgreSQL', () => {
    const target = join(dir, 'taken.db');
    writeFileSync(target, 'mine');
    const taken = runCli(['backup', target, '--db', `sqlite:${join(dir, 'steps.db')}`]);
    assert.equal(taken.code, 1);
    assert.match(taken.stderr, /taken\.db exists; a backup never overwrites a file/);
    const pg = runCli(['backup', join(dir, 'pg.db'), '--db', 'postgres://postgres@127.0.0.1:5432/test']);
    assert.equal(pg.code, 2);
    assert.match(pg.stderr, /back up PostgreSQL with pg_dump \(docs\/operations\.md/);
    assert.ok(!existsSync(join(dir, 'pg.db')));
  });

  test('~ in --db and in the target is the home directory, as in every other command', () => {
    const env = { ...process.env, HOME: dir };
    const made = runCli(['import', '-', '--db', 'sqlite:~/home.db', '--no-progress'], {
      input: JSON.stringify(makeRecord({ id: 'at-home' })),
      env,
    });
    assert.equal(made.code, 0, made.stderr);
    const copy = runCli(['backup', '~/home-copy.db', '--db', 'sqlite:~/home.db'], { env });
    assert.equal(copy.code, 0, copy.stderr);
    assert.equal(integrity(join(dir, 'home-copy.db')), 'ok');
  });
});
