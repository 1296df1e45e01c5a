/** `callrecords serve` as a process: options, health, graceful shutdown. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, startServer } from './helpers/server-process.js';
import { makeRecord } from './helpers/records.js';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.js';

describe('callrecords serve', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'callrecords-serve-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('--help lists every option with its environment variable', () => {
    const help = spawnSync(process.execPath, [BIN, 'serve', '--help'], { encoding: 'utf8' }).stdout;
    for (const env of [
      'CALLRECORDS_DB',
      'CALLRECORDS_HOST',
      'CALLRECORDS_PORT',
      'CALLRECORDS_PUBLIC_URL',
      'CALLRECORDS_TLS_CERT',
      'CALLRECORDS_TLS_KEY',
    ]) {
      assert.match(help, new RegExp(`env:\\s+${env}\\)`), env);
    }
    assert.match(help, /--db <url>.*default:\s+"sqlite:\.\/data\/callrecords\.db"/s);
  });

  test('options come from the environment too', async () => {
    const server = await startServer([], {
      CALLRECORDS_DB: `sqlite:${join(dir, 'env.db')}`,
      CALLRECORDS_PUBLIC_URL: 'https://calls.example.com',
    });
    const body = (await (await fetch(`${server.url}/v1.0/communications/callRecords`)).json()) as {
      '@odata.context': string;
    };
    assert.equal(body['@odata.context'], 'https://calls.example.com/v1.0/$metadata#communications/callRecords');
    assert.equal(await server.stop('SIGINT'), 0);
  });

  test('logs are JSON lines that carry the request id', async () => {
    const server = await startServer(['--db', `sqlite:${join(dir, 'logs.db')}`, '--log-level', 'info']);
    const res = await fetch(`${server.url}/api/health`);
    const requestId = res.headers.get('request-id');
    assert.deepEqual(await res.json(), { status: 'ok', database: { kind: 'sqlite', status: 'ok' }, records: 0 });
    assert.equal(await server.stop(), 0);
    const entries = server.logs.map((l) => JSON.parse(l) as { reqId?: string; msg: string });
    assert.ok(
      entries.some((e) => e.reqId === requestId && e.msg === 'request completed'),
      server.logs.join('\n'),
    );
  });

  test('SIGTERM lets an in-flight ingest finish, then closes the database and exits 0', async () => {
    const path = join(dir, 'shutdown.db');
    const server = await startServer(['--db', `sqlite:${path}`]);
    const records = Array.from({ length: 400 }, (_, i) => makeRecord({ id: `shutdown-${i}`, sessions: 5 }));
    const pending = fetch(`${server.url}/api/callRecords`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(records),
    });
    await new Promise((r) => setTimeout(r, 30));
    const exited = server.stop('SIGTERM');
    const res = await pending;
    assert.equal(res.status, 200);
    const summary = ((await res.json()) as { summary: { inserted: number } }).summary;
    assert.equal(summary.inserted, 400);
    assert.equal(await exited, 0);
    const store = await SqliteStore.open(path);
    assert.equal((await store.health()).records, 400, 'every acknowledged record is in the database');
    await store.close();
  });

  test('a port in use is a clear error', async () => {
    const first = await startServer(['--db', `sqlite:${join(dir, 'port.db')}`]);
    const port = new URL(first.url).port;
    const second = spawnSync(
      process.execPath,
      [BIN, 'serve', '--db', `sqlite:${join(dir, 'port2.db')}`, '--port', port],
      { encoding: 'utf8' },
    );
    assert.equal(second.status, 2);
    assert.match(second.stderr, /cannot listen on 127\.0\.0\.1:\d+/);
    await first.stop();
  });
});
