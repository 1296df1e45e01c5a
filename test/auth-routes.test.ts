/**
 * Every route of the Graph and /api surfaces is protected as the route table says (src/auth/route-roles.ts): the
 * test iterates over the routes the app registered, so a route added without a declared access fails here, and each
 * route refuses every bad credential with 401, a caller without its role with 403, and serves one with it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ROUTE_ACCESS, routeAccess } from '../src/auth/route-roles.js';
import type { Role } from '../src/auth/roles.js';
import { registeredRoutes } from '../src/http/route-list.js';
import { AUDIENCE, bearer, OTHER_TENANT, startAuthFixture, TENANT, type AuthFixture } from './helpers/auth-fixture.js';
import { BACKENDS } from './helpers/databases.js';
import { makeRecord } from './helpers/records.js';
import { issuerKey, unsignedToken } from './helpers/test-issuer.js';

const SURFACES = /^\/(v1\.0|beta|api)(\/|$)/;
const RECORD_ID = 'route-rec-1';

/** A concrete URL for a route pattern (the one list of /api takes only partial records). */
function urlOf(pattern: string): string {
  if (pattern === '/api/callRecords') return '/api/callRecords?partial=true';
  return pattern
    .replace(':id', RECORD_ID)
    .replace(':version', '1')
    .replace('*', `communications/callRecords/${RECORD_ID}`);
}

/** The Graph error code of an error body. */
function codeOf(body: string): string {
  return (JSON.parse(body) as { error: { code: string } }).error.code;
}

/** A role that does not give access to `role`. */
function otherRole(role: Role): Role {
  return role === 'CallRecords.Read.All' ? 'CallRecords.Ingest' : 'CallRecords.Read.All';
}

for (const backend of BACKENDS) {
  describe(`every route is protected: ${backend.name}`, () => {
    let f: AuthFixture;
    let routes: { method: string; url: string }[];
    before(async () => {
      f = await startAuthFixture(backend);
      routes = registeredRoutes(f.app).filter((r) => SURFACES.test(r.url) && r.method !== 'OPTIONS');
      const ingested = await f.app.inject({
        method: 'POST',
        url: '/api/callRecords',
        headers: { ...bearer(await f.key('CallRecords.Ingest')), 'content-type': 'application/json' },
        payload: JSON.stringify(makeRecord({ id: RECORD_ID })),
      });
      assert.equal(ingested.statusCode, 200, ingested.body);
    });
    after(() => f.close());

    const call = (route: { method: string; url: string }, headers: Record<string, string>) =>
      f.app.inject({
        method: route.method as 'GET',
        url: urlOf(route.url),
        headers: route.method === 'POST' ? { ...headers, 'content-type': 'application/json' } : headers,
        ...(route.method === 'POST' ? { payload: JSON.stringify(makeRecord({ id: RECORD_ID })) } : {}),
      });

    test('the app registers the Graph and /api routes, and every one has a declared access', () => {
      assert.ok(routes.length >= 10, JSON.stringify(routes));
      const undeclared = routes
        .map((r) => `${r.method === 'HEAD' ? 'GET' : r.method} ${r.url}`)
        .filter((key) => ROUTE_ACCESS[key] === undefined);
      assert.deepEqual(undeclared, [], 'declare these routes in src/auth/route-roles.ts');
    });

    test('every protected route refuses each bad credential with 401 and WWW-Authenticate', async () => {
      const now = Math.floor(f.clock.now().getTime() / 1000);
      const revoked = await f.key('CallRecords.Admin');
      await f.db.keys.revokeKey(revoked.split('_')[1]!, f.clock.now().toISOString());
      const admin = ['CallRecords.Admin'];
      const bad: [string, Record<string, string>][] = [
        ['no token', {}],
        ['malformed', bearer('malformed.token')],
        ['wrong signature', bearer(await f.token(admin, { key: await issuerKey('key-a') }))],
        [
          'alg none',
          bearer(
            unsignedToken(
              { iss: f.issuer.issuerOf(TENANT), aud: AUDIENCE, tid: TENANT, roles: admin, exp: now + 600 },
              'key-a',
            ),
          ),
        ],
        ['expired', bearer(await f.token(admin, { expiresIn: -3600 }))],
        ['not yet valid', bearer(await f.token(admin, { notBefore: 3600 }))],
        ['wrong audience', bearer(await f.token(admin, { claims: { aud: 'api://other' } }))],
        ['wrong issuer', bearer(await f.token(admin, { claims: { iss: 'https://issuer.example/' } }))],
        [
          'wrong tenant',
          bearer(await f.token(admin, { claims: { tid: OTHER_TENANT, iss: f.issuer.issuerOf(OTHER_TENANT) } })),
        ],
        ['unknown kid', bearer(await f.token(admin, { kid: 'gone' }))],
        ['unknown API key', bearer(`cr_0123456789abcdef_${'A'.repeat(43)}`)],
        ['revoked API key', bearer(revoked)],
      ];
      let checked = 0;
      for (const route of routes) {
        if (routeAccess(route.method, route.url) === 'open') continue;
        for (const [why, headers] of bad) {
          const res = await call(route, headers);
          assert.equal(res.statusCode, 401, `${route.method} ${route.url}, ${why}: ${res.body}`);
          assert.ok(res.headers['www-authenticate'], `${route.method} ${route.url}, ${why}`);
          if (route.method !== 'HEAD') assert.equal(codeOf(res.body), 'InvalidAuthenticationToken');
          checked++;
        }
      }
      assert.ok(checked >= 9 * bad.length);
    });

    test('every protected route answers 403 without its role and serves a caller with it', async () => {
      for (const route of routes) {
        const access = routeAccess(route.method, route.url);
        if (access === 'open' || access === 'authenticated') continue;
        const where = `${route.method} ${route.url}`;
        for (const credential of [await f.token([otherRole(access)]), await f.key(otherRole(access))]) {
          const res = await call(route, bearer(credential));
          assert.equal(res.statusCode, 403, `${where} without ${access}: ${res.body}`);
          if (route.method !== 'HEAD') assert.equal(codeOf(res.body), 'Authorization_RequestDenied');
        }
        for (const credential of [await f.token([access]), await f.key(access), await f.key('CallRecords.Admin')]) {
          // Past authentication the route itself answers: a sample body of another route may be a 400, never 401/403.
          const res = await call(route, bearer(credential));
          assert.ok(![401, 403].includes(res.statusCode), `${where} with ${access}: ${res.statusCode} ${res.body}`);
        }
      }
    });

    test('open routes need nothing; an unrouted path or a Graph write needs a valid identity first', async () => {
      for (const url of ['/v1.0/$metadata', '/beta/$metadata']) {
        assert.equal((await f.app.inject({ url })).statusCode, 200, url);
        assert.equal((await f.app.inject({ url, headers: bearer('garbage') })).statusCode, 200, url);
      }
      const reader = bearer(await f.key('CallRecords.Read.All'));
      for (const [method, url, known] of [
        ['GET', '/api/nothing-here', 404],
        ['POST', '/v1.0/communications/callRecords', 405],
        ['DELETE', `/beta/communications/callRecords/${RECORD_ID}`, 405],
      ] as const) {
        assert.equal((await f.app.inject({ method, url })).statusCode, 401, `${method} ${url} anonymous`);
        assert.equal((await f.app.inject({ method, url, headers: reader })).statusCode, known, `${method} ${url}`);
      }
    });
  });
}
