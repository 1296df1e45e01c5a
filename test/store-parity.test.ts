/**
 * SQLite and PostgreSQL serve the same data byte for byte: the same records go into a store of each kind, the same
 * requests go to both, and the response bodies must be identical.
 *
 * - The documented Graph examples (test/fixtures/graph-docs) are served by the app (createApp) on each store, with
 *   the fixed test clock, so even the history's receive times match.
 * - 1,000 generated calls (every version of each, as `callrecords generate --versions` writes them) are imported with `callrecords import` and served
 *   by two real `callrecords serve` processes, one with `--db sqlite:…`, one with `--db postgres://…?schema=…`, both
 *   with the same `--public-url`. Two values legitimately differ between these databases and are normalised before
 *   the comparison: `$skiptoken` values (HMAC-signed with a random key per database) and the history's
 *   `receivedDateTime` (each import's own clock). Each server's own next links are followed.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateRecords } from '../src/generate/index.js';
import { BACKENDS, DatabaseList } from './helpers/databases.js';
import { GRAPH_DOC_CASES, RECORD_ID } from './helpers/graph-doc-cases.js';
import { fixtureRequestPath } from './helpers/fixtures.js';
import { POSTGRES_ENABLED } from './helpers/postgres.js';
import { BIN, startServer, type ServerProcess } from './helpers/server-process.js';
import { createTestApp, ingest } from './helpers/test-app.js';

type JsonObject = Record<string, unknown>;

const SKIP = POSTGRES_ENABLED ? false : 'PostgreSQL is not reachable (see test/helpers/postgres.ts)';
const PUBLIC_URL = 'http://callrecords.test';
const GENERATED_COUNT = 1000;
/** Requests in flight per server while checking records one by one. */
const PARALLEL = 6;

// ---------------------------------------------------------------------------------------------------------------
// The generated data: the one place that decides what is imported (switch generators here).

/**
 * Writes `GENERATED_COUNT` calls of the seeded demo-like organisation (`callrecords generate` with `--versions`:
 * every version Graph would have sent, so histories hold several) to `dir` as NDJSON. Returns the file and the
 * records as written.
 */
async function writeGeneratedRecords(dir: string): Promise<{ file: string; records: JsonObject[] }> {
  const options = { calls: GENERATED_COUNT, seed: 7, from: new Date('2026-08-20T00:00:00Z'), days: 60, versions: true };
  const records = [...generateRecords(options)] as JsonObject[];
  const file = join(dir, 'generated.ndjson');
  writeFileSync(file, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return { file, records };
}

// ---------------------------------------------------------------------------------------------------------------
// Comparing answers.

/** What one server answered: the status and the body's bytes. */
interface Answer {
  status: number;
  body: Buffer;
}

/** Replaces what legitimately differs between two databases: skip-token values and history receive times. */
function normalise(body: string): string {
  return body
    .replace(/(\$skiptoken=)[A-Za-z0-9_%.-]+/g, '$1<token>')
    .replace(/"receivedDateTime":"[^"]*"/g, '"receivedDateTime":"<received>"');
}

/** A few characters either side of the first difference of two texts. */
function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const around = (s: string) => JSON.stringify(s.slice(Math.max(0, i - 80), i + 80));
  return `first difference at character ${i} of ${a.length} / ${b.length}:\n  sqlite:   ${around(a)}\n  postgres: ${around(b)}`;
}

/** Asserts that both answers are the same byte for byte (after `normalise`); returns the normalised text. */
function assertSame(label: string, sqlite: Answer, postgres: Answer): string {
  assert.equal(
    postgres.status,
    sqlite.status,
    `${label}: status ${sqlite.status} on sqlite, ${postgres.status} on postgres`,
  );
  const texts = [sqlite.body, postgres.body].map((body) => {
    const text = body.toString('utf8');
    assert.ok(Buffer.from(text, 'utf8').equals(body), `${label}: the body is not well-formed UTF-8`);
    return normalise(text);
  });
  const [a, b] = texts as [string, string];
  assert.ok(Buffer.from(a).equals(Buffer.from(b)), `${label}: the bodies differ\n${firstDifference(a, b)}`);
  return a;
}

/** Something that answers a GET for a path (a real server or an app). */
type Get = (path: string, headers?: Record<string, string>) => Promise<Answer>;

/** Counts the requests compared, to show how much was covered. */
class Parity {
  compared = 0;

  constructor(
    private readonly sqlite: Get,
    private readonly postgres: Get,
  ) {}

