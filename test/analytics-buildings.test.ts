/**
 * CQD's building file (https://learn.microsoft.com/microsoftteams/cqd-upload-tenant-building-data) on every backend:
 * every problem refused with its line number and nothing applied, through the service, `PUT /api/buildings` and
 * `callrecords buildings import`; a good file maps stream endpoints, a new file re-maps them; the missing-subnet
 * report; and the generator's building file covering most generated subnets.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { parseBuildingFile } from '../src/analytics/building-file.js';
import { StreamAnalytics } from '../src/analytics/stream-analytics.js';
import { buildingsImportCommand } from '../src/cli/buildings-command.js';
import { validateCallRecord } from '../src/domain/validate.js';
import type { AppError } from '../src/errors.js';
import { generatedBuildingFile } from '../src/generate/building-file.js';
import { generateRecords } from '../src/generate/index.js';
import { toRecordWrite } from '../src/service/record-fragments.js';
import { openDatabase } from '../src/storage/open-database.js';
import type { CallRecordDatabase } from '../src/storage/roles.js';
import { BACKENDS } from './helpers/databases.js';
import { createTestApp } from './helpers/test-app.js';

const SEED = 5;
const RECEIVED = '2026-03-01T00:00:00.000Z';
const row = (ip: string, range: string | number, name = 'HQ', flags = '1,0,0') =>
  `${ip},${name} net,${range},${name},Contoso,Office,Open,Seattle,98101,US,WA,North America,${flags}`;
const GOOD = [row('10.1.0.0', 16, 'Alpha'), row('192.168.50.0', 24, 'Beta')].join('\n');

/** Each bad file, the line its problem is reported on, and a word of the message. */
const BAD: { name: string; text: string; line: number; says: RegExp }[] = [
  { name: 'an address that is not IPv4', text: `${GOOD}\n${row('10.2.0', 24)}`, line: 3, says: /not an IPv4 address/ },
  { name: 'an octet above 255', text: `${row('10.256.0.0', 16)}\n${GOOD}`, line: 1, says: /not an IPv4 address/ },
  { name: 'an IPv6 address', text: `${GOOD}\n${row('2001:db8::', 24)}`, line: 3, says: /not an IPv4 address/ },
  { name: 'host bits set', text: `${GOOD}\n${row('10.9.9.9', 24)}`, line: 3, says: /first address/ },
  { name: 'range 7', text: `${GOOD}\n${row('10.0.0.0', 7)}`, line: 3, says: /outside 8–28/ },
  { name: 'range 29', text: `${GOOD}\n\n${row('172.16.0.0', 29)}`, line: 4, says: /outside 8–28/ },
  { name: 'range not a number', text: `${row('172.16.0.0', 'x')}\n${GOOD}`, line: 1, says: /outside 8–28/ },
  {
    name: 'a duplicate subnet',
    text: `${GOOD}\n${row('192.168.50.0', 24, 'Gamma')}`,
    line: 3,
    says: /duplicates 192\.168\.50\.0\/24 on line 2/,
  },
  {
    name: 'an overlapping subnet',
    text: `${GOOD}\n${row('10.1.128.0', 20)}`,
    line: 3,
    says: /overlaps 10\.1\.0\.0\/16 on line 1/,
  },
  {
    name: '13 columns',
    text: `${GOOD}\n${row('172.16.0.0', 24).split(',').slice(0, 13).join(',')}`,
    line: 3,
    says: /found 13/,
  },
  { name: '16 columns', text: `${GOOD}\n${row('172.16.0.0', 24)},1`, line: 3, says: /found 16/ },
  {
    name: 'InsideCorp not 0/1',
    text: `${GOOD}\n${row('172.16.0.0', 24, 'X', 'yes,0,0')}`,
    line: 3,
    says: /InsideCorp/,
  },
  { name: 'VPN not 0/1', text: `${GOOD}\n${row('172.16.0.0', 24, 'X', '1,0,2')}`, line: 3, says: /VPN/ },
  { name: 'no network at all', text: '\n\n', line: 1, says: /no network/ },
];

function writesOf(records: readonly Record<string, unknown>[]) {
  return records.map((record) => {
    const result = validateCallRecord(structuredClone(record));
    assert.ok(result.ok);
    return toRecordWrite(result.record, result.hasEvolvableMembers);
  });
}

async function senderBuildings(db: CallRecordDatabase): Promise<string> {
  const rows = await db.streams.readStreams({}, undefined, 100_000);
  return JSON.stringify(rows.map((r) => [r.sender_subnet, r.sender_building, r.receiver_building]));
}

function sink(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({ write: (chunk, _e, done) => ((text += String(chunk)), done()) });
  return { stream, text: () => text };
}

describe('building file parser', () => {
  test('CSV and TSV, 14 or 15 columns; VPN defaults to 0', () => {
    const tsv = parseBuildingFile(`${row('10.1.0.0', 16).split(',').slice(0, 14).join('\t')}\r\n`);
    assert.ok(tsv.ok);
    assert.deepEqual(
      [tsv.buildings[0]!.networkRange, tsv.buildings[0]!.insideCorp, tsv.buildings[0]!.vpn],
      [16, true, false],
    );
    const quoted = parseBuildingFile(`10.1.0.0,"Net, north",16,HQ,C,O,O,Seattle,1,US,WA,NA,0,1,1`);
    assert.ok(quoted.ok);
    assert.equal(quoted.buildings[0]!.networkName, 'Net, north');
  });
});

