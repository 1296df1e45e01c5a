/**
 * Entra ID tokens (issue 11): a test issuer on 127.0.0.1 over HTTPS publishes the keys; every way a token can be
 * wrong is a 401 in Graph's shape with `WWW-Authenticate`, a token without the role a 403, and a key rotation is
 * followed (a new key accepted, a removed one refused).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SignJWT } from 'jose';
import { EntraVerifier } from '../src/auth/entra-verifier.js';
import { httpsJsonFetch } from '../src/auth/json-fetch.js';
import { JWKS_REFRESH_COOLDOWN_MS } from '../src/auth/jwks-cache.js';
import { AppError } from '../src/errors.js';
import { AUDIENCE, bearer, OTHER_TENANT, startAuthFixture, TENANT, type AuthFixture } from './helpers/auth-fixture.js';
import { issuerKey, unsignedToken } from './helpers/test-issuer.js';
import { ingest } from './helpers/test-app.js';
import { makeRecord } from './helpers/records.js';

const LIST = '/v1.0/communications/callRecords';
const READ = ['CallRecords.Read.All'];

describe('Entra ID bearer tokens', () => {
  let f: AuthFixture;
  before(async () => (f = await startAuthFixture()));
  after(() => f.close());

  const get = (headers: Record<string, string> = {}, url = LIST) => f.app.inject({ method: 'GET', url, headers });

  /** Asserts a 401 in Graph's shape, with the challenge, and returns its message. */
  const refused = async (headers: Record<string, string>, why: string): Promise<string> => {
    const res = await get(headers);
    assert.equal(res.statusCode, 401, `${why}: ${res.body}`);
    assert.match(String(res.headers['www-authenticate']), /^Bearer realm="callrecords", authorization_uri="https:/);
    const body = res.json() as { error: { code: string; message: string; innerError: Record<string, string> } };
    assert.equal(body.error.code, 'InvalidAuthenticationToken', why);
    assert.equal(body.error.innerError['request-id'], res.headers['request-id']);
    return body.error.message;
  };

  test('a valid token with the read role reads the Graph list', async () => {
    const res = await get(bearer(await f.token(READ)));
    assert.equal(res.statusCode, 200, res.body);
    assert.ok(Array.isArray((res.json() as { value: unknown[] }).value));
  });

  test('no token, a malformed one and every forged or misdirected token are 401, saying no more than Graph', async () => {
    assert.equal(await refused({}, 'no header'), 'Access token is empty.');
    assert.equal(await refused({ authorization: 'Basic dXNlcjpwYXNz' }, 'basic'), 'Access token is empty.');
    const other = await issuerKey('key-a'); // the same kid, another key: the signature cannot verify
    const payload = { iss: f.issuer.issuerOf(TENANT), aud: AUDIENCE, tid: TENANT, roles: READ };
    const invalid: [string, string][] = [
      ['malformed', 'not-a-jwt'],
      ['three parts of garbage', 'a.b.c'],
      ['wrong signature', await f.token(READ, { key: other })],
      ['alg none', unsignedToken({ ...payload, exp: Math.floor(f.clock.now().getTime() / 1000) + 3600 }, 'key-a')],
      ['wrong audience', await f.token(READ, { claims: { aud: 'api://someone-else' } })],
      ['wrong issuer', await f.token(READ, { claims: { iss: 'https://sts.windows.net/evil/' } })],
      ['issuer of another tenant', await f.token(READ, { claims: { iss: f.issuer.issuerOf(OTHER_TENANT) } })],
      ['wrong tenant', await f.token(READ, { claims: { tid: OTHER_TENANT, iss: f.issuer.issuerOf(OTHER_TENANT) } })],
      ['no tenant', await f.token(READ, { claims: { tid: undefined } })],
      ['unknown kid', await f.token(READ, { kid: 'no-such-key' })],
    ];
    const messages = new Set<string>();
    for (const [why, token] of invalid) messages.add(await refused(bearer(token), why));
    assert.deepEqual([...messages], ['Access token validation failure.']);
  });

  test('an expired token and one not yet valid are 401, beyond the clock skew', async () => {
    const expired = await f.token(READ, { expiresIn: -120 });
    const early = await f.token(READ, { notBefore: 600 });
    assert.equal(await refused(bearer(expired), 'expired'), 'Access token has expired or is not yet valid.');
    assert.equal(await refused(bearer(early), 'not yet valid'), 'Access token has expired or is not yet valid.');
    // Within the 60 s skew both are still accepted.
    assert.equal((await get(bearer(await f.token(READ, { expiresIn: -30 })))).statusCode, 200);
    assert.equal((await get(bearer(await f.token(READ, { notBefore: 30 })))).statusCode, 200);
  });

  test('a cached token stops working when it expires', async () => {
    const token = await f.token(READ, { expiresIn: 600 });
    assert.equal((await get(bearer(token))).statusCode, 200);
    await f.clock.advance(11 * 60 * 1000);
    await refused(bearer(token), 'expired after caching');
  });

  test('a v1.0 issuer of the tenant is accepted as well', async () => {
    const res = await get(bearer(await f.token(READ, { claims: { iss: `https://sts.windows.net/${TENANT}/` } })));
    assert.equal(res.statusCode, 200, res.body);
  });

  test('a valid token without the role is 403 Authorization_RequestDenied', async () => {
    for (const roles of [[], ['CallRecords.Ingest'], ['callrecords.read.all']]) {
      const res = await get(bearer(await f.token(roles)));
      assert.equal(res.statusCode, 403, JSON.stringify(roles));
      const body = res.json() as { error: { code: string; message: string } };
      assert.equal(body.error.code, 'Authorization_RequestDenied');
      assert.equal(body.error.message, 'Insufficient privileges to complete the operation.');
      assert.equal(res.headers['www-authenticate'], undefined);
    }
    const write = await f.app.inject({
      method: 'POST',
      url: '/api/callRecords',
      headers: { ...bearer(await f.token(READ)), 'content-type': 'application/json' },
      payload: JSON.stringify(makeRecord({ id: 'entra-rec-1' })),
    });
    assert.equal(write.statusCode, 403, write.body);
  });

  test('the ingest role writes; the record is then read with the read role', async () => {
    const res = await f.app.inject({
      method: 'POST',
      url: '/api/callRecords',
      headers: { ...bearer(await f.token(['CallRecords.Ingest'])), 'content-type': 'application/json' },
      payload: JSON.stringify(makeRecord({ id: 'entra-rec-2' })),
    });
    assert.equal(res.statusCode, 200, res.body);
    const read = await get(bearer(await f.token(READ)), `${LIST}/entra-rec-2`);
    assert.equal(read.statusCode, 200, read.body);
    // Without a token the unauthenticated helper is refused.
    assert.equal((await ingest(f.app, makeRecord({ id: 'entra-rec-3' }))).status, 401);
  });

  test('the keys are fetched once and verified tokens are cached', async () => {
    const before = f.issuer.jwksFetches;
    const token = await f.token(READ);
    for (let i = 0; i < 20; i++) assert.equal((await get(bearer(token))).statusCode, 200);
    assert.equal(f.issuer.jwksFetches, before);
  });

  test('a key rotation: the new key is fetched and accepted, the removed key refused (cached tokens too)', async () => {
    const oldToken = await f.token(READ);
    assert.equal((await get(bearer(oldToken))).statusCode, 200);
    const keyB = await issuerKey('key-b');
    f.issuer.published = [keyB];
    await f.clock.advance(JWKS_REFRESH_COOLDOWN_MS);
    const fetches = f.issuer.jwksFetches;
    const res = await get(bearer(await f.token(READ, { key: keyB })));
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(f.issuer.jwksFetches, fetches + 1, 'the unknown kid made the keys be fetched again');
    await refused(bearer(oldToken), 'a cached token of the removed key');
    await refused(bearer(await f.token(READ)), 'a new token of the removed key');
    // Unknown kids within the cooldown do not make the server fetch again.
    for (let i = 0; i < 5; i++) await refused(bearer(await f.token(READ, { kid: `random-${i}` })), 'random kid');
    assert.equal(f.issuer.jwksFetches, fetches + 1);
    // HMAC, keyed with anything a forger knows, is refused whatever the kid.
    const now = Math.floor(f.clock.now().getTime() / 1000);
    const hs = await new SignJWT({ iss: f.issuer.issuerOf(TENANT), aud: AUDIENCE, tid: TENANT, roles: READ })
      .setProtectedHeader({ alg: 'HS256', kid: 'key-b' })
      .setExpirationTime(now + 3600)
      .sign(new TextEncoder().encode(JSON.stringify(keyB.jwk)));
    await refused(bearer(hs), 'HS256');
  });

  test('an issuer that cannot be reached is a 503 to retry, not a 401; once it answers, tokens verify', async () => {
    let down = true;
    const fetchJson = httpsJsonFetch({ ca: f.issuer.ca });
    const verifier = new EntraVerifier(
      { authorityHost: f.issuer.host, tenants: [TENANT], audiences: [AUDIENCE] },
      (url) => (down ? Promise.reject(new Error('connect ECONNREFUSED')) : fetchJson(url)),
      f.clock,
    );
    const token = await f.token(READ, { key: f.issuer.published[0]! });
    await assert.rejects(
      verifier.verify(token),
      (e: unknown) => e instanceof AppError && e.code === 'serviceNotAvailable',
    );
    down = false;
    await f.clock.advance(JWKS_REFRESH_COOLDOWN_MS);
    assert.deepEqual((await verifier.verify(token)).roles, READ);
  });
});
