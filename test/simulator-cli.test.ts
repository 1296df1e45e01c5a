/**
 * `callrecords graph-simulator` as a process over HTTPS: a real MSAL client (`@azure/msal-node`) gets tokens from it
 * with a secret and with a certificate, Graph reads work with them, and `callrecords export` of the simulator's
 * database gives what `/_simulator/records` shows.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './helpers/server-process.js';
import { startSimulator, type SimulatorProcess } from './helpers/simulator-process.js';
import { createSelfSignedCert, httpsJson, type SelfSignedCert } from './helpers/tls.js';

const TENANT = 'c0ffee00-0000-4000-8000-000000000001';
const CLIENT = 'a1b2c3d4-0000-4000-8000-000000000002';
const SECRET = 'the-secret';

let dir: string;
let cert: SelfSignedCert;
let sim: SimulatorProcess;
let dbFile: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'callrecords-simulator-'));
  cert = createSelfSignedCert(dir);
  dbFile = join(dir, 'tenant.db');
  sim = await startSimulator([
    ...['--tls-cert', cert.certFile, '--tls-key', cert.keyFile, '--db', `sqlite:${dbFile}`],
    ...['--calls', '30', '--days', '3', '--seed', '5', '--faults', 'none'],
    ...['--tenant-id', TENANT, '--client-id', CLIENT, '--client-secret', SECRET],
    // The server's certificate doubles as the app's: MSAL signs its client assertion with the same key.
    ...['--client-certificate', cert.certFile],
  ]);
});

after(async () => {
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

// Runs MSAL in a child process that trusts the simulator's certificate (NODE_EXTRA_CA_CERTS, as an operator would),
// gets a token with each credential, reads the record list with it, and reports what happened as JSON.
const MSAL_CLIENT = `
import { ConfidentialClientApplication } from '@azure/msal-node';
const env = process.env;
const host = new URL(env.AUTHORITY).host;
const result = {};
async function attempt(name, credentials) {
  try {
    const app = new ConfidentialClientApplication({
      auth: { clientId: env.CLIENT_ID, authority: env.AUTHORITY, knownAuthorities: [host], ...credentials },
    });
    const scopes = [env.GRAPH + '/.default'];
    const first = await app.acquireTokenByClientCredential({ scopes });
    const again = await app.acquireTokenByClientCredential({ scopes });
    const res = await fetch(env.GRAPH + '/v1.0/communications/callRecords', {
      headers: { authorization: 'Bearer ' + first.accessToken },
    });
    const body = await res.json();
    result[name] = { status: res.status, count: body.value?.length, cached: first.accessToken === again.accessToken };
  } catch (error) {
    result[name] = { error: error.errorCode ?? error.message };
  }
}
await attempt('secret', { clientSecret: env.SECRET });
await attempt('certificate', { clientCertificate: { thumbprintSha256: env.THUMBPRINT, privateKey: env.KEY } });
await attempt('wrongSecret', { clientSecret: 'not-the-secret' });
process.stdout.write(JSON.stringify(result));
`;

test('a real MSAL client gets tokens with a secret and with a certificate, and Graph serves it', () => {
  const thumbprint = new X509Certificate(cert.cert).fingerprint256.replaceAll(':', '');
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', MSAL_CLIENT], {
    cwd: join(import.meta.dirname, '..'),
    encoding: 'utf8',
    timeout: 60_000,
    env: {
      ...process.env,
      NODE_EXTRA_CA_CERTS: cert.certFile,
      AUTHORITY: `${sim.url}/${TENANT}`,
      GRAPH: sim.url,
      CLIENT_ID: CLIENT,
      SECRET,
      THUMBPRINT: thumbprint,
      KEY: readFileSync(cert.keyFile, 'utf8'),
    },
  });
  assert.equal(run.status, 0, run.stderr);
  const result = JSON.parse(run.stdout) as Record<
    string,
    { status?: number; count?: number; cached?: boolean; error?: string }
  >;
  assert.equal(result.secret!.status, 200, JSON.stringify(result));
  assert.ok(result.secret!.count! > 0);
  assert.equal(result.secret!.cached, true, 'MSAL caches the token it got');
  assert.equal(result.certificate!.status, 200, JSON.stringify(result));
  assert.match(String(result.wrongSecret!.error), /invalid_client/);
});

test('`callrecords export --db` of the simulator database gives the records /_simulator/records shows', async () => {
  const shown = await new Promise<string>((resolve, reject) => {
    import('node:https')
      .then(({ get }) =>
        get(`${sim.url}/_simulator/records`, { ca: cert.cert }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (text += d));
          res.on('end', () => resolve(text));
        }).on('error', reject),
      )
      .catch(reject);
  });
  const exported = runCli(['export', '--db', `sqlite:${dbFile}`]);
  assert.equal(exported.code, 0, exported.stderr);
  const ids = (text: string) =>
    text
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { id: string }).id)
      .sort();
  assert.ok(ids(shown).length >= 30, 'every call has ended and is visible (no 404 fault), plus the big meeting');
  assert.deepEqual(ids(exported.stdout), ids(shown));
  const stats = await httpsJson(`${sim.url}/_simulator/stats`, { ca: cert.cert });
  assert.equal((stats.body as { tenant: { versionsPending: number } }).tenant.versionsPending, 0);
});
