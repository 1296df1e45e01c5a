/** `callrecords serve` as a process: options, health, graceful shutdown. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request, type ClientRequest } from 'node:http';
import { BIN, startServer, type ServerProcess } from './helpers/server-process.js';
import { makeRecord } from './helpers/records.js';
import { openDatabase } from '../src/storage/open-database.js';
import { BACKENDS, DatabaseList } from './helpers/databases.js';

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

for (const backend of BACKENDS) {
  describe(`callrecords serve on ${backend.name}: health, ingest, shutdown`, () => {
    const databases = new DatabaseList(backend);
    after(() => databases.dropAll());

    test('logs are JSON lines that carry the request id', async () => {
      const server = await startServer(['--db', databases.create('serve_logs').url, '--log-level', 'info']);
      const res = await fetch(`${server.url}/api/health`);
      const requestId = res.headers.get('request-id');
      assert.deepEqual(await res.json(), {
        status: 'ok',
        database: { kind: backend.name, status: 'ok' },
        records: 0,
        partial: 0,
      });
      assert.equal(await server.stop(), 0);
      const entries = server.logs.map((l) => JSON.parse(l) as { reqId?: string; msg: string });
      assert.ok(
        entries.some((e) => e.reqId === requestId && e.msg === 'request completed'),
        server.logs.join('\n'),
      );
    });

    /**
     * POSTs `count` records and sends SIGTERM while the request is in flight: the first half of the body goes out, the
     * server logs the request's arrival, SIGTERM goes, the server logs that it is shutting down, and only then does
     * the rest of the body follow. Resolves to the ingest answer.
     */
    async function ingestDuringShutdown(server: ServerProcess, count: number, keepAlive: boolean) {
      const records = Array.from({ length: count }, (_, i) => makeRecord({ id: `shutdown-${i}`, sessions: 5 }));
      const body = Buffer.from(JSON.stringify(records));
      const post = postJson(`${server.url}/api/callRecords`, keepAlive);
      post.write(body.subarray(0, body.length >> 1));
      await server.waitForLog((l) => l.includes('"msg":"incoming request"') && l.includes('"method":"POST"'));
      const exited = server.stop('SIGTERM');
      await server.waitForLog((l) => l.includes('"msg":"shutting down: finishing in-flight requests"'));
      post.end(body.subarray(body.length >> 1));
      return { answer: await post.answer, exited };
    }

    test('SIGTERM lets an in-flight ingest finish, then closes the database and exits 0', async () => {
      const db = databases.create('serve_shutdown');
      const server = await startServer(['--db', db.url]);
      // Connection: close — see the next test for a client that keeps its connection open.
      const { answer, exited } = await ingestDuringShutdown(server, 400, false);
      assert.equal(answer.status, 200, answer.text);
      const summary = (JSON.parse(answer.text) as { summary: { inserted: number } }).summary;
      assert.equal(summary.inserted, 400);
      assert.equal(await exited, 0);
      const store = await openDatabase(db.url);
      assert.equal((await store.meta.health()).records, 400, 'every acknowledged record is in the database');
      await store.close();
    });

    // Fastify closes only the connections idle when close() starts; a response finished while closing carries
    // Connection: close, so a kept-alive connection busy at SIGTERM does not hold the process for keepAliveTimeout.
    test('SIGTERM during an ingest on a kept-alive connection exits within seconds', async () => {
      const server = await startServer(['--db', databases.create('serve_keepalive').url]);
      const { answer, exited } = await ingestDuringShutdown(server, 400, true);
      assert.equal(answer.status, 200, answer.text);
      const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('still running'), 5000))]);
      if (code === 'still running') await server.stop('SIGKILL');
      assert.equal(code, 0, 'the server exits within 5 s of SIGTERM');
    });
  });
}

/**
 * Starts a JSON POST with node:http whose body the caller writes (`write`, then `end`); `keepAlive: false` sends
 * Connection: close. `answer` resolves to the status and body.
 */
function postJson(
  url: string,
  keepAlive: boolean,
): { write(chunk: Buffer): void; end(chunk: Buffer): void; answer: Promise<{ status: number; text: string }> } {
  let req!: ClientRequest;
  const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
    req = request(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        agent: keepAlive ? new Agent({ keepAlive: true }) : false,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
  });
  return { write: (chunk) => void req.write(chunk), end: (chunk) => void req.end(chunk), answer };
}
