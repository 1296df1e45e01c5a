/**
 * `callrecords export --streams --format csv|parquet` on every backend (docs/analytics.md, "Export"): the documented
 * columns in order, one row per stored stream, `poorReasons` joined with `;`, the date range, and a Parquet file that
 * a different library (hyparquet, not the writer) reads back to the same values.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { STREAM_COLUMNS } from '../src/analytics/stream-columns.js';
import { exportCommand } from '../src/cli/export-command.js';
import { validateCallRecord } from '../src/domain/validate.js';
import { generateRecords } from '../src/generate/index.js';
import { toRecordWrite } from '../src/service/record-fragments.js';
import { openDatabase } from '../src/storage/open-database.js';
import type { StoredStream } from '../src/storage/stream-types.js';
import { parseCsv } from './helpers/csv.js';
import { BACKENDS, DatabaseList } from './helpers/databases.js';

const TENANT = [
  ...generateRecords({ calls: 30, seed: 5, from: new Date('2026-05-01T00:00:00Z'), days: 10, versions: false }),
];

/** Runs `export` in this process and returns what it wrote. */
async function runExport(opts: Record<string, unknown>): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  assert.equal(await exportCommand(opts as never, out), 0);
  return Buffer.concat(chunks);
}

for (const backend of BACKENDS) {
  describe(`export --streams: ${backend.name}`, () => {
    const databases = new DatabaseList(backend);
    let url: string;
    let stored: StoredStream[];
    before(async () => {
      url = databases.create('exportstreams').url;
      const db = await openDatabase(url);
      const writes = TENANT.map((r) => {
        const v = validateCallRecord(structuredClone(r));
        assert.ok(v.ok);
        return toRecordWrite(v.record, v.hasEvolvableMembers);
      });
      await db.records.write(writes, '2026-06-01T00:00:00.000Z');
      stored = await db.streams.readStreams({}, undefined, 100_000);
      await db.close();
    });
    after(() => databases.dropAll());

    test('CSV: the documented header, then one line per stream in call order, reasons joined with ;', async () => {
      const [header, ...rows] = parseCsv((await runExport({ db: url, streams: true, format: 'csv' })).toString('utf8'));
      assert.deepEqual(
        header,
        STREAM_COLUMNS.map((c) => c.name),
      );
      for (const name of [
        'callId',
        'sessionId',
        'segmentId',
        'mediaLabel',
        'streamId',
        'streamDirection',
        'classification',
        'poorReasons',
      ]) {
        assert.ok(header!.includes(name), name);
      }
      assert.equal(rows.length, stored.length);
      const at = (name: string) => header!.indexOf(name);
      assert.deepEqual(
        rows.map((r) => r[at('callId')]),
        stored.map((s) => s.record_id),
      );
      const multi = rows.find((r) => r[at('poorReasons')]!.includes(';'));
      assert.ok(multi === undefined || /^[a-zA-Z]+(;[a-zA-Z]+)+$/.test(multi[at('poorReasons')]!));
      assert.ok(rows.some((r) => r[at('classification')] === 'Poor' && r[at('poorReasons')] !== ''));
    });

    test('--from and --to keep the streams of calls that started in the range', async () => {
      const text = (
        await runExport({ db: url, streams: true, format: 'csv', from: '2026-05-03', to: '2026-05-05' })
      ).toString();
      const expected = stored.filter((s) => s.start_key >= '2026-05-03' && s.start_key < '2026-05-05');
      assert.ok(expected.length > 0 && expected.length < stored.length);
      assert.equal(parseCsv(text).length - 1, expected.length);
    });

    test('Parquet: hyparquet reads back every column of every row as stored', async () => {
      const bytes = await runExport({ db: url, streams: true, format: 'parquet' });
      const file = new Uint8Array(bytes).buffer;
      const meta = parquetMetadata(file);
      assert.equal(Number(meta.num_rows), stored.length);
      const rows = (await parquetReadObjects({ file })) as Record<string, unknown>[];
      assert.equal(rows.length, stored.length);
      for (const [i, row] of rows.entries()) {
        const s = stored[i] as unknown as Record<string, unknown>;
        for (const c of STREAM_COLUMNS) {
          const want = s[c.column] ?? null;
          const got = row[c.name] ?? null;
          const value = typeof got === 'bigint' ? Number(got) : got;
          if (c.kind === 'real' && want !== null) assert.ok(Math.abs(Number(value) - Number(want)) < 1e-9, c.name);
          else
            assert.deepEqual(
              value,
              want === null ? null : c.kind === 'text' ? String(want) : Number(want),
              `${c.name} of row ${i}`,
            );
        }
      }
    });

    test('an unknown format is refused before anything is written', async () => {
      await assert.rejects(
        runExport({ db: url, streams: true, format: 'xlsx' }),
        /--format 'xlsx' is not one of csv, parquet/,
      );
    });

    test('docs/analytics.md lists the exported columns in order', () => {
      const doc = readFileSync(join(import.meta.dirname, '../docs/analytics.md'), 'utf8');
      const list = doc.slice(doc.indexOf('The columns, in this order'));
      const names = [...list.slice(list.indexOf('\n\n')).matchAll(/`([A-Za-z]+)`/g)].map((m) => m[1]);
      assert.deepEqual(
        names,
        STREAM_COLUMNS.map((c) => c.name),
      );
    });
  });
}
