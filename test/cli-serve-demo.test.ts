/** `callrecords serve --demo` (and `npm start`): a populated demo on an empty database, nothing anywhere else. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { openDatabase } from '../src/storage/open-database.js';
import { BIN, startServer } from './helpers/server-process.js';
import type { Json } from './helpers/json.js';

// The README's demo examples name these; the demo's ids do not change with the date.
const MEETING = 'e72403ca-8cf3-4ce4-8e9e-2733057423ef';
const PERSON = 'c29f16cb-288a-4be8-8107-067358e38477';

async function get(url: string): Promise<Json> {
  const res = await fetch(url);
  assert.equal(res.status, 200, url);
  return res.json();
}

function messages(logs: string[]): string[] {
  return logs.map((l) => (JSON.parse(l) as { msg: string }).msg);
}

describe('callrecords serve --demo', () => {
  let dir: string;
  const db = (name: string) => `sqlite:${join(dir, name)}`;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'callrecords-demo-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('SIGTERM while the demo loads: the load finishes, the server exits 0, the database is whole', async () => {
    const path = join(dir, 'interrupted.db');
    const child = spawn(process.execPath, [BIN, 'serve', '--demo', '--port', '0', '--db', `sqlite:${path}`], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines = createInterface({ input: child.stdout! });
    // The first log line comes before the demo is written.
    await once(lines, 'line');
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 0, 'a clean exit');
    assert.equal(existsSync(`${path}-wal`), false, 'the database was closed (no write-ahead log left)');
    const store = await openDatabase(`sqlite:${path}`);
    try {
      assert.equal((await store.meta.health()).records, 3000, 'the whole demo, not part of it');
    } finally {
      await store.close();
    }
  });

  test('an empty database gets the demo tenant; the README examples work on it', async () => {
    // Loading 3,000 calls takes seconds on idle cores and much longer on a busy machine (README); the limit allows that.
    const server = await startServer(['--demo', '--db', db('demo.db')], {}, { startTimeoutMs: 180_000 });
    try {
      assert.equal((await get(`${server.url}/api/health`)).records, 3000);
      assert.ok(
        messages(server.logs).some((m) => /^demo: loaded 3000 calls \(\d+ record versions, .*\) in \d+\.\d s$/.test(m)),
        server.logs.join('\n'),
      );
      const day = (ago: number) => new Date(Date.now() - ago * 86_400_000).toISOString().slice(0, 10);
      const window = await get(
        `${server.url}/v1.0/communications/callRecords?$filter=startDateTime%20ge%20${day(2)}T00:00:00Z%20and%20startDateTime%20lt%20${day(1)}T00:00:00Z`,
      );
      assert.ok(window.value.length > 0, 'the demo has calls every day');
      assert.ok(
        window.value.every((r: Json) => r.startDateTime >= day(2) && r.startDateTime < day(1)),
        'the window selects',
      );
      const meeting = await get(
        `${server.url}/v1.0/communications/callRecords/${MEETING}?$expand=sessions($expand=segments)`,
      );
      assert.equal(meeting.type, 'groupCall');
      assert.ok(meeting.sessions.length > 1 && meeting.sessions[0].segments.length > 0, 'sessions with segments');
      const theirs = await get(
        `${server.url}/v1.0/communications/callRecords?$filter=participants_v2/any(p:p/id%20eq%20'${PERSON}')`,
      );
      assert.ok(theirs.value.length > 5, `${theirs.value.length} calls of one person`);
      const readme = readFileSync(join(import.meta.dirname, '../README.md'), 'utf8');
      assert.ok(readme.includes(MEETING) && readme.includes(PERSON), 'the README names the ids tested here');
    } finally {
      await server.stop();
    }
    const again = await startServer(['--demo', '--db', db('demo.db')]);
    try {
      assert.equal((await get(`${again.url}/api/health`)).records, 3000);
      assert.ok(
        messages(again.logs).includes('demo: the database already holds records; no demo data loaded'),
        again.logs.join('\n'),
      );
    } finally {
      await again.stop();
    }
  });

  test('without --demo, or with CALLRECORDS_DEMO=0 even with it, an empty database stays empty', async () => {
    for (const [args, env] of [
      [[], {}],
      [['--demo'], { CALLRECORDS_DEMO: '0' }],
      [[], { CALLRECORDS_DEMO: 'false' }],
    ] as const) {
      const server = await startServer(
        [...args, '--db', db(`empty-${args.length}-${Object.keys(env).length}.db`)],
        env,
      );
      try {
        assert.equal((await get(`${server.url}/api/health`)).records, 0, `${args.join(' ')} ${JSON.stringify(env)}`);
        assert.ok(!messages(server.logs).some((m) => m.startsWith('demo:')), server.logs.join('\n'));
      } finally {
        await server.stop();
      }
    }
  });
});
