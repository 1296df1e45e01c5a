/**
 * `callrecords graph-simulator` as a process, with a real HTTP subscriber: the validation handshake, a `created`
 * notification before the record can be read (404 until ready), then the record, with `--speed` shortening the wait.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordsEndingAt } from './helpers/shifted-records.js';
import { startSimulator, type SimulatorProcess } from './helpers/simulator-process.js';
import { createSelfSignedCert, type SelfSignedCert } from './helpers/tls.js';

let dir: string;
let cert: SelfSignedCert;
let sim: SimulatorProcess;
let receiver: Server;
let receiverUrl: string;
let recordId: string;
let callEnd: number;
const validations: string[] = [];
const notifications: Record<string, unknown>[] = [];
let notified: () => void;
const firstNotification = new Promise<void>((resolve) => (notified = resolve));

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'callrecords-simulator-notify-'));
  cert = createSelfSignedCert(dir);
  // One call that ends 12 s from now (time for the simulator to start and the test to subscribe): announced at once
  // after its end, readable 15–60 simulated minutes later.
  callEnd = Date.now() + 12_000;
  const [record] = recordsEndingAt(new Date(callEnd));
  recordId = record!.id as string;
  writeFileSync(join(dir, 'tenant.ndjson'), `${JSON.stringify(record)}\n`);
  receiver = createServer((req, res) => {
    const token = new URL(req.url!, 'http://x').searchParams.get('validationToken');
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      if (token !== null) {
        validations.push(req.url!);
        res.writeHead(200, { 'content-type': 'text/plain' }).end(token);
        return;
      }
      notifications.push(...(JSON.parse(body) as { value: Record<string, unknown>[] }).value);
      notified();
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  sim = await startSimulator([
    ...['--tls-cert', cert.certFile, '--tls-key', cert.keyFile, '--records', join(dir, 'tenant.ndjson')],
    ...['--faults', '404', '--speed', '900', '--client-secret', 's3cret'],
  ]);
});

after(async () => {
  await sim?.stop();
  receiver?.close();
  rmSync(dir, { recursive: true, force: true });
});

// One HTTPS request to the simulator, trusting its certificate only.
function call(
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${sim.url}${path}`, { method, ca: cert.cert, headers: options.headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

test('a subscriber is validated, told of a record before it can be read, and can read it soon after', async () => {
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: '11111111-2222-3333-4444-555555555555',
    client_secret: 's3cret',
    scope: 'https://graph.microsoft.com/.default',
  }).toString();
  const token = await call('POST', '/00000000-0000-0000-0000-00000000c0de/oauth2/v2.0/token', {
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form,
  });
  assert.equal(token.status, 200, token.body);
  const authorization = `Bearer ${(JSON.parse(token.body) as { access_token: string }).access_token}`;
  const subscription = await call('POST', '/v1.0/subscriptions', {
    headers: { authorization, 'content-type': 'application/json' },
    body: JSON.stringify({
      changeType: 'created,updated',
      notificationUrl: `${receiverUrl}/notify`,
      resource: '/communications/callRecords',
      expirationDateTime: new Date(Date.now() + 4000 * 60_000).toISOString(),
      clientState: 'shh',
    }),
  });
  assert.equal(subscription.status, 201, subscription.body);
  assert.ok(Date.now() < callEnd, 'subscribed before the call ended (the simulator started in time)');
  assert.equal(validations.length, 1, 'the handshake reached the subscriber');

  await firstNotification;
  const [first] = notifications;
  assert.equal(first!.changeType, 'created');
  assert.equal(first!.clientState, 'shh');
  assert.equal((first!.resourceData as { id: string }).id, recordId);
  const early = await call('GET', `/v1.0/communications/callRecords/${recordId}`, { headers: { authorization } });
  assert.equal(early.status, 404, 'announced before it is ready');

  // 15–60 simulated minutes at 900× are 1–4 s.
  const deadline = Date.now() + 20_000;
  let status = 404;
  while (status === 404 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    status = (await call('GET', `/v1.0/communications/callRecords/${recordId}`, { headers: { authorization } })).status;
  }
  assert.equal(status, 200);
  const stats = JSON.parse((await call('GET', '/_simulator/stats')).body) as {
    tenant: { versionsPending: number };
    notifications: { delivered: number; repeatsLeftOut: number };
  };
  assert.equal(stats.tenant.versionsPending, 0);
  assert.equal(stats.notifications.delivered, 1);
});
