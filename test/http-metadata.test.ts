/** `GET /{v1.0,beta}/$metadata`: the CSDL every `@odata.context` points at. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestApp, INJECT_BASE } from './helpers/test-app.js';

const FOLDER = join(import.meta.dirname, '../src/odata/metadata');

describe('$metadata', () => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  before(async () => (t = await createTestApp()));
  after(() => t.close());

  for (const [version, file] of [
    ['v1.0', 'csdl-callrecords-v1.xml'],
    ['beta', 'csdl-callrecords-beta.xml'],
  ] as const) {
    test(`${version}: the file's bytes, as XML, with the request headers`, async () => {
      const res = await t.app.inject({
        method: 'GET',
        url: `/${version}/$metadata`,
        headers: { 'client-request-id': 'm-1' },
      });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'application/xml;charset=utf-8');
      assert.equal(res.headers['client-request-id'], 'm-1');
      assert.match(String(res.headers['request-id']), /^[0-9a-f-]{36}$/);
      assert.deepEqual(res.rawPayload, readFileSync(join(FOLDER, file)));
      assert.match(res.body, /^<\?xml[^>]*\?>\s*(<!--[\s\S]*?-->\s*)?<edmx:Edmx Version="4\.0"/);
      assert.match(res.body, /<Schema Namespace="microsoft\.graph\.callRecords"/);
      assert.match(res.body, /<\/edmx:Edmx>\s*$/);
    });

    test(`${version}: the @odata.context of a list names the URL that serves the metadata`, async () => {
      const list = await t.app.inject({ method: 'GET', url: `/${version}/communications/callRecords` });
      const context = String(list.json()['@odata.context']);
      const metadataUrl = context.slice(0, context.indexOf('#'));
      assert.equal(metadataUrl, `${INJECT_BASE}/${version}/$metadata`);
      const res = await t.app.inject({ method: 'GET', url: new URL(metadataUrl).pathname });
      assert.equal(res.statusCode, 200);
    });
  }

  test('HEAD answers like GET without a body; writes are 405', async () => {
    const head = await t.app.inject({ method: 'HEAD', url: '/v1.0/$metadata' });
    assert.equal(head.statusCode, 200);
    assert.equal(head.headers['content-type'], 'application/xml;charset=utf-8');
    const post = await t.app.inject({ method: 'POST', url: '/v1.0/$metadata', payload: '' });
    assert.equal(post.statusCode, 405);
  });

  test('the folder README names the public source of each file', () => {
    const readme = readFileSync(join(FOLDER, 'README.md'), 'utf8');
    assert.ok(readme.includes('https://graph.microsoft.com/v1.0/$metadata'));
    assert.ok(readme.includes('https://graph.microsoft.com/beta/$metadata'));
  });
});
