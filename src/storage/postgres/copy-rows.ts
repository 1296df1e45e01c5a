import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type { ColumnValue } from '../record-tables.js';

/** A value COPY's text format can carry: text, a whole number, bytes (bytea), or null. */
export type CopyValue = ColumnValue;

const HAS_SPECIAL = /[\\\t\n\r]/;
const SPECIAL = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const CHUNK = 1 << 20;

/** One field in COPY text format: backslash, tab and line breaks escaped; bytea as `\\x` + hex; null as `\N`. */
function field(value: CopyValue): string {
  if (value === null) return '\\N';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return HAS_SPECIAL.test(value) ? value.replace(SPECIAL, (c) => ESCAPES[c]!) : value;
  return `\\\\x${value.toString('hex')}`;
}

/** One row as a line of COPY's text format. */
export function copyLine(row: readonly CopyValue[]): string {
  return row.map(field).join('\t') + '\n';
}

/**
 * Sends rows into `table (columns)` with one `COPY … FROM STDIN` (PostgreSQL's bulk path: no per-row statement, no
 * per-row round trip). The rows are encoded before the COPY starts, in chunks of about 1 MiB, so a bad value fails
 * before anything is sent and leaves the connection usable for the rollback; the promise settles when the server has
 * taken them all.
 */
export async function copyRows(
  client: pg.PoolClient,
  table: string,
  columns: readonly string[],
  rows: Iterable<readonly CopyValue[]>,
): Promise<void> {
  const chunks: string[] = [];
  let lines: string[] = [];
  let size = 0;
  for (const row of rows) {
    const line = copyLine(row);
    lines.push(line);
    size += line.length;
    if (size >= CHUNK) {
      chunks.push(lines.join(''));
      lines = [];
      size = 0;
    }
  }
  chunks.push(lines.join(''));
  const stream = client.query(copyFrom(`copy ${table} (${columns.join(', ')}) from stdin`));
  for (const chunk of chunks) {
    if (!stream.write(chunk)) await once(stream, 'drain');
  }
  stream.end();
  await finished(stream);
}
