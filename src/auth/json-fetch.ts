import { request } from 'node:https';
import type { Fetch } from '../runtime/runtime.js';

/** Reads a JSON document over HTTPS (OpenID metadata, a JWKS); rejects on a non-2xx answer, bad JSON or a timeout. */
export type JsonFetch = (url: string) => Promise<unknown>;

const TIMEOUT_MS = 10_000;
const MAX_BYTES = 1024 * 1024;

/** A `JsonFetch` over a `fetch` (the runtime's, `globalThis.fetch` by default, which honours NODE_EXTRA_CA_CERTS). */
export function jsonFetchOf(fetch: Fetch): JsonFetch {
  return async (url) => {
    const response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS), redirect: 'error' });
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
    return (await response.json()) as unknown;
  };
}

/**
 * A `JsonFetch` over node:https that trusts `ca` (PEM) besides the usual roots when given: for an issuer whose
 * certificate a private CA signed (a test issuer on 127.0.0.1, an on-premises proxy).
 */
export function httpsJsonFetch(options: { ca?: Buffer | undefined } = {}): JsonFetch {
  return (url) =>
    new Promise((resolve, reject) => {
      const req = request(url, { ca: options.ca, timeout: TIMEOUT_MS }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BYTES) req.destroy(new Error(`${url} sent more than ${MAX_BYTES} bytes`));
          else chunks.push(chunk);
        });
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status < 200 || status > 299) return reject(new Error(`${url} answered ${status}`));
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown);
          } catch {
            reject(new Error(`${url} did not answer JSON`));
          }
        });
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`${url} did not answer within ${TIMEOUT_MS} ms`)));
      req.on('error', reject);
      req.end();
    });
}
