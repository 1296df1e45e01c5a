import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** The installed entry point, run from the compiled `dist/` (`npm test` builds first). */
export const BIN = join(import.meta.dirname, '../../bin/callrecords.js');

/** How a `callrecords …` run ended: its exit code and what it wrote. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `callrecords args…` to completion, with `input` on stdin and `env` added to the environment. */
export function runCli(args: readonly string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}): CliRun {
  const res = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    input: options.input,
    env: { ...process.env, ...options.env },
    maxBuffer: 256 << 20,
  });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

/** A `callrecords …` run that goes on while the test does other things (`runCli` blocks the event loop). */
export interface CliProcess {
  child: ChildProcess;
  /** Resolves when it has ended. */
  done: Promise<CliRun>;
}

/** Starts `callrecords args…` with `env` added; write its stdin through `child.stdin` (and end it), or it gets none. */
export function spawnCli(
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; stdin?: boolean } = {},
): CliProcess {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, ...options.env },
    stdio: [options.stdin === true ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliRun>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { child, done };
}

/** A real `callrecords serve` process on a free port. */
export interface ServerProcess {
  child: ChildProcess;
  /** `http://127.0.0.1:PORT` or `https://…`, as the server logged it. */
  url: string;
  /** Log lines the server wrote so far (JSON). */
  logs: string[];
  /**
   * Resolves to the first log line (so far or to come) that `matches`; rejects if the server's output ends without
   * one, so a test waits on the line itself rather than polling.
   */
  waitForLog(matches: (line: string) => boolean): Promise<string>;
  /** Sends a signal and resolves to the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts `callrecords serve --port 0 …args` and resolves once it is serving: it learns the port from the server's
 * "Server listening at" log line and waits for "callrecords is serving", logged once the server listens and before
 * the background jobs start, so the log level must be info or lower.
 */
export async function startServer(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  options: { startTimeoutMs?: number } = {},
): Promise<ServerProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const waiters = new Set<{ matches(line: string): boolean; resolve(line: string): void; reject(e: Error): void }>();
  let ended = false;
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start: ${stderr}`));
    }, options.startTimeoutMs ?? 20_000);
    let listening: string | undefined;
    const lines = createInterface({ input: child.stdout! });
    lines.on('close', () => {
      ended = true;
      for (const waiter of waiters) waiter.reject(new Error(`the server's log ended; it wrote:\n${logs.join('\n')}`));
      waiters.clear();
    });
    lines.on('line', (line) => {
      logs.push(line);
      for (const waiter of waiters) {
        if (!waiter.matches(line)) continue;
        waiters.delete(waiter);
        waiter.resolve(line);
      }
      const match = /Server listening at (https?:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (match) listening = match[1]!;
      if (listening !== undefined && line.includes('"msg":"callrecords is serving"')) {
        clearTimeout(timer);
        resolve(listening);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${stderr}`));
    });
  });
  return {
    child,
    url,
    logs,
    waitForLog: (matches) => {
      const found = logs.find(matches);
      if (found !== undefined) return Promise.resolve(found);
      if (ended) return Promise.reject(new Error(`the server's log ended; it wrote:\n${logs.join('\n')}`));
      return new Promise((resolve, reject) => waiters.add({ matches, resolve, reject }));
    },
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode !== null) return child.exitCode;
      const exited = once(child, 'exit');
      child.kill(signal);
      const [code] = (await exited) as [number | null];
      return code;
    },
  };
}