  /** Sends `path` to both, asserts the same bodies, and returns both raw answers parsed. */
  async one(path: string, headers: Record<string, string> = {}): Promise<unknown> {
    const [a, b] = await Promise.all([this.sqlite(path, headers), this.postgres(path, headers)]);
    this.compared++;
    assertSame(`GET ${path}`, a, b);
    return a.status === 200 && /^[[{]/.test(a.body.toString('utf8', 0, 1)) ? JSON.parse(a.body.toString()) : undefined;
  }

  /**
   * Sends `path` to both and follows each server's own next links (`firstLinkKey` on the first page, then
   * `@odata.nextLink`), comparing every page; returns the number of pages.
   */
  async pages(path: string, firstLinkKey = '@odata.nextLink', headers: Record<string, string> = {}): Promise<number> {
    let next: [string, string] | undefined = [path, path];
    let pages = 0;
    while (next !== undefined) {
      const [pa, pb]: [string, string] = next;
      const [a, b]: [Answer, Answer] = await Promise.all([this.sqlite(pa, headers), this.postgres(pb, headers)]);
      this.compared++;
      assertSame(`GET ${pa} (page ${pages + 1} of ${path})`, a, b);
      const key = pages === 0 ? firstLinkKey : '@odata.nextLink';
      pages++;
      const linkA = nextLink(a, key);
      const linkB = nextLink(b, key);
      assert.equal(typeof linkA, typeof linkB, `${path}: a next link on one server only`);
      next =
        typeof linkA === 'string' && typeof linkB === 'string'
          ? [linkA.replace(PUBLIC_URL, ''), linkB.replace(PUBLIC_URL, '')]
          : undefined;
      assert.ok(pages < 200, `${path}: paging does not end`);
    }
    return pages;
  }
}

/** The next link under `key` in a 200 answer's JSON body, if any. */
function nextLink(answer: Answer, key: string): unknown {
  return answer.status === 200 ? (JSON.parse(answer.body.toString()) as Record<string, unknown>)[key] : undefined;
}

/** Runs `work` for every item, at most `PARALLEL` at a time; rejects with the first failure. */
async function forEachParallel<T>(items: readonly T[], work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
}

/** The requests that read one record in every shape: whole, expanded, its collections, $select, its history. */
async function compareRecord(parity: Parity, id: string, version?: number): Promise<void> {
  const base = `/v1.0/communications/callRecords/${encodeURIComponent(id)}`;
  await parity.one(base);
  await parity.pages(`${base}?$expand=sessions($expand=segments)`, 'sessions@odata.nextLink');
  await parity.pages(`${base}/sessions`);
  await parity.pages(`${base}/sessions?$expand=segments`, '@odata.nextLink', { prefer: 'odata.maxpagesize=3' });
  await parity.pages(`${base}/participants_v2`);
  await parity.pages(`${base}?$expand=participants_v2`, 'participants_v2@odata.nextLink');
  await parity.one(`${base}?$select=id,version,type,modalities,startDateTime,organizer_v2`);
  await parity.one(`/beta/communications/callRecords('${encodeURIComponent(id.replaceAll("'", "''"))}')`, {
    prefer: 'omit-values=nulls',
  });
  const history = (await parity.one(`/api/callRecords/${encodeURIComponent(id)}/versions`)) as
    { value: { version: number }[] } | undefined;
  assert.ok(history, `no history for ${id}`);
  if (version !== undefined) {
    assert.ok(
      history.value.some((v) => v.version === version),
      `${id}: version ${version} missing from the history`,
    );
  }
  for (const v of history.value) await parity.one(`/api/callRecords/${encodeURIComponent(id)}/versions/${v.version}`);
}

// ---------------------------------------------------------------------------------------------------------------
// The documented examples, on the app over each store.

describe('the documented Graph examples answer byte for byte alike on SQLite and PostgreSQL', { skip: SKIP }, () => {
  for (const c of GRAPH_DOC_CASES) {
    test(c.name, async () => {
      const [sqlite, postgres] = await Promise.all(BACKENDS.map((backend) => createTestApp({ backend })));
      try {
        for (const t of [sqlite!, postgres!]) {
          const res = await ingest(t.app, c.records);
          assert.equal(res.status, 200, JSON.stringify(res.json));
          assert.equal(res.json.summary.rejected, 0, JSON.stringify(res.json));
        }
        const get =
          (t: typeof sqlite): Get =>
          async (path, headers) => {
            const res = await t!.app.inject({ method: 'GET', url: path, ...(headers ? { headers } : {}) });
            return { status: res.statusCode, body: res.rawPayload };
          };
        const parity = new Parity(get(sqlite), get(postgres));
        const path = fixtureRequestPath(c.request).replace('{id}', RECORD_ID);
        await parity.pages(path);
        await parity.pages(path.replace('/v1.0/', '/beta/'));
        const ids = new Set(c.records.map((r) => (r as { id: string }).id));
        for (const id of ids) await compareRecord(parity, id);
        assert.ok(parity.compared >= 2 + ids.size * 10, `only ${parity.compared} requests compared`);
      } finally {
        await Promise.all([sqlite?.close(), postgres?.close()]);
      }
    });
  }
});

// ---------------------------------------------------------------------------------------------------------------
// Generated records, imported and served by real processes.

describe(
  `${GENERATED_COUNT} generated records answer byte for byte alike from two real servers`,
  { skip: SKIP },
  () => {
    let dir: string;
    let records: JsonObject[];
    const databases = BACKENDS.map((backend) => new DatabaseList(backend));
    const servers: ServerProcess[] = [];
    let parity: Parity;

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'callrecords-parity-'));
      const generated = await writeGeneratedRecords(dir);
      records = generated.records;
      const urls = databases.map((list) => list.create('parity').url);
      // Both imports at once: each is its own process.
      await Promise.all(urls.map((url) => importFile(generated.file, url)));
      servers.push(...(await Promise.all(urls.map((url) => startServer(['--db', url, '--public-url', PUBLIC_URL])))));
      const get =
        (server: ServerProcess): Get =>
        async (path, headers = {}) => {
          const res = await fetch(`${server.url}${path}`, { headers });
          return { status: res.status, body: Buffer.from(await res.arrayBuffer()) };
        };
      parity = new Parity(get(servers[0]!), get(servers[1]!));
    });

    after(async () => {
      try {
        const codes = await Promise.all(servers.map((s) => s.stop()));
        assert.deepEqual(codes, [0, 0], 'both servers exit 0');
      } finally {
        await Promise.all(databases.map((list) => list.dropAll()));
        rmSync(dir, { recursive: true, force: true });
      }
    });

    test('the list, every page, by following each server’s next links', async () => {
      assert.equal(await parity.pages('/v1.0/communications/callRecords'), Math.ceil(GENERATED_COUNT / 60));
      await parity.pages('/beta/communications/callRecords?$select=id,startDateTime,type,modalities');
      await parity.pages('/v1.0/communications/callRecords', '@odata.nextLink', { prefer: 'odata.maxpagesize=7' });
      await parity.one('/v1.0/communications/callRecords/$count');
    });

    test('startDateTime filters, with Z and with an offset', async () => {
      const filters = [
        'startDateTime ge 2024-03-01T18:00:00Z and startDateTime lt 2024-03-02T06:00:00Z',
        'startDateTime gt 2024-03-01T19:00:00%2B01:00',
        'startDateTime le 2024-03-01T09:30:00.5Z',
      ];
      for (const filter of filters) {
        const query = `$filter=${filter.replaceAll(' ', '%20')}`;
        await parity.pages(`/v1.0/communications/callRecords?${query}`);
        await parity.one(`/v1.0/communications/callRecords/$count?${query}`);
      }
    });

    test('participant filters, alone and with a startDateTime bound', async () => {
      const frequent = mostFrequentParticipants(records, 3);
      assert.equal(frequent.length, 3, 'the data has participants');
      for (const id of frequent) {
        const any = `participants_v2/any(p:p/id eq '${id}')`;
        for (const filter of [any, `${any} and startDateTime ge 2024-03-01T20:00:00Z`]) {
          await parity.pages(
            `/v1.0/communications/callRecords?$filter=${encodeURIComponent(filter)}`,
            '@odata.nextLink',
            {
              prefer: 'odata.maxpagesize=5',
            },
          );
        }
      }
    });

    test('every record: whole, expanded, sessions and participants pages, $select, history', async () => {
      const versions = new Map<string, number>();
      for (const r of records)
        versions.set(r.id as string, Math.max(versions.get(r.id as string) ?? 0, r.version as number));
      const before = parity.compared;
      await forEachParallel([...versions], ([id, version]) => compareRecord(parity, id, version));
      assert.ok(parity.compared - before >= versions.size * 10, `only ${parity.compared - before} requests compared`);
    });

    test('unknown ids and bad requests get the same errors, apart from their request ids and dates', async () => {
      // Error bodies carry a fresh request id and the time: compared by code and message instead.
      for (const path of [
        '/v1.0/communications/callRecords/no-such-record',
        '/v1.0/communications/callRecords?$filter=startDateTime%20ge%202024-13-01T00:00:00Z',
        `/v1.0/communications/callRecords/${encodeURIComponent(records[0]!.id as string)}/sessions/nope`,
      ]) {
        const answers = await Promise.all(
          servers.map(async (s) => {
            const res = await fetch(`${s.url}${path}`);
            const body = (await res.json()) as { error: { code: string; message: string } };
            return [res.status, body.error.code, body.error.message];
          }),
        );
        assert.deepEqual(answers[1], answers[0], path);
      }
    });
  },
);

/** Runs `callrecords import` into `db` and resolves once it has exited 0. */
async function importFile(file: string, db: string): Promise<void> {
  const child = spawn(process.execPath, [BIN, 'import', file, '--db', db], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  assert.equal(code, 0, `import into ${db} exited ${code}: ${output}`);
}

/** The `n` participant ids found in the most records. */
function mostFrequentParticipants(records: readonly JsonObject[], n: number): string[] {
  const counts = new Map<string, number>();
  for (const r of records) {
    for (const p of r.participants_v2 as { id: string }[]) counts.set(p.id, (counts.get(p.id) ?? 0) + 1);
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, n)
    .map(([id]) => id);
}
