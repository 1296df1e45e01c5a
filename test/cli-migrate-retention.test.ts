/** `callrecords migrate` and `serve --retain-days` as an operator runs them: real processes, both stores. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BACKENDS } from './helpers/databases.js';
import { makeRecord } from './helpers/records.js';
import { runCli, startServer } from './helpers/server-process.js';

const run = (args: string[]) => runCli(args);

const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString();

for (const backend of BACKENDS) {
  describe(`callrecords migrate / serve --retain-days (${backend.name})`, () => {
    const database = backend.create('retain');
    let dir: string;
    before(() => (dir = mkdtempSync(join(tmpdir(), 'callrecords-retain-data-'))));
    after(async () => {
      rmSync(dir, { recursive: true, force: true });
      await database.drop();
    });

    test('migrate creates the schema once and can run again', () => {
      // migrate refuses a SQLite file that does not exist (a mistyped --db); an empty file is a database to set up.
      if (backend.name === 'sqlite') writeFileSync(database.url.slice('sqlite:'.length), '');
      for (let i = 0; i < 2; i++) {
        const res = run(['migrate', '--db', database.url]);
        assert.equal(res.code, 0, res.stderr);
        assert.match(res.stdout, new RegExp(`the ${backend.name} database is up to date \\(0 records\\)`));
      }
    });

    test('serve --retain-days removes the records that ended too long ago, at start', async () => {
      const records = [
        makeRecord({ id: 'ended-400-days-ago', start: daysAgo(400) }),
        makeRecord({ id: 'ended-100-days-ago', start: daysAgo(100) }),
        makeRecord({ id: 'ended-yesterday', start: daysAgo(1) }),
      ];
      writeFileSync(join(dir, 'r.ndjson'), records.map((r) => JSON.stringify(r)).join('\n') + '\n');
      const imported = run(['import', join(dir, 'r.ndjson'), '--db', database.url, '--no-progress']);
      assert.equal(imported.code, 0, imported.stderr);

      const server = await startServer(['--db', database.url, '--retain-days', '200']);
      try {
        const line = await server.waitForLog((l) => (JSON.parse(l) as { msg: string }).msg === 'retention pass done');
        const pass = JSON.parse(line) as { removed?: number } | undefined;
        assert.equal(pass?.removed, 1, `one record removed; logs: ${server.logs.join('\n')}`);
        const health = (await (await fetch(`${server.url}/api/health`)).json()) as {
          records: number;
          oldestRecord: { id: string };
          newestRecord: { id: string };
        };
        assert.equal(health.records, 2);
        assert.equal(health.oldestRecord.id, 'ended-100-days-ago');
        assert.equal(health.newestRecord.id, 'ended-yesterday');
        const gone = await fetch(`${server.url}/v1.0/communications/callRecords/ended-400-days-ago`);
        assert.equal(gone.status, 404);
      } finally {
        assert.equal(await server.stop(), 0);
      }
    });

    test('--retain-days must be a whole number of at least 1', () => {
      for (const bad of ['0', '-3', 'soon']) {
        const res = run(['serve', '--db', database.url, '--port', '0', '--retain-days', bad]);
        assert.equal(res.code, 2, `--retain-days ${bad}: ${res.stderr}`);
        assert.match(res.stderr, /--retain-days must be/);
      }
    });
  });
}
