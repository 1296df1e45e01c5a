/**
 * `node --import tsx bench/auth-only.ts [seconds] [rounds]`: only the authentication case of `npm run bench` (GET
 * full expand with `--auth entra` against `--auth none`), on the GET benchmark's data, printed as JSON. For measuring
 * that one ratio at a quiet moment without the whole benchmark.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAuthGetBench } from './auth-get.js';
import { benchNdjson } from './bench-data.js';
import { runCli } from './child.js';

const duration = Number(process.argv[2] ?? '10');
const rounds = Number(process.argv[3] ?? '2');
const workDir = mkdtempSync(join(tmpdir(), 'callrecords-bench-auth-'));
try {
  const { file } = await benchNdjson({ records: 199, shape: 'realistic' });
  const db = `sqlite:${join(workDir, 'get.db')}`;
  const imported = await runCli(['import', file.path, '--db', db, '--no-progress']);
  if (imported.code !== 0) throw new Error(`import failed: ${imported.stderr}`);
  const result = await runAuthGetBench({ dbUrl: db, duration, connections: 10, workDir, rounds });
  process.stdout.write(
    `${JSON.stringify({
      offRequestsPerSecond: Math.round(result.off.requestsPerSecond),
      onRequestsPerSecond: Math.round(result.on.requestsPerSecond),
      ratio: Number(result.ratio.toFixed(3)),
      cpuRatio: Number(result.cpuRatio.toFixed(3)),
      cpuMicrosPerRequest: {
        off: Math.round(result.cpuMicrosPerRequest.off),
        on: Math.round(result.cpuMicrosPerRequest.on),
      },
      offP50: result.off.p50,
      onP50: result.on.p50,
    })}\n`,
  );
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
