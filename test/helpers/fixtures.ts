import type { Json } from './json.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Graph's documented examples, copied into test/fixtures/graph-docs (its README names each one's page). */
export const FIXTURES_DIR = join(import.meta.dirname, '../fixtures/graph-docs');

/** A documented response body, parsed. */
export function fixtureJson(name: string): Json {
  return JSON.parse(readFileSync(join(FIXTURES_DIR, name), 'utf8'));
}

/** The path and query of a documented request line (`GET https://graph.microsoft.com/v1.0/...`). */
export function fixtureRequestPath(name: string): string {
  const line = readFileSync(join(FIXTURES_DIR, name), 'utf8').split('\n')[0]!;
  const url = line.replace(/^GET\s+/, '').trim();
  // The docs print spaces unencoded (fixtures README); a client would encode them.
  return url.replace('https://graph.microsoft.com', '').replaceAll(' ', '%20');
}
