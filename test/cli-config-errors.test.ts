/** Configuration mistakes a newcomer makes: each is one clear line on stderr and exit code 2, never a stack. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { BIN, runCli } from './helpers/server-process.js';
import { makeRecord } from './helpers/records.js';
import { prettyLine } from '../src/cli/pretty-log.js';
import { AppError, ConfigError } from '../src/errors.js';
import { openDatabase } from '../src/storage/open-database.js';

describe('callrecords configuration errors', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'callrecords-config-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs the CLI and checks it failed as a configuration error: exit 2, one line on stderr matching `message`. */
  const refuses = (args: string[], message: RegExp, env: NodeJS.ProcessEnv = {}) => {
    const res = runCli(args, { env });
    assert.equal(res.code, 2, `${args.join(' ')}: ${res.stderr}`);
    assert.match(res.stderr, /^callrecords: [^\n]+\n$/, `one line: ${res.stderr}`);
    assert.match(res.stderr, message);
    assert.doesNotMatch(res.stderr, /^\s+at /m, 'no stack trace');
    return res;
  };
  const db = (name: string) => `sqlite:${join(dir, name)}`;

  test('--version prints the version of package.json', () => {
    const { version } = JSON.parse(readFileSync(join(import.meta.dirname, '../package.json'), 'utf8')) as {
      version: string;
    };
    for (const flag of ['--version', '-V']) {
      const res = runCli([flag]);
      assert.equal(res.code, 0);
      assert.equal(res.stdout, `${version}\n`);
    }
  });

  test('an unknown option or a missing value is one line, with a suggestion when there is one', () => {
    refuses(['serve', '--bogus'], /^callrecords: unknown option '--bogus'; see --help\n$/);
    refuses(['serve', '--prot', '80'], /unknown option '--prot' \(Did you mean --port\?\)/);
    refuses(['serve', '--port'], /option '--port <port>' argument missing/);
  });

  test('--log-level and --log-format take only their words, from the flag or the environment', () => {
    refuses(['serve', '--log-level', 'verbose', '--db', db('l.db')], /--log-level must be one of fatal, .*'verbose'/);
    refuses(['serve', '--db', db('l.db')], /--log-level must be one of .* not 'loud'/, {
      CALLRECORDS_LOG_LEVEL: 'loud',
    });
    refuses(
      ['serve', '--log-format', 'xml', '--db', db('l.db')],
      /--log-format must be one of json, pretty, not 'xml'/,
    );
    assert.equal(existsSync(join(dir, 'l.db')), false, 'refused before opening the database');
  });

  test('--public-url must be an absolute http(s) URL', () => {
    for (const url of [
      'archive.example.com',
      'ftp://archive.example.com',
      '/callrecords',
      'https://a.example.com/?x=1',
    ]) {
      refuses(['serve', '--public-url', url, '--db', db('u.db')], /--public-url must be an absolute http\(s\) URL/);
    }
  });

  test('--cors-origin takes origins only', () => {
    for (const origin of ['app.example.com', 'https://app.example.com/', 'https://app.example.com/path']) {
      refuses(['serve', '--cors-origin', origin, '--db', db('c.db')], /--cors-origin: '.*' is not an origin/);
    }
  });

  test('export and migrate refuse a SQLite file that does not exist, instead of creating an empty one', () => {
    for (const command of ['export', 'migrate']) {
      refuses(
        [command, '--db', db('missing.db')],
        /there is no database at .*missing\.db; check --db or CALLRECORDS_DB/,
      );
      refuses([command], /there is no database at .*missing\.db/, { CALLRECORDS_DB: db('missing.db') });
    }
    assert.equal(existsSync(join(dir, 'missing.db')), false);
  });

  test('a --db URL that names no database is a configuration error in every command, not a Graph BadRequest', () => {
    const file = join(dir, 'one.ndjson');
    writeFileSync(file, `${JSON.stringify(makeRecord({ id: 'cfg-1' }))}\n`);
    const cases: [string[], RegExp][] = [
      [
        ['export', '--db', 'mysql://db.internal/calls'],
        /unknown database URL 'mysql:\/\/db\.internal\/calls': expected sqlite:/,
      ],
      [['migrate', '--db', 'sqlite:'], /database URL 'sqlite:' names no file; use sqlite:<path>/],
      [['import', file, '--db', 'postgres://u@127.0.0.1/x?schema=Bad-Name'], /schema 'Bad-Name' must be lower-case/],
      [
        ['serve', '--port', '0', '--db', 'postgres://u@127.0.0.1:5432'],
        /names no database; use postgres:\/\/user@host/,
      ],
      [
        ['serve', '--port', '0', '--db', 'postgres://u:pw@[bad/x'],
        /database URL 'postgres:\/\/u:\*\*\*@\[bad\/x' is not a valid/,
      ],
    ];
    for (const [args, message] of cases) {
      const res = refuses(args, message);
      assert.doesNotMatch(res.stderr, /BadRequest/);
    }
  });

  test('opening a store with such a URL throws a ConfigError, which no HTTP error handler would answer as a 400', async () => {
    for (const url of ['mysql://db.internal/calls', 'sqlite:', 'postgres://u@127.0.0.1/x?schema=Bad-Name']) {
      await assert.rejects(
        openDatabase(url),
        (error) => error instanceof ConfigError && !(error instanceof AppError),
        url,
      );
    }
  });

  test('a certificate or key that is not PEM stops serve with one line, before the database is opened', () => {
    const pem = join(dir, 'not-a.pem');
    writeFileSync(pem, 'not a certificate\n');
    refuses(
      ['serve', '--port', '0', '--db', db('tls.db'), '--tls-cert', pem, '--tls-key', pem],
      /the TLS certificate and key cannot be used: .*PEM/,
    );
    assert.equal(existsSync(join(dir, 'tls.db')), false, 'refused before opening the database');
  });

  test('import of a directory says so', () => {
    mkdirSync(join(dir, 'exports'));
    refuses(['import', join(dir, 'exports'), '--db', db('d.db')], /exports is a directory: give a file/);
  });

  test('~ in --db, import and --out paths is the home directory; ~user is refused', () => {
    const home = join(dir, 'home');
    mkdirSync(home);
    const env = { HOME: home };
    writeFileSync(join(home, 'r.ndjson'), `${JSON.stringify(makeRecord({ id: 'tilde-1' }))}\n`);
    const imported = runCli(['import', '~/r.ndjson', '--db', 'sqlite:~/archive.db'], { env });
    assert.equal(imported.code, 0, imported.stderr);
    assert.ok(existsSync(join(home, 'archive.db')), 'the database is in the home directory');
    const exported = runCli(['export', '--db', 'sqlite:~/archive.db'], { env });
    assert.equal(exported.code, 0, exported.stderr);
    assert.match(exported.stdout, /"id":"tilde-1"/);
    const generated = runCli(['generate', '--calls', '2', '--out', '~/g.ndjson'], { env });
    assert.equal(generated.code, 0, generated.stderr);
    assert.ok(existsSync(join(home, 'g.ndjson')));
    assert.equal(existsSync('~'), false, 'no directory called ~ was made');
    refuses(['export', '--db', 'sqlite:~nobody/archive.db'], /only ~ and ~\/ are expanded; give the full path/, env);
  });
});

