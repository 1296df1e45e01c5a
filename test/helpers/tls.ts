import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';

/** A self-signed certificate and its key, as PEM files and as the certificate's bytes. */
export interface SelfSignedCert {
  certFile: string;
  keyFile: string;
  /** The certificate (PEM): the only CA a client needs to trust it. */
  cert: Buffer;
}

/**
 * Creates a one-day self-signed certificate for `127.0.0.1` and `localhost` in `dir` with openssl. Node checks the
 * subjectAltName, not the CN, so both names are listed there.
 */
export function createSelfSignedCert(dir: string): SelfSignedCert {
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  const result = spawnSync(
    'openssl',
    [
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost'],
      ['-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'],
      ['-keyout', keyFile, '-out', certFile],
    ].flat(),
    { encoding: 'utf8', timeout: 20_000 },
  );
  if (result.status !== 0) {
    throw new Error(`openssl req failed (status ${result.status}): ${result.error?.message ?? result.stderr}`);
  }
  return { certFile, keyFile, cert: readFileSync(certFile) };
}

/** A response read in full: status, headers and the body parsed as JSON. */
export interface JsonResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/**
 * Sends one HTTPS request that trusts only `ca` (the certificate is verified, never skipped) and parses the answer as
 * JSON. `body`, when given, is sent as `application/json`.
 */
export function httpsJson(
  url: string,
  options: { ca: Buffer; method?: string; body?: unknown },
): Promise<JsonResponse> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: options.method ?? 'GET',
        ca: options.ca,
        headers: payload === undefined ? {} : { 'content-type': 'application/json' },
        timeout: 20_000,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          try {
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(text) });
          } catch {
            reject(new Error(`${url} answered ${res.statusCode} with a body that is not JSON: ${text.slice(0, 500)}`));
          }
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${url} did not answer within 20 s`)));
    req.on('error', reject);
    req.end(payload);
  });
}
