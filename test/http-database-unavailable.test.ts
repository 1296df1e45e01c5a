/**
 * A database that stops answering while the server runs is a 503 `serviceNotAvailable` with `Retry-After`, which
 * Graph clients retry, not a 500; and the server answers again once the database is back, without a restart.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { once } from 'node:events';
import pg from 'pg';
import { RETRY_AFTER_SECONDS } from '../src/http/error-response.js';
import { isDatabaseUnavailable } from '../src/storage/unavailable.js';
import { openSqliteDatabase } from '../src/storage/sqlite/sqlite-database.js';
import { openDatabase } from '../src/storage/open-database.js';
import { AppError } from '../src/errors.js';
import { POSTGRES_ENABLED, POSTGRES_URL, testSchema } from './helpers/postgres.js';
import { createTestApp } from './helpers/test-app.js';
import { makeRecord } from './helpers/records.js';

/** A TCP relay to the PostgreSQL server that can be cut (connections dropped, port closed) and brought back. */
class CuttableRelay {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async open(): Promise<void> {
    if (this.server !== undefined) return;
    const server = createServer((client) => {
      const upstream = new (client.constructor as typeof Socket)();
      upstream.connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('error', () => s.destroy()).on('close', () => this.sockets.delete(s));
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    server.listen(this.port, '127.0.0.1');
    await once(server, 'listening');
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }

  /** Drops every relayed connection and stops listening: the server is gone, as far as the store can tell. */
  async cut(): Promise<void> {
    const closed = new Promise((resolve) => this.server?.close(resolve));
    for (const s of this.sockets) s.destroy();
    await closed;
    this.server = undefined;
  }
}

const unavailable = (res: { statusCode: number; headers: Record<string, unknown>; body: string }, what: string) => {
  assert.equal(res.statusCode, 503, `${what}: ${res.body}`);
  assert.equal(res.headers['retry-after'], String(RETRY_AFTER_SECONDS), what);
  const error = (JSON.parse(res.body) as { error: { code: string; message: string } }).error;
  assert.equal(error.code, 'serviceNotAvailable', what);
  assert.equal(error.message, 'The database is not available.', what);
  // The driver's message names the address: it goes to the log, never to the caller.
  assert.doesNotMatch(res.body, /127\.0\.0\.1|ECONNREFUSED|terminated|postgres/i, what);
};

describe('PostgreSQL unreachable mid-run', { skip: !POSTGRES_ENABLED && 'PostgreSQL is not reachable' }, () => {
  const server = new URL(POSTGRES_URL);
  const relay = new CuttableRelay({ host: server.hostname, port: Number(server.port || 5432) });
  const schema = testSchema('unreachable');
  let t: Awaited<ReturnType<typeof createTestApp>>;

  before(async () => {
    await relay.open();
    const url = new URL(schema.url);
    url.hostname = '127.0.0.1';
    url.port = String(relay.port);
    t = await createTestApp({ db: await openDatabase(url.toString()) });
  });
  after(async () => {
    await relay.open(); // back on the same port, so the pool can close cleanly
    await t.close();
    await relay.cut();
    await schema.drop();
  });

  test('Graph and archive requests answer 503 with Retry-After, and 200 again once it is back', async () => {
    const ingest = (id: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/callRecords',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify(makeRecord({ id })),
      });
    assert.equal((await ingest('r1')).statusCode, 200);
    const get = () => t.app.inject({ method: 'GET', url: '/v1.0/communications/callRecords/r1' });
    assert.equal((await get()).statusCode, 200);

    await relay.cut();
    unavailable(await get(), 'get a record');
    unavailable(await t.app.inject({ method: 'GET', url: '/beta/communications/callRecords' }), 'list records');
    unavailable(
      await t.app.inject({ method: 'GET', url: '/v1.0/communications/callRecords/r1/sessions/$count' }),
      'count sessions',
    );
    unavailable(await t.app.inject({ method: 'GET', url: '/api/callRecords/r1/versions' }), 'history');
    unavailable(await t.app.inject({ method: 'GET', url: '/api/callRecords?partial=true' }), 'partial records');
    unavailable(await t.app.inject({ method: 'GET', url: '/api/health' }), 'health');
    unavailable(await ingest('r2'), 'ingest');

    await relay.open();
    assert.equal((await get()).statusCode, 200, 'the same app answers again');
    assert.equal((await ingest('r2')).statusCode, 200);
  });
});

describe('which driver errors mean the database is unreachable', () => {
  /** Runs `fail` and returns what it threw. */
  const thrown = async (fail: () => unknown): Promise<unknown> => {
    try {
      await fail();
    } catch (error) {
      return error;
    }
    throw new Error('expected a failure');
  };

  test('a connection refused, and SQLite that cannot open its file, are; a refused statement is not', async () => {
    const closed = createServer().listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    const refused = await thrown(() =>
      new pg.Client({ connectionString: `postgres://u@127.0.0.1:${port}/x` }).connect(),
    );
    assert.equal(isDatabaseUnavailable(refused), true, String(refused));
    const cantOpen = await thrown(() => openSqliteDatabase('/'));
    assert.equal(isDatabaseUnavailable(cantOpen), true, String(cantOpen));

    assert.equal(isDatabaseUnavailable(new AppError('NotFound', 'no such record')), false);
    assert.equal(isDatabaseUnavailable(new Error('undefined is not a function')), false);
  });

  test(
    'a PostgreSQL connection terminated by the server is; a syntax error is not',
    {
      skip: !POSTGRES_ENABLED && 'PostgreSQL is not reachable',
    },
    async () => {
      const victim = new pg.Client({ connectionString: POSTGRES_URL });
      const killer = new pg.Client({ connectionString: POSTGRES_URL });
      await Promise.all([victim.connect(), killer.connect()]);
      victim.on('error', () => undefined);
      try {
        const pid = (await victim.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
        const sleeping = thrown(() => victim.query('select pg_sleep(30)'));
        // Terminate once the sleep is running, so the error is the one a request in flight would meet.
        for (;;) {
          const { rows } = await killer.query('select 1 from pg_stat_activity where pid = $1 and state = $2', [
            pid,
            'active',
          ]);
          if (rows.length > 0) break;
        }
        await killer.query('select pg_terminate_backend($1)', [pid]);
        const terminated = await sleeping;
        assert.equal(isDatabaseUnavailable(terminated), true, String(terminated));
        const afterwards = await thrown(() => victim.query('select 1'));
        assert.equal(isDatabaseUnavailable(afterwards), true, String(afterwards));
        assert.equal(isDatabaseUnavailable(await thrown(() => killer.query('selec 1'))), false);
      } finally {
        await killer.end();
      }
    },
  );
});
