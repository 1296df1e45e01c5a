/**
 * The command line of issue 11: `serve` refuses a reachable address without `--auth`; `keys create/list/revoke` on a
 * database a running `serve --auth keys` uses, whose next request after a revocation fails.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, startServer, type ServerProcess } from './helpers/server-process.js';

describe('serve: secure by default', () => {
  test('a non-loopback host without --auth exits 2 and says how to choose', () => {
    for (const host of ['0.0.0.0', '::', '192.0.2.10']) {
      const res = runCli(['serve', '--host', host, '--db', 'sqlite::memory:']);
      assert.equal(res.code, 2, `${host}: ${res.stderr}`);
      assert.match(res.stderr, /^callrecords: refusing to serve on \S+ without authentication: [^\n]+\n$/);
      assert.match(res.stderr, /--auth entra, --auth keys or --auth entra,keys .*--auth none/);
    }
  });

  test('--auth takes only its modes, and entra needs its audience and tenant', () => {
    const bad = [
      [['--auth', 'password'], /--auth must be entra, keys, entra,keys or none, not 'password'/],
      [['--auth', 'none,keys'], /--auth must be/],
      [['--auth', 'entra'], /--auth entra needs --auth-audience and --auth-tenant-id/],
      [
        ['--auth', 'entra', '--auth-audience', 'api://x', '--auth-tenant-id', 't', '--auth-authority-host', 'http://a'],
        /--auth-authority-host must be an https:\/\/ URL/,
      ],
    ] as const;
    for (const [args, message] of bad) {
      const res = runCli(['serve', '--host', '0.0.0.0', '--db', 'sqlite::memory:', ...args]);
      assert.equal(res.code, 2, res.stderr);
      assert.match(res.stderr, message);
    }
  });
});

describe('keys on a running server', () => {
  let dir: string;
  let db: string;
  let server: ServerProcess;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'callrecords-keys-'));
    db = `sqlite:${join(dir, 'keys.db')}`;
    server = await startServer(['--db', db, '--auth', 'keys', '--log-level', 'info']);
  });
  after(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const list = (key?: string) =>
    fetch(`${server.url}/v1.0/communications/callRecords`, {
      headers: key === undefined ? {} : { authorization: `Bearer ${key}` },
    });

  test('create prints the key once; it reads; list shows it without the secret; revoke stops it', async () => {
    const created = runCli([
      'keys',
      'create',
      '--role',
      'CallRecords.Read.All',
      '--name',
      'dashboard',
      '--db',
      db,
      '--expires',
      '30',
    ]);
    assert.equal(created.code, 0, created.stderr);
    const key = created.stdout.trim();
    assert.match(key, /^cr_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    const id = key.split('_')[1]!;
    assert.match(created.stderr, new RegExp(`created key ${id} \\(CallRecords.Read.All, expires \\d{4}-`));

    assert.equal((await list()).status, 401);
    assert.equal((await list(key)).status, 200);

    const listed = runCli(['keys', 'list', '--db', db]);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, new RegExp(`^${id}\\tCallRecords.Read.All\\tactive\\t.+\\tdashboard$`, 'm'));
    assert.ok(!listed.stdout.includes(key.slice(20)));

    const revoked = runCli(['keys', 'revoke', id, '--db', db]);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.equal((await list(key)).status, 401);
    assert.match(runCli(['keys', 'list', '--db', db]).stdout, new RegExp(`^${id}\\t\\S+\\trevoked\\t`, 'm'));
    assert.equal(runCli(['keys', 'revoke', id, '--db', db]).code, 1);
  });

  test('create refuses an unknown role and an expiry in the past', () => {
    const role = runCli(['keys', 'create', '--role', 'Root', '--db', db]);
    assert.equal(role.code, 2);
    assert.match(role.stderr, /--role must be one of CallRecords.Read.All, CallRecords.Ingest, CallRecords.Admin/);
    const past = runCli(['keys', 'create', '--role', 'CallRecords.Admin', '--expires', '2020-01-01', '--db', db]);
    assert.equal(past.code, 2);
    assert.match(past.stderr, /--expires '2020-01-01' is not in the future/);
  });
});
