/** CORS: off unless `--cors-origin` names the browser origins that may call the API. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { createApp } from '../src/http/create-app.js';
import type { CallRecordDatabase } from '../src/storage/roles.js';
import { fixedClock } from './helpers/test-app.js';
import { SQLITE_BACKEND } from './helpers/databases.js';
import { startServer } from './helpers/server-process.js';

const APP_ORIGIN = 'https://app.example.com';
const LIST = '/v1.0/communications/callRecords';

async function appWith(corsOrigins?: string[]): Promise<{ app: FastifyInstance; store: CallRecordDatabase }> {
  const store = await SQLITE_BACKEND.open();
  const app = await createApp({ db: store, clock: fixedClock, bodyLimit: 1 << 20, logger: false, corsOrigins });
  return { app, store };
}

const preflight = (app: FastifyInstance, origin: string, url = LIST, method = 'GET') =>
  app.inject({
    method: 'OPTIONS',
    url,
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'authorization' },
  });

describe('CORS', () => {
  const apps: { app: FastifyInstance; store: CallRecordDatabase }[] = [];
  let off: FastifyInstance;
  let on: FastifyInstance;
  before(async () => {
    apps.push(await appWith(), await appWith([APP_ORIGIN, 'http://localhost:5173']));
    [off, on] = apps.map((a) => a.app) as [FastifyInstance, FastifyInstance];
  });
  after(async () => {
    for (const { app, store } of apps) {
      await app.close();
      await store.close();
    }
  });

  test('off by default: no CORS headers, and a preflight is not answered as one', async () => {
    const res = await off.inject({ method: 'GET', url: LIST, headers: { origin: APP_ORIGIN } });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(
      Object.keys(res.headers).filter((h) => h.startsWith('access-control-')),
      [],
    );
    const pre = await preflight(off, APP_ORIGIN);
    assert.notEqual(pre.statusCode, 204);
    assert.equal(pre.headers['access-control-allow-origin'], undefined);
  });

  test('a preflight from an allowed origin is answered 204 with the methods and headers allowed', async () => {
    for (const [url, method] of [
      [LIST, 'GET'],
      ['/api/callRecords', 'POST'],
      ['/v1.0/$metadata', 'GET'],
    ] as const) {
      const res = await preflight(on, APP_ORIGIN, url, method);
      assert.equal(res.statusCode, 204, url);
      assert.equal(res.headers['access-control-allow-origin'], APP_ORIGIN);
      assert.match(String(res.headers['access-control-allow-methods']), new RegExp(method));
      assert.match(String(res.headers['access-control-allow-headers']), /authorization/);
      assert.match(String(res.headers.vary), /Origin/);
    }
  });

  test('an allowed origin is echoed and may read the request ids and Preference-Applied', async () => {
    for (const origin of [APP_ORIGIN, 'http://localhost:5173']) {
      const res = await on.inject({
        method: 'GET',
        url: LIST,
        headers: { origin, prefer: 'odata.maxpagesize=5' },
      });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['access-control-allow-origin'], origin);
      const exposed = String(res.headers['access-control-expose-headers']).toLowerCase().split(/,\s*/);
      for (const header of ['request-id', 'client-request-id', 'preference-applied'])
        assert.ok(exposed.includes(header));
      assert.equal(res.headers['preference-applied'], 'odata.maxpagesize=5');
    }
    const error = await on.inject({ method: 'GET', url: `${LIST}/nope`, headers: { origin: APP_ORIGIN } });
    assert.equal(error.statusCode, 404);
    assert.equal(error.headers['access-control-allow-origin'], APP_ORIGIN, 'errors are readable too');
  });

  test('another origin gets no CORS headers, so its browser blocks the answer', async () => {
    const res = await on.inject({ method: 'GET', url: LIST, headers: { origin: 'https://evil.example.com' } });
    assert.equal(res.headers['access-control-allow-origin'], undefined);
    assert.equal(res.headers['access-control-expose-headers'], undefined);
    const pre = await preflight(on, 'https://evil.example.com');
    assert.equal(pre.headers['access-control-allow-origin'], undefined);
    assert.equal(pre.headers['access-control-allow-methods'], undefined);
  });

  test('* allows any origin', async () => {
    const { app, store } = await appWith(['*']);
    try {
      const res = await app.inject({ method: 'GET', url: LIST, headers: { origin: 'https://any.example.org' } });
      assert.equal(res.headers['access-control-allow-origin'], 'https://any.example.org');
    } finally {
      await app.close();
      await store.close();
    }
  });

  test('serve takes the origins from --cors-origin or CALLRECORDS_CORS_ORIGIN', async () => {
    const server = await startServer(['--db', 'sqlite::memory:'], {
      CALLRECORDS_CORS_ORIGIN: `${APP_ORIGIN},http://localhost:5173`,
    });
    try {
      const res = await fetch(`${server.url}${LIST}`, { headers: { origin: 'http://localhost:5173' } });
      assert.equal(res.headers.get('access-control-allow-origin'), 'http://localhost:5173');
    } finally {
      await server.stop();
    }
  });
});
