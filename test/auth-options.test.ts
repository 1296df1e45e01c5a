/** `--auth` and its companions as `serve` reads them (src/cli/auth-options.ts): the secure default and the modes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { authConfig, dashboardOptions, isLoopback } from '../src/cli/auth-options.js';
import { CliError } from '../src/cli/cli-error.js';

test('only loopback addresses count as loopback', () => {
  for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1']) {
    assert.equal(isLoopback(host), true, host);
  }
  for (const host of ['0.0.0.0', '::', '10.0.0.5', 'example.com', '128.0.0.1', '::ffff:10.0.0.1', '']) {
    assert.equal(isLoopback(host), false, host);
  }
});

test('without --auth: no authentication on loopback, refused elsewhere; --auth none is explicit', () => {
  assert.equal(authConfig({}, '127.0.0.1'), undefined);
  assert.throws(
    () => authConfig({}, '0.0.0.0'),
    (e: unknown) => e instanceof CliError && e.exitCode === 2,
  );
  assert.equal(authConfig({ auth: 'none' }, '0.0.0.0'), undefined);
});

test('the modes: keys alone, entra with its audience and tenants, both', () => {
  assert.deepEqual(authConfig({ auth: 'keys' }, '0.0.0.0'), { keys: true });
  const entra = { authAudience: 'api://a, 1234', authTenantId: 't1,t2', authAuthorityHost: 'https://login.example/' };
  assert.deepEqual(authConfig({ auth: 'entra', ...entra }, '0.0.0.0'), {
    entra: { authorityHost: 'https://login.example', tenants: ['t1', 't2'], audiences: ['api://a', '1234'] },
    keys: false,
  });
  assert.equal(authConfig({ auth: 'keys,entra', ...entra }, '::')?.keys, true);
});

test('the dashboard: off with --no-dashboard; Entra sign-in with --dashboard-client-id, on the first tenant', () => {
  const entraOpts = { auth: 'entra,keys', authAudience: 'api://callrecords,1234', authTenantId: 't1,t2' };
  const auth = authConfig(entraOpts, '0.0.0.0');
  assert.equal(dashboardOptions({ ...entraOpts, dashboard: false, dashboardClientId: 'spa' }, auth), false);
  // Without a client id: API keys only; the dashboard says what Entra sign-in needs.
  assert.deepEqual(dashboardOptions(entraOpts, auth), {});
  assert.deepEqual(dashboardOptions({ ...entraOpts, dashboardClientId: 'spa-app' }, auth), {
    entra: {
      authorizeUrl: 'https://login.microsoftonline.com/t1/oauth2/v2.0/authorize',
      tokenUrl: 'https://login.microsoftonline.com/t1/oauth2/v2.0/token',
      clientId: 'spa-app',
      scopes: ['api://callrecords/.default', 'openid', 'profile'],
    },
  });
  const scoped = dashboardOptions(
    { ...entraOpts, dashboardClientId: 'spa-app', dashboardScopes: 'api://x/Read, openid' },
    auth,
  );
  assert.deepEqual(scoped && scoped.entra?.scopes, ['api://x/Read', 'openid', 'profile']);
});

test('a dashboard client id or scopes nothing would use are refused', () => {
  const usage = (e: unknown) => e instanceof CliError && e.exitCode === 2;
  assert.throws(() => dashboardOptions({ auth: 'keys', dashboardClientId: 'spa' }, { keys: true }), usage);
  assert.throws(() => dashboardOptions({ dashboardClientId: 'spa' }, undefined), usage);
  const entraOpts = { auth: 'entra', authAudience: 'api://a', authTenantId: 't1' };
  const auth = authConfig(entraOpts, '0.0.0.0');
  assert.throws(() => dashboardOptions({ ...entraOpts, dashboardScopes: 'api://a/Read' }, auth), usage);
  assert.throws(
    () => dashboardOptions({ ...entraOpts, dashboardClientId: 'spa', dashboardScopes: ' , ' }, auth),
    usage,
  );
});
