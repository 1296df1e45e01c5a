/** `npm start`: the demo goes only into the default SQLite file, and SIGTERM to npm stops the server with it. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { startServer } from './helpers/server-process.js';
import { POSTGRES_ENABLED, testSchema } from './helpers/postgres.js';

const ROOT = join(import.meta.dirname, '..');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('npm start', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'callrecords-npm-start-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('with CALLRECORDS_DB elsewhere: serves it without the demo, says so, and SIGTERM to npm leaves no server', async () => {
    const npm = spawn(NPM, ['start'], {
      cwd: ROOT,
      env: { ...process.env, CALLRECORDS_DB: `sqlite:${join(dir, 'mine.db')}`, CALLRECORDS_PORT: '0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const logs: { pid: number; msg: string }[] = [];
    const lines = createInterface({ input: npm.stdout! });
    // The server writes into npm's stdout: the pipe ends once npm and the server have both exited.
    const outputEnded = once(lines, 'close');
    const serving = new Promise<{ pid: number; url: string }>((resolve, reject) => {
      let url = '';
      lines.on('line', (line) => {
        if (!line.startsWith('{')) return; // npm's own banner
        const entry = JSON.parse(line) as { pid: number; msg: string };
        logs.push(entry);
        url = /Server listening at (\S+)/.exec(entry.msg)?.[1] ?? url;
        if (entry.msg === 'callrecords is serving') resolve({ pid: entry.pid, url });
      });
      npm.once('exit', (code) => reject(new Error(`npm start exited with ${code}`)));
    });
    const { pid, url } = await serving;
    try {
      assert.ok(
        logs.some((l) => l.msg.startsWith('demo: not loaded: the database comes from CALLRECORDS_DB')),
        logs.map((l) => l.msg).join('\n'),
      );
      const health = (await (await fetch(`${url}/api/health`)).json()) as { records: number };
      assert.equal(health.records, 0, 'no demo in a database someone configured');
    } finally {
      const exited = once(npm, 'exit');
      npm.kill('SIGTERM');
      await exited;
    }
    // npm has exited; the server it ran must be gone too (not re-parented to init and still listening). Its end
    // shows as the end of the output it shares with npm; the bound is only for the failure, an orphan that never ends.
    const bound = new AbortController();
    await Promise.race([outputEnded, delay(10_000, undefined, { signal: bound.signal }).catch(() => undefined)]);
    bound.abort();
    const orphan = alive(pid);
    // An orphan would hold this test's stderr open and hang the run: end it before failing.
    if (orphan) process.kill(pid, 'SIGKILL');
    assert.equal(orphan, false, `the server process ${pid} was still running after npm stopped`);
    assert.ok(
      logs.some((l) => l.msg === 'shutting down: finishing in-flight requests'),
      'it shut down gracefully',
    );
  });

  test('--demo never loads into PostgreSQL, even when named with --db', { skip: !POSTGRES_ENABLED }, async () => {
    const schema = testSchema('demo_pg');
    try {
      const server = await startServer(['--demo', '--db', schema.url]);
      try {
        const messages = server.logs.map((l) => (JSON.parse(l) as { msg: string }).msg);
        assert.ok(
          messages.includes(
            'demo: not loaded: the demo only goes into a SQLite database, never into PostgreSQL; serving the database as it is',
          ),
          messages.join('\n'),
        );
        const health = (await (await fetch(`${server.url}/api/health`)).json()) as { records: number };
        assert.equal(health.records, 0);
      } finally {
        await server.stop();
      }
    } finally {
      await schema.drop();
    }
  });
});
