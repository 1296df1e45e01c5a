/** Pino's numeric levels and the names `--log-format pretty` shows for them. */
const LEVEL_NAMES: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};

// Members every line has, shown in their own place (or not at all: pid and hostname say nothing to a person).
const OMITTED = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'reqId', 'req', 'res', 'err', 'responseTime']);

/**
 * A destination for pino that writes each JSON log line as one line a person reads: time, level, request id,
 * message, then the other members as `key=value`; an error's stack follows on its own lines. A line that is not
 * JSON is passed on as it is.
 */
export function prettyLogStream(out: NodeJS.WritableStream): { write(line: string): void } {
  return { write: (line) => void out.write(prettyLine(line)) };
}

/** One pino JSON line in the `--log-format pretty` form (exported for tests). */
export function prettyLine(line: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line.endsWith('\n') ? line : `${line}\n`;
  }
  const time = typeof entry.time === 'number' ? new Date(entry.time).toISOString().slice(11, 23) : '';
  const level = LEVEL_NAMES[entry.level as number] ?? String(entry.level);
  const parts = [time, level.padEnd(5)];
  if (typeof entry.reqId === 'string') parts.push(`[${entry.reqId.slice(0, 8)}]`);
  parts.push(String(entry.msg ?? ''));
  const req = entry.req as { method?: string; url?: string } | undefined;
  if (req?.method !== undefined) parts.push(`${req.method} ${req.url ?? ''}`);
  const res = entry.res as { statusCode?: number } | undefined;
  if (res?.statusCode !== undefined) parts.push(String(res.statusCode));
  if (typeof entry.responseTime === 'number') parts.push(`${entry.responseTime.toFixed(1)} ms`);
  for (const [key, value] of Object.entries(entry)) {
    if (!OMITTED.has(key)) parts.push(`${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  }
  const err = entry.err as { stack?: string; message?: string } | undefined;
  const stack = err === undefined ? '' : `\n    ${(err.stack ?? err.message ?? '').split('\n').join('\n    ')}`;
  return `${parts.join(' ')}${stack}\n`;
}
