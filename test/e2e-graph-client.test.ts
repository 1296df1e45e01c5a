/**
 * End to end: Microsoft's own Graph JS client (`@microsoft/microsoft-graph-client@3`) against the real
 * `callrecords serve` process over HTTPS, with 200 loaded records.
 *
 * Why HTTPS, and why a child process (docs/dependencies.md, trap 2): the client sends `Authorization` and
 * `client-request-id` only to https:// hosts listed in `customHosts`, and its PageIterator strips only https:// hosts
 * from next links. It calls Node's global fetch (undici), which reads extra CA certificates from NODE_EXTRA_CA_CERTS
 * once, at process start — before this file has made its certificate. So every client scenario runs in a child Node
 * process started with NODE_EXTRA_CA_CERTS=<the test certificate>: this same file, started with the
 * CALLRECORDS_E2E_GRAPH_CLIENT variable set, runs the one scenario it describes and prints the outcome as JSON instead
 * of registering tests. Certificate verification stays on everywhere (NODE_TLS_REJECT_UNAUTHORIZED is removed from
 * the child's environment, and one test checks that a child without the certificate is refused); records are loaded
 * over node:https with the certificate as the only trusted CA.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { promisify } from 'node:util';
import { Client, GraphError, PageIterator } from '@microsoft/microsoft-graph-client';
import { BACKENDS, type Backend, type TestDatabase } from './helpers/databases.js';
import { makeRecord } from './helpers/records.js';
import { startServer, type ServerProcess } from './helpers/server-process.js';
import { createSelfSignedCert, httpsJson, type SelfSignedCert } from './helpers/tls.js';

/** Set (to a JSON ClientScenario) only in the child process that runs the Graph client. */
const CHILD_ENV = 'CALLRECORDS_E2E_GRAPH_CLIENT';
const PROJECT_ROOT = join(import.meta.dirname, '..');
const TOKEN = 'test-token';

const RECORD_COUNT = 200;
const FIRST_START = Date.parse('2024-03-01T08:00:00Z');
/** Shares a participant with every third record (67 records: more than one page of 60). */
const SHARED_PARTICIPANT = '5d7a1c2e-4b0f-4e8a-9c1d-0000000000aa';
const THREE_SESSION_INDEX = 42;
const PAGE_SIZE = 60;

/** What the child does with the Graph client. */
interface ClientScenario {
  baseUrl: string;
  /** `get`: one request; `list`: the first page, then every next link through PageIterator. */
  kind: 'get' | 'list';
  path: string;
  expand?: string;
  filter?: string;
}

/** One request as the client handed it to fetch, and what came back. */
interface Exchange {
  method: string;
  url: string;
  authorization: string | null;
  clientRequestId: string | null;
  status?: number;
  echoedClientRequestId?: string | null;
  requestId?: string | null;
  /** The transport error (e.g. a certificate error code) when fetch itself failed. */
  failure?: string;
}

interface ErrorSummary {
  isGraphError: boolean;
  name: string;
  message: string;
  statusCode?: number;
  code?: string | null;
  requestId?: string | null;
}

/** The child's answer: the client's result (or the error it rejected with) and every request it made. */
interface ClientOutcome {
  body?: unknown;
  error?: ErrorSummary;
  exchanges: Exchange[];
}

/** The parts of an expanded callRecord that the tests read (everything optional: it is the server's answer). */
interface ExpandedRecord {
  '@odata.context'?: string;
  id?: string;
  sessions?: {
    id?: string;
    segments?: { id?: string; media?: { streams?: { averageJitter?: string; streamDirection?: string }[] }[] }[];
  }[];
}

interface ListedRecord {
  id: string;
  startDateTime: string;
}

const childScenario = process.env[CHILD_ENV];
if (childScenario === undefined) registerTests();
else await runClientScenario(JSON.parse(childScenario) as ClientScenario);

// ---------------------------------------------------------------------------------------------------------------
// Parent: server, data and assertions.

function recordId(index: number): string {
  return `call-${String(index).padStart(3, '0')}`;
}

function hasSharedParticipant(index: number): boolean {
  return index % 3 === 0;
}

function testRecords(): Record<string, unknown>[] {
  return Array.from({ length: RECORD_COUNT }, (_, i) => {
    const id = recordId(i);
    return makeRecord({
      id,
      start: new Date(FIRST_START + i * 60_000).toISOString(),
      sessions: i === THREE_SESSION_INDEX ? 3 : 1,
      participantIds: [`${id}-user-a`, `${id}-user-b`, ...(hasSharedParticipant(i) ? [SHARED_PARTICIPANT] : [])],
    });
  });
}

