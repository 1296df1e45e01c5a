/**
 * The cost of authentication on the read path: the full-expand GET of one record against `callrecords serve` with
 * `--auth none` and with `--auth entra` (tokens of a test issuer over HTTPS; the JWKS fetched once and every request
 * carrying the same, cached, token), both servers on the same database, run alternately so that other work on the
 * machine weighs on both alike (ABBA order). Issue 11's target: on ÷ off ≥ 0.9.
 */
import autocannon from 'autocannon';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { issuerKey, signToken, TestIssuer } from '../test/helpers/test-issuer.js';
import { createSelfSignedCert } from '../test/helpers/tls.js';
import { BIN, freePort, startHttpChild, type ServerChild } from './child.js';
import type { LoadFigures } from './get-expand.js';

const TENANT = '0b1a4b4e-1c4e-4f3e-9d7a-333333333333';
const AUDIENCE = 'api://callrecords-bench';
const EXPAND = '?$expand=sessions($expand=segments)';

/** What the comparison measured: the best run of each server, and their ratio. */
export interface AuthGetResult {
  off: LoadFigures;
  on: LoadFigures;
  /** on.requestsPerSecond / off.requestsPerSecond. */
  ratio: number;
  /**
   * The server's CPU time (user + system) per request with authentication off ÷ on, over all runs: what the
   * throughput ratio would be on a machine the server has to itself (on a shared one, wall-clock figures swing).
   */
  cpuRatio: number;
  /** CPU microseconds per request, off and on. */
  cpuMicrosPerRequest: { off: number; on: number };
  rounds: number;
  recordId: string;
}

/** Measures GET with authentication off and on, `rounds` alternating runs of each, on the database `dbUrl`. */
export async function runAuthGetBench(options: {
  dbUrl: string;
  duration: number;
  connections: number;
  workDir: string;
  rounds: number;
}): Promise<AuthGetResult> {
  const dir = mkdtempSync(join(options.workDir, 'auth-'));
  const cert = createSelfSignedCert(dir);
  const key = await issuerKey('bench-key');
  const issuer = await TestIssuer.start([key], cert);
  const servers: ServerChild[] = [];
  try {
    const off = await serve(options.dbUrl, ['--auth', 'none'], {});
    servers.push(off);
    const on = await serve(
      options.dbUrl,
      [
        '--auth',
        'entra',
        '--auth-audience',
        AUDIENCE,
        '--auth-tenant-id',
        TENANT,
        '--auth-authority-host',
        issuer.host,
      ],
      { NODE_EXTRA_CA_CERTS: cert.certFile },
    );
    servers.push(on);
    const token = await signToken({
      key,
      now: new Date(),
      claims: { iss: issuer.issuerOf(TENANT), aud: AUDIENCE, tid: TENANT, roles: ['CallRecords.Read.All'] },
    });
    const headers = { authorization: `Bearer ${token}` };
    const list = (await (await fetch(`${off.url}/v1.0/communications/callRecords`)).json()) as {
      value: { id: string }[];
    };
    const recordId = list.value[0]!.id;
    const path = `/v1.0/communications/callRecords/${recordId}${EXPAND}`;
    const check = await fetch(`${on.url}${path}`, { headers });
    if (check.status !== 200) throw new Error(`GET with a token answered ${check.status}: ${await check.text()}`);
    const offRuns: LoadFigures[] = [];
    const onRuns: LoadFigures[] = [];
    const cpu = { off: { micros: 0, requests: 0 }, on: { micros: 0, requests: 0 } };
    const measure = async (which: 'off' | 'on') => {
      const server = which === 'off' ? off : on;
      const before = cpuMicros(server);
      const figures = await load(`${server.url}${path}`, which === 'off' ? {} : headers, options);
      cpu[which].micros += cpuMicros(server) - before;
      cpu[which].requests += figures.requests;
      (which === 'off' ? offRuns : onRuns).push(figures);
    };
    // Off-on, then on-off (ABBA): a drift of the machine's load over the run weighs on both alike.
    for (let round = 0; round < options.rounds; round++) {
      for (const which of round % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const)) await measure(which);
    }
    const perRequest = { off: cpu.off.micros / cpu.off.requests, on: cpu.on.micros / cpu.on.requests };
    const best = (runs: LoadFigures[]) => runs.reduce((a, b) => (b.requestsPerSecond > a.requestsPerSecond ? b : a));
    const [bestOff, bestOn] = [best(offRuns), best(onRuns)];
    return {
      off: bestOff,
      on: bestOn,
      ratio: bestOn.requestsPerSecond / bestOff.requestsPerSecond,
      cpuRatio: perRequest.off / perRequest.on,
      cpuMicrosPerRequest: perRequest,
      rounds: options.rounds,
      recordId,
    };
  } finally {
    for (const server of servers) await server.stop();
    await issuer.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function serve(dbUrl: string, args: string[], env: NodeJS.ProcessEnv): Promise<ServerChild> {
  const port = await freePort();
  return startHttpChild({
    script: BIN,
    args: ['serve', '--db', dbUrl, '--port', String(port), '--log-level', 'warn', ...args],
    url: `http://127.0.0.1:${port}`,
    readyPath: '/v1.0/$metadata',
    env,
  });
}

async function load(
  url: string,
  headers: Record<string, string>,
  options: { duration: number; connections: number },
): Promise<LoadFigures> {
  await autocannon({ url, headers, connections: options.connections, duration: 1 });
  const result = await autocannon({ url, headers, connections: options.connections, duration: options.duration });
  if (result.errors > 0 || result.timeouts > 0 || result.non2xx > 0) {
    throw new Error(`${url}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx`);
  }
  return {
    requestsPerSecond: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    mbPerSecond: result.throughput.total / 1e6 / result.duration,
    requests: result.requests.total,
  };
}

const CLOCK_TICKS_PER_SECOND = 100;

/** The CPU time a server child has used so far (user + system, from /proc/<pid>/stat), in microseconds. */
function cpuMicros(server: ServerChild): number {
  const stat = readFileSync(`/proc/${server.child.pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces, so split after its closing parenthesis): utime is the
  // 14th field of the line, stime the 15th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1e6) / CLOCK_TICKS_PER_SECOND;
}
