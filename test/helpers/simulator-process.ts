import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { BIN } from './server-process.js';

/** A real `callrecords graph-simulator` process on a free port. */
export interface SimulatorProcess {
  child: ChildProcess;
  /** `https://127.0.0.1:PORT` (or `http://…` without a certificate): the Graph URL and the authority host. */
  url: string;
  /** Log lines so far (JSON). */
  logs: string[];
  /** Sends a signal and resolves to the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts `callrecords graph-simulator --port 0 …args` and resolves once it logs "graph simulator is serving" (after
 * the tenant is loaded), with the URL it serves at. The log level must be info or lower.
 */
export async function startSimulator(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  options: { startTimeoutMs?: number } = {},
): Promise<SimulatorProcess> {
  const child = spawn(process.execPath, [BIN, 'graph-simulator', '--port', '0', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the simulator did not start: ${stderr}\n${logs.join('\n')}`));
    }, options.startTimeoutMs ?? 60_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      logs.push(line);
      if (!line.includes('"msg":"graph simulator is serving"')) return;
      clearTimeout(timer);
      resolve((JSON.parse(line) as { graphUrl: string }).graphUrl);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the simulator exited with ${code}: ${stderr}`));
    });
  });
  return {
    child,
    url,
    logs,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode !== null) return child.exitCode;
      const exited = once(child, 'exit');
      child.kill(signal);
      const [code] = (await exited) as [number | null];
      return code;
    },
  };
}
