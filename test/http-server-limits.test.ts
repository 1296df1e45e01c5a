/**
 * Limits of the listening server, driven over real sockets: requests that arrive too slowly are answered 408 and
 * closed, and HTTPS speaks only TLS 1.2 and 1.3 with forward-secret suites unless `--tls-ciphers` says otherwise.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { createApp } from '../src/http/create-app.js';
import type { CallRecordDatabase } from '../src/storage/roles.js';
import { fixedClock } from './helpers/test-app.js';
import { SQLITE_BACKEND } from './helpers/databases.js';
import { rawRequest } from './helpers/raw-http.js';
import { createSelfSignedCert, type SelfSignedCert } from './helpers/tls.js';
import { runCli } from './helpers/server-process.js';

async function listen(options: Partial<Parameters<typeof createApp>[0]> = {}) {
  const store: CallRecordDatabase = await SQLITE_BACKEND.open();
  const app = await createApp({ db: store, clock: fixedClock, bodyLimit: 1 << 20, logger: false, ...options });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as AddressInfo).port;
  return {
    app,
    port,
    close: async () => {
      await app.close();
      await store.close();
    },
  };
}

describe('requests that arrive too slowly', () => {
  let server: Awaited<ReturnType<typeof listen>>;
  before(async () => {
    server = await listen({ timeouts: { headersMs: 400, requestMs: 400 } });
  });
  after(() => server.close());

  for (const [name, request] of [
    [
      'a body that stops arriving',
      'POST /api/callRecords HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n[{"id":',
    ],
    ['headers that never end', 'GET /api/health HTTP/1.1\r\nHost: a\r\nX-Slow: 1\r\n'],
  ]) {
    // A server that never closes the connection would hang the test: it fails after 10 s instead.
    test(`${name}: 408 in the Graph shape, connection closed`, { timeout: 10_000 }, async () => {
      // rawRequest resolves when the server closes the connection: it does so by itself.
      const res = await rawRequest(server.port, request!);
      assert.equal(res.status, 408, res.text);
      assert.equal(res.json?.error?.code, 'requestTimeout');
      assert.equal(res.json?.error?.innerError?.['request-id'], res.headers['request-id']);
    });
  }

  test('the server keeps serving', async () => {
    const res = await rawRequest(server.port, 'GET /api/health HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n');
    assert.equal(res.status, 200, res.text);
  });
});

/** Resolves to the negotiated protocol and cipher, or rejects with the handshake's error. */
function handshake(
  port: number,
  cert: Buffer,
  options: ConnectionOptions = {},
): Promise<{ protocol: string; cipher: string }> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host: '127.0.0.1', port, ca: cert, servername: 'localhost', ...options }, () => {
      const result = { protocol: socket.getProtocol() ?? '', cipher: socket.getCipher().name };
      socket.end();
      resolve(result);
    });
    socket.on('error', reject);
  });
}

describe('TLS', () => {
  const dir = mkdtempSync(join(tmpdir(), 'callrecords-tls-limits-'));
  let cert: SelfSignedCert;
  let server: Awaited<ReturnType<typeof listen>>;
  let narrowed: Awaited<ReturnType<typeof listen>>;
  before(async () => {
    cert = createSelfSignedCert(dir);
    const pem = { cert: cert.cert, key: readFileSync(cert.keyFile) };
    server = await listen({ https: pem });
    narrowed = await listen({ https: { ...pem, ciphers: 'ECDHE-RSA-AES256-GCM-SHA384' } });
  });
  after(async () => {
    await server?.close();
    await narrowed?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('TLS 1.3 by default, and TLS 1.2 only with ECDHE', async () => {
    assert.equal((await handshake(server.port, cert.cert)).protocol, 'TLSv1.3');
    const tls12 = await handshake(server.port, cert.cert, { maxVersion: 'TLSv1.2' });
    assert.equal(tls12.protocol, 'TLSv1.2');
    assert.match(tls12.cipher, /^ECDHE-/);
  });

  test('a suite without forward secrecy is refused', async () => {
    await assert.rejects(
      handshake(server.port, cert.cert, { maxVersion: 'TLSv1.2', ciphers: 'AES128-GCM-SHA256:AES256-SHA' }),
      /handshake failure|no shared cipher/i,
    );
  });

  test('TLS 1.1 is refused', async () => {
    await assert.rejects(
      handshake(server.port, cert.cert, { minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' }),
      /protocol|version/i,
    );
  });

  test('--tls-ciphers replaces the list', async () => {
    await assert.rejects(
      handshake(narrowed.port, cert.cert, { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-GCM-SHA256' }),
      /handshake failure|no shared cipher/i,
    );
    const tls12 = await handshake(narrowed.port, cert.cert, { maxVersion: 'TLSv1.2' });
    assert.equal(tls12.cipher, 'ECDHE-RSA-AES256-GCM-SHA384');
  });

  test('a cipher list OpenSSL cannot use is a usage error naming the option', () => {
    const res = runCli(
      ['serve', '--db', 'sqlite::memory:', '--port', '0', '--tls-cert', cert.certFile, '--tls-key', cert.keyFile],
      { env: { CALLRECORDS_TLS_CIPHERS: 'NO-SUCH-CIPHER' } },
    );
    assert.notEqual(res.code, 0);
    assert.match(res.stderr, /--tls-ciphers: .*cipher/i);
  });
});
