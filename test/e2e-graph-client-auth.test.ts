/**
 * End to end with authentication on: `callrecords serve --auth entra,keys` over HTTPS, Microsoft's Graph JS client
 * (`@microsoft/microsoft-graph-client@3`) and a Kiota-style request (what Kiota's fetch adapter sends: the bearer
 * token, `Accept: application/json`, `$` percent-encoded in query options) with an API key or an Entra token from a
 * test issuer as their token. As in e2e-graph-client.test.ts, each client runs in a child process started with
 * NODE_EXTRA_CA_CERTS, so certificate verification stays on; the server trusts the issuer the same way.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { promisify } from 'node:util';
import { Client, GraphError, PageIterator } from '@microsoft/microsoft-graph-client';
import { AUDIENCE, TENANT } from './helpers/auth-fixture.js';
import { makeRecord } from './helpers/records.js';
import { runCli, startServer, type ServerProcess } from './helpers/server-process.js';
import { issuerKey, signToken, TestIssuer } from './helpers/test-issuer.js';
import { createSelfSignedCert, type SelfSignedCert } from './helpers/tls.js';

const CHILD_ENV = 'CALLRECORDS_E2E_GRAPH_CLIENT_AUTH';
const PROJECT_ROOT = join(import.meta.dirname, '..');
const RECORD_COUNT = 70;

/** What the child does: the Graph client lists every page, or a Kiota-style fetch reads one record. */
interface Scenario {
  baseUrl: string;
  kind: 'graph-list' | 'kiota-get';
  token: string;
}

interface Outcome {
  ids?: string[];
  statuses: number[];
  error?: { isGraphError: boolean; statusCode?: number; code?: string | null; message: string };
  body?: unknown;
}

const childScenario = process.env[CHILD_ENV];
if (childScenario === undefined) registerTests();
else await runScenario(JSON.parse(childScenario) as Scenario);

