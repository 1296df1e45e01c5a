/**
 * Hostile input against a real `callrecords serve` process on both stores: the server stays up and answering, its
 * resident memory comes back near where it started, every refusal is Graph-shaped; `callrecords import` names the
 * line of each unstorable record and stores the rest.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BACKENDS, DatabaseList } from './helpers/databases.js';
import { makeRecord } from './helpers/records.js';
import { runCli, startServer, type ServerProcess } from './helpers/server-process.js';
import { rawRequest } from './helpers/raw-http.js';

/** Resident memory of a process, in bytes (Linux). */
function rss(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]!;
  return Number(kb) * 1024;
}

/**
 * The most RSS a run of hostile requests may leave behind. Without the item cap one request of a million empty
 * records left 2.2 GiB; reading an 8.6 MiB body leaves some MiB of freed buffers that the allocator keeps.
 */
const RSS_MARGIN = 64 * 1024 * 1024;

const EMPTY_ITEMS = 3_000_000; // 8.6 MiB of `{},`: the body that killed the server

for (const backend of BACKENDS) {
  describe(`a real server under hostile input (${backend.name})`, () => {
    const dbs = new DatabaseList(backend);
    let server: ServerProcess;
    before(async () => {
      server = await startServer(['--db', dbs.create('hostile').url, '--log-level', 'info']);
    });
    after(async () => {
      await server.stop();
      await dbs.dropAll();
    });

    async function post(body: string, type = 'application/json') {
      const res = await fetch(`${server.url}/api/callRecords`, {
        method: 'POST',
        headers: { 'content-type': type },
        body,
      });
      return { status: res.status, json: (await res.json()) as { error?: { code: string; message: string } } };
    }

    test('floods of empty records are refused, memory returns near its start, the server answers', async () => {
      // Warm up: one write and one read, so the baseline includes what any serving process holds.
      assert.equal((await post(JSON.stringify([makeRecord({ id: 'warm-up' })]))).status, 200);
      assert.equal((await fetch(`${server.url}/v1.0/communications/callRecords`)).status, 200);
      const baseline = rss(server.child.pid!);

      const floods: [string, string][] = [
        [`[${'{},'.repeat(EMPTY_ITEMS - 1)}{}]`, 'application/json'],
        ['{}\n'.repeat(EMPTY_ITEMS), 'application/x-ndjson'],
        [`{"value":[${'{},'.repeat(EMPTY_ITEMS / 3)}{}]}`, 'application/json'],
      ];
      for (const [body, type] of floods) {
        const res = await post(body, type);
        assert.equal(res.status, 413);
        assert.equal(res.json.error?.code, 'requestEntityTooLarge');
        assert.match(res.json.error!.message, /more than 1000 call records/);
      }
      const allBad = await post(`[${'{},'.repeat(999)}{}]`);
      assert.equal(allBad.status, 400);
      assert.equal(allBad.json.error?.code, 'invalidRecord');

      const mixed = await post(
        JSON.stringify([
          makeRecord({ id: 'kept-1' }),
          makeRecord({ id: 'x'.repeat(2700) }),
          makeRecord({ id: 'nul\u0000' }),
          makeRecord({ id: 'kept-2' }),
        ]),
      );
      assert.equal(mixed.status, 200);
      for (const id of ['kept-1', 'kept-2']) {
        assert.equal((await fetch(`${server.url}/v1.0/communications/callRecords/${id}`)).status, 200, id);
      }
      assert.equal((await fetch(`${server.url}/v1.0/communications/callRecords/a%00`)).status, 404);

      const health = await fetch(`${server.url}/api/health`);
      assert.equal(health.status, 200);
      const after = rss(server.child.pid!);
      assert.ok(
        after - baseline < RSS_MARGIN,
        `RSS went from ${(baseline / 2 ** 20).toFixed(0)} MiB to ${(after / 2 ** 20).toFixed(0)} MiB`,
      );
      assert.equal(server.child.exitCode, null, 'the server is still running');
      // The log is read from the process's stdout as it comes: wait for the mixed batch's line.
      const logged = () =>
        server.logs.some((line) => line.includes('"msg":"ingest outcomes"') && line.includes('"rejected":2'));
      await server.waitForLog((line) => line.includes('"msg":"ingest outcomes"') && line.includes('"rejected":2'));
      assert.ok(logged(), 'each ingest request logs its counts');
    });

    test('errors of the HTTP parser come back Graph-shaped with a request id', async () => {
      const { port } = new URL(server.url);
      const cases: [string, number, string][] = [
        [`GET /v1.0/${'x'.repeat(17 * 1024)} HTTP/1.1\r\nHost: a\r\n\r\n`, 431, 'headersTooLarge'],
        ['GET /api/health HTTP/1.1\r\nHost: a\r\nX-Bad: a\x01b\r\n\r\n', 400, 'BadRequest'],
        [
          'POST /api/callRecords HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
          400,
          'BadRequest',
        ],
        ['GET /api/health HTTP/1.1\r\nHost: a\r\nContent-Length: abc\r\n\r\n', 400, 'BadRequest'],
      ];
      for (const [request, status, code] of cases) {
        const res = await rawRequest(Number(port), request);
        assert.equal(res.status, status, res.text.slice(0, 300));
        assert.equal(res.json?.error?.code, code, res.text.slice(0, 300));
        assert.match(res.headers['request-id'] ?? '', /^[0-9a-f-]{36}$/);
        assert.equal(res.json?.error?.innerError?.['request-id'], res.headers['request-id']);
      }
      const absolute = await rawRequest(
        Number(port),
        `GET ${server.url}/v1.0/communications/callRecords/kept-1?$select=id HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`,
      );
      assert.equal(absolute.status, 200, absolute.text.slice(0, 300));
      assert.equal(absolute.json?.id, 'kept-1');
      assert.equal((await fetch(`${server.url}/api/health`)).status, 200, 'the server still answers');
    });
  });
}

