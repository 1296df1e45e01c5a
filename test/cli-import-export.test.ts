/** `callrecords import` and `callrecords export` as a user runs them: real processes, real files. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './helpers/server-process.js';
import { BACKENDS, DatabaseList } from './helpers/databases.js';
import { cutShortCopy, listPageCopy, makeRecord } from './helpers/records.js';

const run = (args: string[], input?: string) => runCli(args, { input });

for (const backend of BACKENDS) {
  describe(`callrecords import / export (${backend.name})`, () => {
    let dir: string;
    const databases = new DatabaseList(backend);
    const urls = new Map<string, string>();
    /** The `--db` URL of the test database called `name`, created on first use. */
    const db = (name: string) => {
      if (!urls.has(name)) urls.set(name, databases.create(`cli_${name}`).url);
      return urls.get(name)!;
    };
    before(() => (dir = mkdtempSync(join(tmpdir(), 'callrecords-cli-'))));
    after(() => databases.dropAll());
    after(() => rmSync(dir, { recursive: true, force: true }));

    const good = [1, 2, 3].map((i) => makeRecord({ id: `cli-${i}`, start: `2024-0${i}-15T10:00:00Z`, sessions: i }));
    const invalid = makeRecord({ id: 'cli-bad' });
    invalid.sessions[0].segments[0].media[0].streams[0].averageJitter = 'soon';
    const lines = [
      JSON.stringify(good[0]),
      '',
      JSON.stringify(good[1]),
      '{"id": "cut-off", "vers',
      JSON.stringify(invalid),
      JSON.stringify(good[2]),
    ];

    test('imports NDJSON, reports each rejected record with its line, exits 1', () => {
      writeFileSync(join(dir, 'records.ndjson'), lines.join('\n') + '\n');
      const res = run(['import', join(dir, 'records.ndjson'), '--db', db('a')]);
      assert.equal(res.code, 1, res.stderr);
      assert.match(res.stdout, /6 records|5 records/);
      assert.match(res.stdout, /inserted 3, updated 0, unchanged 0, stale 0, rejected 2/);
      assert.match(res.stderr, /^line 4: rejected: /m);
      assert.match(
        res.stderr,
        /^line 5 \(id cli-bad\): rejected: sessions\[0\]\.segments\[0\]\.media\[0\]\.streams\[0\]\.averageJitter: not an ISO-8601 duration/m,
      );
      assert.doesNotMatch(res.stderr, /\r|█|░/, 'no progress bar when stderr is not a terminal');
    });

    test('importing the same file twice changes nothing', () => {
      const res = run(['import', join(dir, 'records.ndjson'), '--db', db('a')]);
      assert.match(res.stdout, /inserted 0, updated 0, unchanged 3, stale 0, rejected 2/);
      const exported = run(['export', '--db', db('a')])
        .stdout.trim()
        .split('\n');
      assert.equal(exported.length, 3);
    });

    test('a clean file exits 0', () => {
      writeFileSync(join(dir, 'clean.ndjson'), good.map((r) => JSON.stringify(r)).join('\n'));
      const res = run(['import', join(dir, 'clean.ndjson'), '--db', db('clean')]);
      assert.equal(res.code, 0, res.stderr);
      assert.equal(res.stderr, '');
    });

    test('export → import into an empty database → export gives identical output', () => {
      const first = run(['export', '--db', db('a')]);
      assert.equal(first.code, 0, first.stderr);
      writeFileSync(join(dir, 'export.ndjson'), first.stdout);
      assert.equal(run(['import', join(dir, 'export.ndjson'), '--db', db('b')]).code, 0);
      const second = run(['export', '--db', db('b')]);
      assert.equal(second.stdout, first.stdout);
      assert.deepEqual(
        first.stdout
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l).id),
        ['cli-1', 'cli-2', 'cli-3'],
      );
    });

    test('export --from/--to selects by startDateTime', () => {
      const res = run(['export', '--db', db('a'), '--from', '2024-02-01', '--to', '2024-03-15T10:00:00Z']);
      assert.deepEqual(
        res.stdout
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l).id),
        ['cli-2'],
      );
      const bad = run(['export', '--db', db('a'), '--from', 'last week']);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /--from 'last week' is not a date/);
    });

    test('imports a pretty-printed JSON array, a Graph page and stdin', () => {
      writeFileSync(join(dir, 'array.json'), JSON.stringify(good, null, 2));
      assert.match(run(['import', join(dir, 'array.json'), '--db', db('c')]).stdout, /inserted 3/);
      writeFileSync(
        join(dir, 'page.json'),
        JSON.stringify({ '@odata.context': 'x', value: [makeRecord({ id: 'paged' })] }, null, 2),
      );
      assert.match(run(['import', join(dir, 'page.json'), '--db', db('c')]).stdout, /inserted 1/);
      const piped = run(['import', '-', '--db', db('c')], JSON.stringify(makeRecord({ id: 'piped' })) + '\n');
      assert.match(piped.stdout, /^stdin: 1 records/m);
      assert.match(piped.stdout, /inserted 1/);
    });

    test('a file of several batches (over 4 MiB of text): every record lands, a rejection keeps its line', () => {
      const big = Array.from({ length: 300 }, (_, i) =>
        JSON.stringify(makeRecord({ id: `batch-${i}`, start: '2024-05-01T10:00:00Z', sessions: 40 })),
      );
      big[289] = '{"id": "batch-cut", "vers';
      writeFileSync(join(dir, 'big.ndjson'), big.join('\n') + '\n');
      const res = run(['import', join(dir, 'big.ndjson'), '--db', db('big'), '--no-progress']);
      assert.equal(res.code, 1);
      assert.match(res.stdout, /inserted 299, updated 0, unchanged 0, stale 0, rejected 1/);
      assert.match(res.stderr, /^line 290: rejected: /m);
      const exported = run(['export', '--db', db('big')])
        .stdout.trim()
        .split('\n');
      assert.equal(exported.length, 299);
    });

    test('partial records are counted and named; export keeps the next link, so a re-import knows them', () => {
      const big = makeRecord({ id: 'cli-big', start: '2024-06-01T10:00:00Z', sessions: 283 });
      const listed = makeRecord({ id: 'cli-listed', start: '2024-06-02T10:00:00Z' });
      const file = join(dir, 'partial.ndjson');
      writeFileSync(file, [cutShortCopy(big), listPageCopy(listed)].map((r) => JSON.stringify(r)).join('\n') + '\n');
      const res = run(['import', file, '--db', db('partial')]);
      assert.equal(res.code, 0, res.stderr);
      assert.match(res.stdout, /inserted 2, updated 0, unchanged 0, stale 0, rejected 0, partial 2/);
      assert.match(
        res.stderr,
        /^line 1 \(id cli-big\): partial: 60 of ≥ 61 sessions; follow sessions@odata\.nextLink$/m,
      );
      assert.match(res.stderr, /^line 2 \(id cli-listed\): partial: no sessions \(a list-page copy\)$/m);

      const first = run(['export', '--db', db('partial')]);
      assert.match(first.stdout, /"sessions@odata\.nextLink":"https:\/\/graph\.microsoft\.com\/v1\.0\/communications/);
      writeFileSync(join(dir, 'partial-export.ndjson'), first.stdout);
      const again = run(['import', join(dir, 'partial-export.ndjson'), '--db', db('partial2')]);
      assert.match(again.stdout, /inserted 2, .*, partial 2/);
      assert.equal(run(['export', '--db', db('partial2')]).stdout, first.stdout);

      writeFileSync(file, [big, listed].map((r) => JSON.stringify(r)).join('\n') + '\n');
      const completed = run(['import', file, '--db', db('partial')]);
      assert.match(completed.stdout, /updated 2, unchanged 0, stale 0, rejected 0, partial 0/);
      assert.equal(completed.stderr, '');
    });

    test('a missing file is a clear error, exit 2', () => {
      const res = run(['import', join(dir, 'nope.ndjson'), '--db', db('a')]);
      assert.equal(res.code, 2);
      assert.match(res.stderr, /cannot read .*nope\.ndjson/);
    });
  });
}
