/** `--auth` and its companions as `serve` reads them (src/cli/auth-options.ts): the secure default and the modes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { authConfig, isLoopback } from '../src/cli/auth-options.js';
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