describe('callrecords import of unstorable records', () => {
  const dbs = new DatabaseList(BACKENDS[BACKENDS.length - 1]!);
  const dir = mkdtempSync(join(tmpdir(), 'callrecords-hostile-import-'));
  after(async () => {
    await dbs.dropAll();
    rmSync(dir, { recursive: true, force: true });
  });

  test('names the line of each refused record and stores the others', () => {
    const lines = [
      JSON.stringify(makeRecord({ id: 'line-1' })),
      JSON.stringify(makeRecord({ id: 'line-2\u0000' })),
      JSON.stringify(makeRecord({ id: 'line-3-XX' })),
      JSON.stringify(makeRecord({ id: 'line-4' })).replace('"version":1', '"version":12345678901234567890'),
      JSON.stringify(makeRecord({ id: 'y'.repeat(3000) })),
      JSON.stringify(makeRecord({ id: 'line-6' })),
    ];
    const bytes = Buffer.from(lines.join('\n') + '\n');
    bytes[bytes.indexOf('XX')] = 0xc3; // a lead byte followed by `X`: not UTF-8
    const file = join(dir, 'hostile.ndjson');
    writeFileSync(file, bytes);
    const res = runCli(['import', file, '--db', dbs.create('imp').url, '--no-progress']);
    assert.equal(res.code, 1, res.stderr);
    assert.match(res.stdout, /inserted 2, updated 0, unchanged 0, stale 0, rejected 4/);
    assert.match(res.stderr, /^line 2 \(id line-2\\u0000\): rejected: id: holds U\+0000/m);
    assert.match(res.stderr, /^line 3: rejected: JSON value starting on line 3 is not valid UTF-8/m);
    assert.match(res.stderr, /^line 4.*rejected: version: an integer beyond/m);
    assert.match(res.stderr, /^line 5.*rejected: id: longer than 256 characters/m);
  });
});
