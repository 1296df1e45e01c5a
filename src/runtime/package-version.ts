import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The version in package.json (src/runtime and dist/runtime are both two levels below the package root). */
export function packageVersion(): string {
  const file = join(import.meta.dirname, '../../package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}
