import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { renderShell } from '../src/dashboard/dashboard-assets.js';
import { DASHBOARD_PAGES } from '../src/http/dashboard-routes.js';
import { bearer, startAuthFixture, type AuthFixture } from './helpers/auth-fixture.js';
import { createTestApp } from './helpers/test-app.js';

/** The configuration block of a served shell. */
function configOf(html: string): { version: string; auth: { modes: string[] } } {
  const match = /<script type="application\/json" id="callrecords-config">(.*?)<\/script>/s.exec(html);
  assert.ok(match, 'the shell carries its configuration');
  return JSON.parse(match[1]!) as { version: string; auth: { modes: string[] } };
}

describe('the dashboard is served at / (issue 13)', () => {
  let test: Awaited<ReturnType<typeof createTestApp>>;
  let app: FastifyInstance;
  before(async () => {
    test = await createTestApp();
    app = test.app;
  });
  after(() => test.close());

  it('answers the page shell at every page path, with a strict Content-Security-Policy', async () => {
    for (const pattern of DASHBOARD_PAGES) {
      const res = await app.inject({ url: pattern.replace(':id', 'some-call-id') });
      assert.equal(res.statusCode, 200, pattern);
      assert.match(String(res.headers['content-type']), /^text\/html/);
      assert.equal(res.headers['cache-control'], 'no-cache');
      const csp = String(res.headers['content-security-policy']);
      assert.match(csp, /script-src 'self'(;|$)/);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.doesNotMatch(csp, /unsafe/);
      assert.deepEqual(configOf(res.body).auth.modes, []);
      assert.match(res.body, /<script type="module" src="\/assets\/app-[0-9a-f]{12}\.js">/);
    }
  });

  it('serves each asset compressed as the browser accepts, cached for good under its hashed name', async () => {
    const shell = (await app.inject({ url: '/' })).body;
    const names = [...shell.matchAll(/\/assets\/(app-[0-9a-f]{12}\.(?:js|css))/g)].map((m) => m[1]!);
    assert.equal(names.length, 2);
    for (const name of names) {
      const plain = await app.inject({ url: `/assets/${name}`, headers: { 'accept-encoding': 'identity' } });
      assert.equal(plain.statusCode, 200);
      assert.equal(plain.headers['content-encoding'], undefined);
      assert.equal(plain.headers['cache-control'], 'public, max-age=31536000, immutable');
      assert.match(String(plain.headers['content-type']), name.endsWith('.js') ? /^text\/javascript/ : /^text\/css/);
      const br = await app.inject({ url: `/assets/${name}`, headers: { 'accept-encoding': 'gzip, deflate, br' } });
      assert.equal(br.headers['content-encoding'], 'br');
      assert.deepEqual(brotliDecompressSync(br.rawPayload), plain.rawPayload);
      assert.ok(br.rawPayload.length < plain.rawPayload.length / 2);
      const gzip = await app.inject({ url: `/assets/${name}`, headers: { 'accept-encoding': 'gzip' } });
      assert.equal(gzip.headers['content-encoding'], 'gzip');
      assert.deepEqual(gunzipSync(gzip.rawPayload), plain.rawPayload);
    }
  });

  it('answers a Graph-shaped 404 for an unknown asset, and leaves other paths the 404 they were', async () => {
    for (const url of ['/assets/app-000000000000.js', '/assets/manifest.json', '/overview/extra', '/nothing-here']) {
      const res = await app.inject({ url });
      assert.equal(res.statusCode, 404, url);
      assert.equal(res.json<{ error: { code: string } }>().error.code, 'NotFound', url);
    }
  });

  it('writes the configuration so that no value can end its element', () => {
    const html = renderShell('<head><!--callrecords-config--></head>', {
      version: '</script><script>alert(1)</script>',
      auth: { modes: [] },
    });
    assert.doesNotMatch(html, /<\/script><script>/);
    assert.equal(configOf(html).version, '</script><script>alert(1)</script>');
  });

  it('is off with dashboard: false', async () => {
    const off = await createTestApp({ dashboard: false });
    try {
      assert.equal((await off.app.inject({ url: '/' })).statusCode, 404);
      assert.equal((await off.app.inject({ url: '/overview' })).statusCode, 404);
    } finally {
      await off.close();
    }
  });
});

describe('the dashboard with --auth on', () => {
  let fixture: AuthFixture;
  before(async () => {
    fixture = await startAuthFixture();
  });
  after(() => fixture.close());

  it('serves the shell and assets without a credential (they hold no data) and names the sign-in modes', async () => {
    const res = await fixture.app.inject({ url: '/overview' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(configOf(res.body).auth.modes, ['entra', 'keys']);
    // The data stays behind the credential.
    assert.equal((await fixture.app.inject({ url: '/api/analytics?measures=streams' })).statusCode, 401);
    const key = await fixture.key('CallRecords.Read.All');
    const data = await fixture.app.inject({ url: '/api/analytics?measures=streams', headers: bearer(key) });
    assert.equal(data.statusCode, 200);
  });
});
