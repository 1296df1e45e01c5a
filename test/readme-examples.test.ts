/**
 * The README's shell examples, run as written against a real server on a temporary database, so that they stay true:
 * the quick start's try-it block and every `sh` block of "Using it". Only the address changes (the server listens on
 * a free port), `npx callrecords` runs this checkout's bin, and curl fails on an HTTP error.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, startServer, type ServerProcess } from './helpers/server-process.js';
import { createSelfSignedCert } from './helpers/tls.js';

const README = readFileSync(join(import.meta.dirname, '../README.md'), 'utf8');
const README_ADDRESS = 'http://127.0.0.1:8080';

/** The text of the README section `## title`, up to the next section. */
function section(title: string): string {
  const start = README.indexOf(`\n## ${title}\n`);
  assert.ok(start >= 0, `the README has a section '${title}'`);
  const end = README.indexOf('\n## ', start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}

/** The command lines of the fenced `sh` blocks of a text (comments and blank lines left out). */
function shBlocks(text: string): string[][] {
  return [...text.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) =>
    m[1]!.split('\n').filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#')),
  );
}

const QUICK_START_TRY = shBlocks(section('Quick start')).filter((block) => block.some((l) => l.includes('curl')));
const USING_IT = shBlocks(section('Using it'));

describe('README examples', () => {
  let dir: string;
  let server: ServerProcess;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'callrecords-readme-'));
    mkdirSync(join(dir, 'data'));
    const db = `sqlite:${join(dir, 'data', 'callrecords.db')}`;
    // What `npm start` runs, on a database of the test's own; the commands below share it, as the README says.
    // Loading the demo takes seconds on an idle machine, a minute on a busy one.
    server = await startServer(['--demo', '--db', db], {}, { startTimeoutMs: 180_000 });
    env = { ...process.env, CALLRECORDS_DB: db };
  });
  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs one README command line in bash, in the test's folder, and returns what it printed. */
  function run(line: string): string {
    const command = line
      .replaceAll(README_ADDRESS, server.url)
      .replaceAll('npx callrecords ', `node ${JSON.stringify(BIN)} `)
      .replace(/(^|\|\s*)curl /g, '$1curl -sS --fail-with-body ');
    const res = spawnSync('bash', ['-c', `set -euo pipefail; ${command}`], {
      cwd: dir,
      env,
      encoding: 'utf8',
      maxBuffer: 256 << 20,
    });
    assert.equal(res.status, 0, `${line}\n${res.stderr}\n${res.stdout.slice(0, 2000)}`);
    return res.stdout;
  }

  test('the quick start has a try-it block of curl commands, and Using it has shell blocks', () => {
    assert.equal(QUICK_START_TRY.length, 1);
    assert.ok(QUICK_START_TRY[0]!.every((line) => line.startsWith('curl ')));
    assert.ok(USING_IT.length >= 2);
  });

  test('the quick start try-it commands answer from the demo', () => {
    for (const line of QUICK_START_TRY[0]!) {
      const body = JSON.parse(run(line)) as { value?: unknown[]; id?: string };
      assert.ok(body.id !== undefined || (body.value?.length ?? 0) > 0, `${line}: something found`);
    }
  });

  test('Using it: every command runs as written, in order', async () => {
    for (const block of USING_IT) {
      for (const line of block) {
        if (/^npx callrecords serve /.test(line)) {
          await serveLine(line);
          continue;
        }
        const out = run(line);
        if (line.startsWith('curl') || line.includes('| curl')) assert.notEqual(out, '', `${line}: an answer`);
        const written = /(?:--out |> )(\S+)/.exec(line)?.[1];
        if (written !== undefined) assert.ok(statSync(join(dir, written)).size > 0, `${line}: wrote ${written}`);
      }
    }
  });

  /** A `serve` example: started on a free local port with the README's other options, then stopped. */
  async function serveLine(line: string): Promise<void> {
    createSelfSignedCert(dir);
    const args = line
      .replace(/^npx callrecords serve /, '')
      .split(/\s+/)
      .map((arg) =>
        arg.endsWith('.pem') ? join(dir, arg) : arg === '0.0.0.0' ? '127.0.0.1' : arg === '443' ? '0' : arg,
      );
    const tls = await startServer([...args, '--db', `sqlite:${join(dir, 'tls.db')}`]);
    try {
      assert.match(tls.url, /^https:\/\//, line);
    } finally {
      await tls.stop();
    }
  }
});
