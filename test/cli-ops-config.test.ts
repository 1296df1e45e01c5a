/** The options of issue 11's operations part: --euii-days, --rate-limit and --throttle are checked before serving. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CliError } from '../src/cli/cli-error.js';
import { optionsFor } from '../src/cli/options.js';
import { serveConfig, type ServeOptions } from '../src/cli/serve-config.js';

const BASE: ServeOptions = {
  db: 'sqlite::memory:',
  host: '127.0.0.1',
  port: '0',
  bodyLimit: '1000',
  logLevel: 'info',
  logFormat: 'json',
};

test('--rate-limit, --throttle and --euii-days become the serve configuration', () => {
  const config = serveConfig({ ...BASE, rateLimit: '100/10s', throttle: 'graph', euiiDays: '28' });
  assert.deepEqual(config.throttle, { graph: true, rateLimit: { limit: 100, windowMs: 10_000 } });
  assert.equal(config.euiiDays, 28);
  const plain = serveConfig({ ...BASE, throttle: 'none' });
  assert.equal(plain.throttle, undefined);
  assert.equal(plain.euiiDays, undefined);
});

test('a wrong value is a one-line CliError naming the option', () => {
  assert.throws(
    () => serveConfig({ ...BASE, rateLimit: '100' }),
    (e) => e instanceof CliError && /--rate-limit/.test(e.message),
  );
  assert.throws(
    () => serveConfig({ ...BASE, throttle: 'azure' }),
    (e) => e instanceof CliError && /--throttle must be one of none, graph/.test(e.message),
  );
  assert.throws(
    () => serveConfig({ ...BASE, euiiDays: '0' }),
    (e) => e instanceof CliError && /--euii-days/.test(e.message),
  );
});

test('each option has its environment variable; purge takes --db and --user', () => {
  const env = (command: Parameters<typeof optionsFor>[0]) =>
    Object.fromEntries(optionsFor(command).map((o) => [o.long, o.envVar]));
  assert.equal(env('serve')['--euii-days'], 'CALLRECORDS_EUII_DAYS');
  assert.equal(env('serve')['--rate-limit'], 'CALLRECORDS_RATE_LIMIT');
  assert.equal(env('serve')['--throttle'], 'CALLRECORDS_THROTTLE');
  assert.equal(env('import')['--euii-days'], 'CALLRECORDS_EUII_DAYS');
  assert.deepEqual(Object.keys(env('purge')).sort(), ['--db', '--lock-timeout', '--user']);
});