describe('--log-format', () => {
  test('pretty: one readable line per entry, request id and status, the stack of an error', () => {
    const line = prettyLine(
      JSON.stringify({
        level: 30,
        time: Date.UTC(2026, 0, 2, 3, 4, 5, 678),
        pid: 1,
        hostname: 'h',
        reqId: '5bc0ae65-74b0-47a7-b0f7-3960c60b84de',
        res: { statusCode: 200 },
        responseTime: 2.94,
        msg: 'request completed',
      }),
    );
    assert.equal(line, '03:04:05.678 INFO  [5bc0ae65] request completed 200 2.9 ms\n');
    const failed = prettyLine(
      JSON.stringify({ level: 50, time: 0, err: { message: 'boom', stack: 'Error: boom\n    at x' }, msg: 'failed' }),
    );
    assert.equal(failed, '00:00:00.000 ERROR failed\n    Error: boom\n        at x\n');
  });

  test('serve --log-format pretty logs lines for people; the default is JSON', async () => {
    for (const [format, expected] of [
      ['pretty', /^\d\d:\d\d:\d\d\.\d{3} INFO {2}Server listening at http:\/\/127\.0\.0\.1:\d+$/],
      ['json', /^\{"level":30,.*"msg":"Server listening at http:\/\/127\.0\.0\.1:\d+"\}$/],
    ] as const) {
      const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--db', 'sqlite::memory:'], {
        env: { ...process.env, CALLRECORDS_LOG_FORMAT: format },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const [first] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
      child.kill('SIGKILL');
      await once(child, 'exit');
      assert.match(first, expected);
    }
  });
});
