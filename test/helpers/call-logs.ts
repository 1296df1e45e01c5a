import type { FastifyInstance } from 'fastify';
import type { Json } from './json.js';

/** POSTs rows to `/api/logs/{kind}` as NDJSON (one row a line) and returns the status and parsed answer. */
export async function postLogs(
  app: FastifyInstance,
  kind: string,
  rows: readonly unknown[] | string,
  query = '',
): Promise<{ status: number; json: Json }> {
  const payload = typeof rows === 'string' ? rows : rows.map((r) => JSON.stringify(r)).join('\n');
  const res = await app.inject({
    method: 'POST',
    url: `/api/logs/${kind}${query}`,
    headers: { 'content-type': 'application/x-ndjson' },
    payload,
  });
  return { status: res.statusCode, json: res.json() };
}

/** Follows a function's pages from `url` to the last one; returns each page's body. */
export async function followPages(
  app: FastifyInstance,
  url: string,
  headers: Record<string, string> = {},
): Promise<Json[]> {
  const pages: Json[] = [];
  let next: string | undefined = url;
  while (next !== undefined) {
    const res: { statusCode: number; body: string; json(): Json } = await app.inject({
      method: 'GET',
      url: next.replace('http://localhost:80', ''),
      headers,
    });
    if (res.statusCode !== 200) throw new Error(`${res.statusCode} ${res.body}`);
    const body: Json = res.json();
    pages.push(body);
    next = body['@odata.nextLink'];
    if (pages.length > 100) throw new Error('more than 100 pages');
  }
  return pages;
}
