/**
 * The HTTP surfaces are encapsulated plugins (src/http/README.md): each prefix answers with its own hooks and parsers,
 * and what lies outside every prefix answers as it always did. These cases pin the edges a prefix could blur.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp } from './helpers/test-app.js';

interface SurfaceCase {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'OPTIONS';
  url: string;
  body?: { type: string; text: string };
  status: number;
  code: string;
}

const CASES: SurfaceCase[] = [
  {
    name: 'a write on a Graph route',
    method: 'POST',
    url: '/v1.0/communications/callRecords',
    status: 405,
    code: 'MethodNotAllowed',
  },
  {
    name: 'a write on an unknown Graph path',
    method: 'DELETE',
    url: '/beta/nowhere',
    status: 405,
    code: 'MethodNotAllowed',
  },
  {
    name: 'OPTIONS (no route has it) on a Graph path',
    method: 'OPTIONS',
    url: '/v1.0/communications/callRecords',
    status: 405,
    code: 'MethodNotAllowed',
  },
  {
    name: 'a write with a broken body on a Graph path, refused before the body',
    method: 'PUT',
    url: '/v1.0/x',
    body: { type: 'application/json', text: '{' },
    status: 405,
    code: 'MethodNotAllowed',
  },
  { name: 'the bare Graph prefix', method: 'GET', url: '/v1.0', status: 404, code: 'NotFound' },
  { name: 'a write on the bare Graph prefix', method: 'POST', url: '/beta', status: 404, code: 'NotFound' },
  {
    name: 'a path that only starts like a Graph prefix',
    method: 'POST',
    url: '/v1.0x/communications/callRecords',
    status: 404,
    code: 'NotFound',
  },
  { name: 'an unknown archive API path', method: 'GET', url: '/api/nowhere', status: 404, code: 'NotFound' },
  {
    name: 'an ingest body of another media type',
    method: 'POST',
    url: '/api/callRecords',
    body: { type: 'text/plain', text: '{}' },
    status: 415,
    code: 'unsupportedMediaType',
  },
  { name: 'a path outside every surface', method: 'GET', url: '/nowhere', status: 404, code: 'NotFound' },
  {
    name: 'a broken JSON body sent outside every surface',
    method: 'POST',
    url: '/nowhere',
    body: { type: 'application/json', text: '{' },
    status: 400,
    code: 'invalidJson',
  },
];

describe('HTTP surfaces', () => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  before(async () => (t = await createTestApp()));
  after(() => t.close());

  for (const c of CASES) {
    test(`${c.name}: ${c.method} ${c.url} is ${c.status} ${c.code}`, async () => {
      const res = await t.app.inject({
        method: c.method,
        url: c.url,
        headers: { 'client-request-id': 'surface-1', ...(c.body && { 'content-type': c.body.type }) },
        ...(c.body && { payload: c.body.text }),
      });
      assert.equal(res.statusCode, c.status, res.body);
      const error = res.json().error;
      assert.equal(error.code, c.code);
      assert.equal(error.innerError['client-request-id'], 'surface-1');
      assert.equal(res.headers['request-id'], error.innerError['request-id']);
      assert.equal(res.headers['allow'], c.status === 405 ? 'GET, HEAD' : undefined);
    });
  }
});
