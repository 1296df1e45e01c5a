/**
 * Child processes for the benchmarks: the real `callrecords` CLI (compiled, as installed) and small helper servers,
 * each started by id and stopped by its own handle, with wall-clock timing of whole runs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** The installed entry point; it runs `dist/`, which bench/run.ts builds when it is missing. */
export const BIN = join(import.meta.dirname, '../bin/callrecords.js');

/** How a finished child process went. */
export interface ChildRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** From spawn to exit, wall clock. */
  seconds: number;
  /**
   * The child's peak resident set size in bytes: from GNU time (`/usr/bin/time -f %M`, the kernel's maxrss at exit)
   * when it is installed, else the highest VmHWM read from /proc every PEAK_RSS_POLL_MS while it ran.
   */
  peakRssBytes: number;
  /** How peakRssBytes was measured. */
  peakRssSource: 'time' | 'proc';
}

/** How often runCli polls /proc/<pid>/status when GNU time is not installed. */
const PEAK_RSS_POLL_MS = 50;
const GNU_TIME = '/usr/bin/time';

let runs = 0;

/** Runs `node [nodeArgs] bin/callrecords.js args…` to completion. */
export async function runCli(args: readonly string[], nodeArgs: readonly string[] = []): Promise<ChildRun> {
  const command = [process.execPath, ...nodeArgs, BIN, ...args];
  const useTime = existsSync(GNU_TIME);
  const rssFile = join(tmpdir(), `callrecords-bench-rss-${process.pid}-${runs++}`);
  const started = performance.now();
  const child = useTime
    ? spawn(GNU_TIME, ['-f', '%M', '-o', rssFile, ...command], { stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(command[0]!, command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let polled = 0;
  const timer = useTime
    ? undefined
    : setInterval(() => (polled = Math.max(polled, highWaterMark(child.pid))), PEAK_RSS_POLL_MS);
  const [code] = (await once(child, 'close')) as [number | null];
  const seconds = (performance.now() - started) / 1000;
  clearInterval(timer);
  let peakRssBytes = polled;
  if (useTime) {
    peakRssBytes = Number(/(\d+)\s*$/.exec(readFileSync(rssFile, 'utf8'))?.[1] ?? 0) * 1024;
    rmSync(rssFile, { force: true });
  }
  return { code, stdout, stderr, seconds, peakRssBytes, peakRssSource: useTime ? 'time' : 'proc' };
}

/** `VmHWM` of a running process in bytes; 0 when it has gone or /proc is not there. */
function highWaterMark(pid: number | undefined): number {
  try {
    const kb = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? 0 : Number(kb) * 1024;
  } catch {
    return 0;
  }
}

/** A port that was free a moment ago on 127.0.0.1 (the server is told to listen on it). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** A long-running child that answers HTTP on `url`. */
export interface ServerChild {
  url: string;
  child: ChildProcess;
  /** Throws, with the child's stderr, when the child is no longer running. */
  assertRunning(): void;
  /** SIGTERM, then SIGKILL after 10 s; resolves when the process has exited. */
  stop(): Promise<void>;
}

/** Starts `node [nodeArgs] script args…` and resolves once `readyPath` on `url` answers 200. */
export async function startHttpChild(options: {
  nodeArgs?: readonly string[];
  script: string;
  args: readonly string[];
  url: string;
  readyPath: string;
  /** Added to the environment (e.g. NODE_EXTRA_CA_CERTS). */
  env?: NodeJS.ProcessEnv;
}): Promise<ServerChild> {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), options.script, ...options.args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...options.env },
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  const assertRunning = () => {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${options.script} exited (${child.exitCode ?? child.signalCode}): ${stderr}`);
    }
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    assertRunning();
    try {
      const response = await fetch(`${options.url}${options.readyPath}`);
      await response.arrayBuffer();
      if (response.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${options.script} did not answer within 30 s: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // Another process may have taken the port between freePort() and the child's listen(): then the child exits.
  await new Promise((resolve) => setTimeout(resolve, 200));
  assertRunning();
  return { url: options.url, child, assertRunning, stop };
}

/** Starts `callrecords serve --db <url>` on a free port with `--log-level warn`. */
export async function startService(dbUrl: string, nodeArgs: readonly string[] = []): Promise<ServerChild> {
  const port = await freePort();
  return startHttpChild({
    nodeArgs,
    script: BIN,
    args: ['serve', '--db', dbUrl, '--port', String(port), '--log-level', 'warn'],
    url: `http://127.0.0.1:${port}`,
    readyPath: '/api/health',
  });
}