for (const backend of BACKENDS) {
  describe(`buildings: ${backend.name}`, () => {
    let db: CallRecordDatabase;
    let app: FastifyInstance;
    let close: () => Promise<void>;
    let analytics: StreamAnalytics;
    before(async () => {
      ({ app, db, close } = await createTestApp({ backend }));
      await app.ready();
      const from = new Date('2026-01-05T00:00:00Z');
      const records = [...generateRecords({ calls: 120, seed: SEED, from, days: 10, versions: false })];
      analytics = new StreamAnalytics(db.streams);
      await db.records.write(writesOf(records), RECEIVED);
    });
    after(async () => {
      await close();
    });

    test('every problem is refused with its line number, and nothing is applied', async () => {
      await analytics.importBuildings(GOOD);
      const mapped = await senderBuildings(db);
      for (const bad of BAD) {
        await assert.rejects(
          analytics.importBuildings(bad.text),
          (error: AppError) => {
            assert.equal(error.code, 'invalidBuildingFile', bad.name);
            assert.ok(
              error.details!.some((d) => d.target === `line ${bad.line}` && bad.says.test(d.message)),
              `${bad.name}: ${JSON.stringify(error.details)}`,
            );
            return true;
          },
          bad.name,
        );
      }
      assert.deepEqual(
        (await db.streams.buildings()).map((b) => b.buildingName),
        ['Alpha', 'Beta'],
      );
      assert.equal(await senderBuildings(db), mapped);
    });

    test('PUT /api/buildings: a bad file is a 400 naming its lines, a good one re-maps and answers the rule set', async () => {
      const bad = await app.inject({
        method: 'PUT',
        url: '/api/buildings',
        headers: { 'content-type': 'text/csv' },
        payload: `${GOOD}\n${row('10.1.2.0', 24)}\n${row('10.0.0.0', 30)}`,
      });
      assert.equal(bad.statusCode, 400);
      const error = bad.json().error;
      assert.equal(error.code, 'invalidBuildingFile');
      assert.deepEqual(
        error.details.map((d: { target: string }) => d.target),
        ['line 3', 'line 4'],
      );
      const file = generatedBuildingFile(SEED);
      const good = await app.inject({
        method: 'PUT',
        url: '/api/buildings',
        headers: { 'content-type': 'text/tab-separated-values' },
        payload: file.replaceAll(',', '\t'),
      });
      assert.equal(good.statusCode, 200, good.body);
      assert.equal(good.json().ruleSet, 'current@1');
      assert.equal(good.json().networks, file.trim().split('\n').length);
      const rows = await db.streams.readStreams({}, undefined, 100_000);
      const office = rows.filter((r) => r.sender_subnet?.startsWith('10.'));
      const inBuilding = office.filter((r) => r.sender_building !== null);
      assert.ok(inBuilding.length > office.length / 2, 'most office subnets are in the generated file');
      assert.ok(inBuilding.length < office.length, 'a few are left out');
      assert.ok(inBuilding.every((r) => r.sender_country !== null && r.sender_inside_corp === 1));
      const listed = await app.inject({ method: 'GET', url: '/api/buildings' });
      assert.equal(listed.json().value.length, file.trim().split('\n').length);
      const empty = await app.inject({
        method: 'PUT',
        url: '/api/buildings',
        headers: { 'content-type': 'text/csv' },
        payload: '',
      });
      assert.equal(empty.statusCode, 400);
    });

    test('GET /api/analytics/missing-subnets: subnets with at least 10 audio streams and no building', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/analytics/missing-subnets' });
      assert.equal(res.statusCode, 200);
      const body = res.json();
      assert.equal(body.ruleSet, 'current@1');
      assert.equal(body.minAudioStreams, 10);
      assert.ok(body.value.length > 0);
      assert.ok(body.value.every((m: { audioStreams: number }) => m.audioStreams >= 10));
      const rows = await db.streams.readStreams({}, undefined, 100_000);
      for (const { subnet, audioStreams } of body.value as { subnet: string; audioStreams: number }[]) {
        const count = rows
          .filter((r) => r.media_type === 'audio')
          .reduce(
            (n, r) =>
              n +
              (r.sender_subnet === subnet && r.sender_building === null ? 1 : 0) +
              (r.receiver_subnet === subnet && r.receiver_building === null ? 1 : 0),
            0,
          );
        assert.equal(audioStreams, count, subnet);
      }
      assert.ok(
        body.value.some((m: { subnet: string }) => m.subnet.startsWith('10.')),
        'a left-out office subnet',
      );
      const bad = await app.inject({ method: 'GET', url: '/api/analytics/missing-subnets?minAudioStreams=ten' });
      assert.equal(bad.statusCode, 400);
    });

    test('callrecords buildings import: problems on stderr with their lines, exit 1; a good file exit 0', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'callrecords-buildings-'));
      const url = backend.create('buildings_cli');
      try {
        const before = JSON.stringify(await db.streams.buildings());
        await (await openDatabase(url.url)).close();
        writeFileSync(join(dir, 'bad.csv'), `${GOOD}\n${row('10.1.4.0', 24)}\n`);
        writeFileSync(join(dir, 'good.csv'), GOOD);
        const out = sink();
        const err = sink();
        const io = { stdout: out.stream, stderr: err.stream };
        assert.equal(await buildingsImportCommand(join(dir, 'bad.csv'), { db: url.url }, io), 1);
        assert.match(err.text(), /bad\.csv:line 3: subnet 10\.1\.4\.0\/24 overlaps 10\.1\.0\.0\/16 on line 1/);
        assert.match(err.text(), /refused, nothing applied/);
        assert.equal(await buildingsImportCommand(join(dir, 'good.csv'), { db: url.url }, io), 0);
        assert.match(out.text(), /2 networks imported/);
        assert.equal(JSON.stringify(await db.streams.buildings()), before, 'another database is untouched');
      } finally {
        rmSync(dir, { recursive: true, force: true });
        await url.drop();
      }
    });
  });
}