function registerTests(): void {
  describe('Graph clients end to end with --auth entra,keys', () => {
    let dir: string;
    let cert: SelfSignedCert;
    let issuer: TestIssuer;
    let server: ServerProcess;
    let key: string;
    let ingestKey: string;

    const run = async (kind: Scenario['kind'], token: string): Promise<Outcome> => {
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        [CHILD_ENV]: JSON.stringify({ kind, token, baseUrl: `${server.url}/` }),
        CALLRECORDS_TEST_POSTGRES_STATUS: 'down',
        NODE_EXTRA_CA_CERTS: cert.certFile,
      };
      delete env.NODE_TLS_REJECT_UNAUTHORIZED;
      delete env.NODE_TEST_CONTEXT;
      const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', import.meta.filename], {
        cwd: PROJECT_ROOT,
        env,
        timeout: 20_000,
      });
      return JSON.parse(stdout) as Outcome;
    };

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'callrecords-e2e-auth-'));
      cert = createSelfSignedCert(dir);
      issuer = await TestIssuer.start([await issuerKey('e2e-key')], cert);
      const db = `sqlite:${join(dir, 'e2e.db')}`;
      const create = (role: string) => runCli(['keys', 'create', '--role', role, '--db', db]).stdout.trim();
      key = create('CallRecords.Read.All');
      ingestKey = create('CallRecords.Ingest');
      server = await startServer(
        [
          ['--db', db, '--tls-cert', cert.certFile, '--tls-key', cert.keyFile],
          ['--auth', 'entra,keys', '--auth-audience', AUDIENCE, '--auth-tenant-id', TENANT],
          ['--auth-authority-host', issuer.host],
        ].flat(),
        { NODE_EXTRA_CA_CERTS: cert.certFile },
      );
      const records = Array.from({ length: RECORD_COUNT }, (_, i) =>
        makeRecord({
          id: `auth-e2e-${String(i).padStart(2, '0')}`,
          start: new Date(Date.UTC(2024, 2, 1, 8, i)).toISOString(),
        }),
      );
      const loaded = await fetchWithCa(`${server.url}/api/callRecords`, ingestKey, { value: records });
      assert.equal(loaded, 200);
    });

    after(async () => {
      const code = await server?.stop();
      await issuer?.close();
      rmSync(dir, { recursive: true, force: true });
      assert.equal(code, 0);
    });

    /** POSTs through a child-free path: node:https with the certificate as CA. */
    async function fetchWithCa(url: string, credential: string, body: unknown): Promise<number> {
      const { request } = await import('node:https');
      return new Promise((resolve, reject) => {
        const req = request(
          url,
          {
            method: 'POST',
            ca: cert.cert,
            headers: { authorization: `Bearer ${credential}`, 'content-type': 'application/json' },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('error', reject);
        req.end(JSON.stringify(body));
      });
    }

    test('the Graph client with an API key as its token pages through every record', async () => {
      const outcome = await run('graph-list', key);
      assert.equal(outcome.error, undefined, JSON.stringify(outcome.error));
      assert.equal(outcome.ids?.length, RECORD_COUNT);
      assert.deepEqual(outcome.statuses, [200, 200]);
    });

    test('the Graph client with an Entra token of the test issuer pages through every record', async () => {
      const token = await signToken({
        key: issuer.published[0]!,
        now: new Date(),
        claims: { iss: issuer.issuerOf(TENANT), aud: AUDIENCE, tid: TENANT, roles: ['CallRecords.Read.All'] },
      });
      const outcome = await run('graph-list', token);
      assert.equal(outcome.error, undefined, JSON.stringify(outcome.error));
      assert.equal(outcome.ids?.length, RECORD_COUNT);
    });

    test('the Graph client with a bad token rejects with a GraphError 401 InvalidAuthenticationToken', async () => {
      const outcome = await run('graph-list', 'cr_0000000000000000_' + 'x'.repeat(43));
      assert.equal(outcome.error?.isGraphError, true, JSON.stringify(outcome.error));
      assert.equal(outcome.error?.statusCode, 401);
      assert.equal(outcome.error?.code, 'InvalidAuthenticationToken');
    });

    test('a Kiota-style request with a key reads a record with an encoded $select; without the role it is 403', async () => {
      const outcome = await run('kiota-get', key);
      assert.deepEqual(outcome.statuses, [200]);
      assert.deepEqual(Object.keys(outcome.body as object).sort(), ['@odata.context', 'id', 'startDateTime']);
      const denied = await run('kiota-get', ingestKey);
      assert.deepEqual(denied.statuses, [403]);
      assert.equal((denied.body as { error: { code: string } }).error.code, 'Authorization_RequestDenied');
    });
  });
}

async function runScenario(scenario: Scenario): Promise<void> {
  const statuses: number[] = [];
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (input, init) => {
    const response = await realFetch(input, init);
    statuses.push(response.status);
    return response;
  };
  const outcome: Outcome = { statuses };
  try {
    if (scenario.kind === 'kiota-get') {
      const url = `${scenario.baseUrl}v1.0/communications/callRecords/auth-e2e-07?%24select=id,startDateTime`;
      const response = await fetch(url, {
        headers: { authorization: `Bearer ${scenario.token}`, accept: 'application/json' },
      });
      outcome.body = await response.json();
    } else {
      const client = Client.init({
        authProvider: (done) => done(null, scenario.token),
        baseUrl: scenario.baseUrl,
        customHosts: new Set([new URL(scenario.baseUrl).hostname]),
      });
      const ids: string[] = [];
      const first = (await client.api('/communications/callRecords').get()) as { value: { id: string }[] };
      await new PageIterator(client, first, (item: { id: string }) => {
        ids.push(item.id);
        return true;
      }).iterate();
      outcome.ids = ids;
    }
  } catch (error) {
    outcome.error = {
      isGraphError: error instanceof GraphError,
      message: (error as Error).message,
      ...(error instanceof GraphError ? { statusCode: error.statusCode, code: error.code } : {}),
    };
  }
  process.stdout.write(JSON.stringify(outcome), () => process.exit(0));
}