/** Every scenario against each backend; the ones about TLS and headers, which no store affects, only once. */
function registerTests(): void {
  for (const backend of BACKENDS) {
    describe(`Graph client end to end (${backend.name})`, () => registerBackendTests(backend, backend === BACKENDS[0]));
  }
}

function registerBackendTests(backend: Backend, withTransportTests: boolean): void {
  let dir: string;
  let cert: SelfSignedCert;
  let server: ServerProcess | undefined;
  let db: TestDatabase | undefined;

  /** Runs one scenario in a child process that trusts the test certificate (or, with `trust: false`, does not). */
  async function runClient(
    scenario: Omit<ClientScenario, 'baseUrl'>,
    { trust = true }: { trust?: boolean } = {},
  ): Promise<ClientOutcome> {
    assert.ok(server, 'the server did not start (see the before hook)');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      [CHILD_ENV]: JSON.stringify({ ...scenario, baseUrl: `${server.url}/` }),
      // The child touches no database: spare it the PostgreSQL probe of helpers/postgres.ts.
      CALLRECORDS_TEST_POSTGRES_STATUS: 'down',
    };
    // Verification must really happen, and the child must not report to this file's test runner.
    delete env.NODE_TLS_REJECT_UNAUTHORIZED;
    delete env.NODE_TEST_CONTEXT;
    delete env.NODE_EXTRA_CA_CERTS;
    if (trust) env.NODE_EXTRA_CA_CERTS = cert.certFile;
    try {
      const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', import.meta.filename], {
        cwd: PROJECT_ROOT,
        env,
        timeout: 20_000,
        maxBuffer: 16 * 1024 * 1024,
      });
      return JSON.parse(stdout) as ClientOutcome;
    } catch (error) {
      const { stderr, stdout } = error as { stderr?: string; stdout?: string };
      throw new Error(`the Graph client child failed: ${(error as Error).message}\n${stderr ?? ''}${stdout ?? ''}`);
    }
  }

  function listed(outcome: ClientOutcome): ListedRecord[] {
    assert.equal(outcome.error, undefined, `the client rejected: ${JSON.stringify(outcome.error)}`);
    return outcome.body as ListedRecord[];
  }

  function assertAuthenticated(exchanges: Exchange[]): void {
    for (const exchange of exchanges) {
      assert.equal(exchange.failure, undefined, `${exchange.url} failed: ${exchange.failure}`);
      assert.equal(exchange.authorization, `Bearer ${TOKEN}`, `Authorization sent to ${exchange.url}`);
    }
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'callrecords-e2e-graph-'));
    cert = createSelfSignedCert(dir);
    db = backend.create('e2e');
    server = await startServer(
      [
        ['--db', db.url],
        ['--tls-cert', cert.certFile, '--tls-key', cert.keyFile],
      ].flat(),
    );
    assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/, 'the server must serve HTTPS');
    const loaded = await httpsJson(`${server.url}/api/callRecords`, {
      ca: cert.cert,
      method: 'POST',
      body: { value: testRecords() },
    });
    assert.equal(loaded.status, 200, `loading the records: ${JSON.stringify(loaded.body)}`);
    const summary = (loaded.body as { summary?: { inserted?: number } }).summary;
    assert.equal(summary?.inserted, RECORD_COUNT, `loading the records: ${JSON.stringify(summary)}`);
  });

  after(async () => {
    try {
      if (server !== undefined) {
        const code = await server.stop('SIGTERM');
        assert.equal(
          code,
          0,
          `the server exited with ${code} on SIGTERM; last logs:\n${server.logs.slice(-5).join('\n')}`,
        );
      }
    } finally {
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
      await db?.drop();
    }
  });

  test('get with $expand=sessions($expand=segments) returns the record, its 3 sessions and their segments', async () => {
    const id = recordId(THREE_SESSION_INDEX);
    const outcome = await runClient({
      kind: 'get',
      path: `/communications/callRecords/${id}`,
      expand: 'sessions($expand=segments)',
    });
    assert.equal(outcome.error, undefined, `the client rejected: ${JSON.stringify(outcome.error)}`);
    const body = outcome.body as ExpandedRecord;
    assert.equal(body.id, id);
    const context = body['@odata.context'] ?? '';
    assert.ok(context.endsWith('callRecords(sessions(segments()))/$entity'), `@odata.context: ${context}`);
    assert.ok(context.startsWith(`${server!.url}/v1.0/$metadata#`), `@odata.context: ${context}`);
    const sessions = body.sessions;
    assert.ok(Array.isArray(sessions), `sessions: ${JSON.stringify(sessions)}`);
    assert.deepEqual(
      sessions.map((s) => s.id),
      [0, 1, 2].map((i) => `${id}-s${i}`),
    );
    for (const session of sessions) {
      const segments = session.segments;
      assert.ok(Array.isArray(segments), `segments of ${session.id}: ${JSON.stringify(segments)}`);
      assert.deepEqual(
        segments.map((s) => s.id),
        [`${session.id}-seg0`],
      );
      const stream = segments[0]?.media?.[0]?.streams?.[0];
      assert.equal(stream?.averageJitter, 'PT0.016S', `stream of ${segments[0]?.id}: ${JSON.stringify(stream)}`);
      assert.equal(stream?.streamDirection, 'callerToCallee');
    }
    assert.equal(outcome.exchanges.length, 1);
  });

  test('$filter on startDateTime with a +01:00 offset returns exactly the records in [08:00Z, 08:30Z)', async () => {
    // 09:00+01:00 is 08:00Z: the Graph client sends the '+' unencoded (docs/dependencies.md, trap 1).
    const outcome = await runClient({
      kind: 'list',
      path: '/communications/callRecords',
      filter: 'startDateTime ge 2024-03-01T09:00:00+01:00 and startDateTime lt 2024-03-01T08:30:00Z',
    });
    const records = listed(outcome);
    assert.deepEqual(
      records.map((r) => r.id).sort(),
      Array.from({ length: 30 }, (_, i) => recordId(i)),
    );
    assert.ok(
      outcome.exchanges[0]?.url.includes('+01:00'),
      `the client should send the offset as '+01:00': ${outcome.exchanges[0]?.url}`,
    );
  });

  test("$filter participants_v2/any(p:p/id eq '…') returns exactly the records with that participant", async () => {
    const outcome = await runClient({
      kind: 'list',
      path: '/communications/callRecords',
      filter: `participants_v2/any(p:p/id eq '${SHARED_PARTICIPANT}')`,
    });
    const expected = Array.from({ length: RECORD_COUNT }, (_, i) => i)
      .filter(hasSharedParticipant)
      .map(recordId);
    assert.equal(expected.length, 67);
    assert.deepEqual(
      listed(outcome)
        .map((r) => r.id)
        .sort(),
      expected,
    );
    // 67 matches: the second page comes from a next link that must keep the filter.
    assert.equal(outcome.exchanges.length, 2, `requests: ${outcome.exchanges.map((e) => e.url).join('\n')}`);
    assertAuthenticated(outcome.exchanges);
  });

  test('PageIterator visits all 200 records once, in startDateTime order, in 4 requests of up to 60', async () => {
    const outcome = await runClient({ kind: 'list', path: '/communications/callRecords' });
    const records = listed(outcome);
    assert.equal(records.length, RECORD_COUNT);
    assert.equal(new Set(records.map((r) => r.id)).size, RECORD_COUNT, 'a record was visited twice');
    assert.deepEqual(
      records.map((r) => r.id),
      Array.from({ length: RECORD_COUNT }, (_, i) => recordId(i)),
    );
    const starts = records.map((r) => Date.parse(r.startDateTime));
    assert.deepEqual(
      starts,
      [...starts].sort((a, b) => a - b),
    );
    const urls = outcome.exchanges.map((e) => e.url);
    assert.equal(urls.length, Math.ceil(RECORD_COUNT / PAGE_SIZE), `requests:\n${urls.join('\n')}`);
    for (const url of urls) {
      // An http:// or relative next link would be requested as /v1.0/http://… (docs/dependencies.md, trap 2).
      assert.ok(url.startsWith(`${server!.url}/v1.0/communications/callRecords`), `requested ${url}`);
    }
    assert.deepEqual(
      outcome.exchanges.map((e) => e.status),
      [200, 200, 200, 200],
    );
    assertAuthenticated(outcome.exchanges);
  });

  test('an unknown id rejects with a GraphError: statusCode 404, code NotFound', async () => {
    const outcome = await runClient({ kind: 'get', path: '/communications/callRecords/no-such-call' });
    assert.equal(outcome.body, undefined, `expected a rejection, got ${JSON.stringify(outcome.body)}`);
    assert.ok(outcome.error, 'expected a rejection');
    assert.equal(outcome.error.isGraphError, true, `rejected with ${outcome.error.name}: ${outcome.error.message}`);
    assert.equal(outcome.error.statusCode, 404);
    assert.equal(outcome.error.code, 'NotFound');
    // The client reads request-id from the Graph error body's innerError.
    assert.equal(outcome.error.requestId, outcome.exchanges[0]?.requestId);
  });

  if (withTransportTests) {
    test('the client sends Authorization: Bearer and a client-request-id, which the server echoes', async () => {
      const outcome = await runClient({ kind: 'get', path: `/communications/callRecords/${recordId(7)}` });
      assert.equal(outcome.error, undefined, `the client rejected: ${JSON.stringify(outcome.error)}`);
      assert.equal(outcome.exchanges.length, 1);
      const [exchange] = outcome.exchanges as [Exchange];
      assert.equal(exchange.authorization, `Bearer ${TOKEN}`);
      assert.match(exchange.clientRequestId ?? '', /^[0-9a-f-]{36}$/i, 'the client should send a client-request-id');
      assert.equal(
        exchange.echoedClientRequestId,
        exchange.clientRequestId,
        'the server should echo client-request-id',
      );
      assert.ok(exchange.requestId, 'the server should send its own request-id');
      assert.notEqual(exchange.requestId, exchange.clientRequestId);
    });

    test('a client that does not trust the certificate is refused (verification is on)', async () => {
      const outcome = await runClient(
        { kind: 'get', path: `/communications/callRecords/${recordId(0)}` },
        { trust: false },
      );
      assert.equal(outcome.body, undefined, 'a client without the certificate must not get an answer');
      assert.equal(outcome.exchanges[0]?.failure, 'DEPTH_ZERO_SELF_SIGNED_CERT');
    });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Child: the Graph client, driven exactly as an application would, with fetch observed.

async function runClientScenario(scenario: ClientScenario): Promise<void> {
  const exchanges = observeFetch();
  const client = Client.init({
    authProvider: (done) => done(null, TOKEN),
    baseUrl: scenario.baseUrl,
    customHosts: new Set([new URL(scenario.baseUrl).hostname]),
  });
  const outcome: ClientOutcome = { exchanges };
  try {
    const request = client.api(scenario.path);
    if (scenario.expand !== undefined) request.expand(scenario.expand);
    if (scenario.filter !== undefined) request.filter(scenario.filter);
    const first: unknown = await request.get();
    if (scenario.kind === 'get') {
      outcome.body = first;
    } else {
      const records: ListedRecord[] = [];
      const iterator = new PageIterator(client, first as { value: ListedRecord[] }, (item: ListedRecord) => {
        records.push({ id: item.id, startDateTime: item.startDateTime });
        return true;
      });
      await iterator.iterate();
      outcome.body = records;
    }
  } catch (error) {
    const e = error as Error;
    outcome.error = {
      isGraphError: error instanceof GraphError,
      name: e.name,
      message: e.message,
      ...(error instanceof GraphError
        ? { statusCode: error.statusCode, code: error.code, requestId: error.requestId }
        : {}),
    };
  }
  process.stdout.write(JSON.stringify(outcome), () => process.exit(0));
}

/** Wraps the global fetch, which the client's HTTPMessageHandler calls, to record what goes on the wire. */
function observeFetch(): Exchange[] {
  const exchanges: Exchange[] = [];
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (input, init) => {
    const headers = new Headers(input instanceof Request ? input.headers : undefined);
    new Headers(init?.headers).forEach((value, name) => headers.set(name, value));
    const exchange: Exchange = {
      method: init?.method ?? (input instanceof Request ? input.method : 'GET'),
      url: input instanceof Request ? input.url : String(input),
      authorization: headers.get('authorization'),
      clientRequestId: headers.get('client-request-id'),
    };
    exchanges.push(exchange);
    try {
      const response = await realFetch(input, init);
      exchange.status = response.status;
      exchange.echoedClientRequestId = response.headers.get('client-request-id');
      exchange.requestId = response.headers.get('request-id');
      return response;
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      exchange.failure = cause?.code ?? cause?.message ?? String(error);
      throw error;
    }
  };
  return exchanges;
}
