/** `callrecords import` of compressed files and its progress, as a user sees them. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { gunzipIfCompressed } from '../src/ingest/gunzip-source.js';
import { runCli } from './helpers/server-process.js';
import { makeRecord } from './helpers/records.js';

const RECORDS = Array.from({ length: 40 }, (_, i) =>
  makeRecord({ id: `gz-${i}`, start: `2024-04-${String(1 + (i % 28)).padStart(2, '0')}T08:00:00Z`, sessions: 2 }),
);
const NDJSON = RECORDS.map((r) => JSON.stringify(r)).join('\n') + '\n';

describe('callrecords import: gzip and progress', () => {
  let dir: string;
  const file = (name: string) => join(dir, name);
  const db = (name: string) => `sqlite:${file(name)}`;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'callrecords-gzip-'));
    writeFileSync(file('plain.ndjson'), NDJSON);
    writeFileSync(file('records.ndjson.gz'), gzipSync(NDJSON));
    // The same bytes under a name that does not say gzip: the magic bytes do.
    writeFileSync(file('records.export'), gzipSync(NDJSON));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const exported = (name: string) => {
    const res = runCli(['export', '--db', db(name)]);
    assert.equal(res.code, 0, res.stderr);
    return res.stdout;
  };

  test('a .gz file, a gzip file of any name and gzip on stdin import like the plain file', () => {
    assert.equal(runCli(['import', file('plain.ndjson'), '--db', db('plain.db')]).code, 0);
    const expected = exported('plain.db');
    assert.equal(expected.split('\n').length - 1, RECORDS.length);
    for (const name of ['records.ndjson.gz', 'records.export']) {
      const res = runCli(['import', file(name), '--db', db(`${name}.db`)]);
      assert.equal(res.code, 0, res.stderr);
      assert.match(res.stdout, /: 40 records in .*\n {2}inserted 40, updated 0/);
      assert.equal(exported(`${name}.db`), expected, name);
    }
    const piped = runCli(['import', '-', '--db', db('stdin.db')], {
      input: readFileSync(file('records.ndjson.gz')) as unknown as string,
    });
    assert.equal(piped.code, 0, piped.stderr);
    assert.equal(exported('stdin.db'), expected);
  });

  test('a damaged gzip file is a clear error, not a stack', () => {
    const gz = gzipSync(NDJSON);
    writeFileSync(file('cut.gz'), gz.subarray(0, gz.length >> 1));
    const res = runCli(['import', file('cut.gz'), '--db', db('cut.db')]);
    assert.notEqual(res.code, 0);
    assert.equal(res.code, 1);
    assert.match(res.stderr, /^callrecords: .*cut\.gz: the gzip data is damaged: unexpected end of file\n$/);
  });

  test('gunzipIfCompressed streams: a magic split over two chunks, and plain bytes pass unchanged', async () => {
    async function collect(chunks: Buffer[]): Promise<string> {
      const parts: Buffer[] = [];
      const source = (async function* () {
        yield* chunks;
      })();
      for await (const part of gunzipIfCompressed(source)) parts.push(part);
      return Buffer.concat(parts).toString();
    }
    const gz = gzipSync('{"a":1}\n');
    assert.equal(await collect([gz.subarray(0, 1), gz.subarray(1, 5), gz.subarray(5)]), '{"a":1}\n');
    assert.equal(await collect([Buffer.from('{'), Buffer.from('"b":2}')]), '{"b":2}');
    assert.equal(await collect([]), '');
  });

  test('--progress shows records and MB, of the file or read from stdin; --no-progress and a pipe show none', () => {
    const size = (readFileSync(file('records.ndjson.gz')).length / 1e6).toFixed(1);
    const fromFile = runCli(['import', file('records.ndjson.gz'), '--db', db('p1.db'), '--progress']);
    assert.equal(fromFile.code, 0, fromFile.stderr);
    assert.match(
      fromFile.stderr,
      new RegExp(`100% \\| ${size.replace('.', '\\.')} of ${size.replace('.', '\\.')} MB \\| 40 records`),
    );
    const fromStdin = runCli(['import', '-', '--db', db('p2.db')], {
      input: NDJSON,
      env: { CALLRECORDS_PROGRESS: '1' },
    });
    assert.equal(fromStdin.code, 0, fromStdin.stderr);
    const mb = (Buffer.byteLength(NDJSON) / 1e6).toFixed(1);
    assert.match(fromStdin.stderr, new RegExp(`${mb.replace('.', '\\.')} MB read \\| 40 records`));
    for (const args of [[], ['--no-progress']]) {
      const quiet = runCli(['import', file('plain.ndjson'), '--db', db(`q${args.length}.db`), ...args]);
      assert.equal(quiet.code, 0);
      assert.equal(quiet.stderr, '', 'stderr is not a terminal: nothing but rejections');
    }
  });
});
