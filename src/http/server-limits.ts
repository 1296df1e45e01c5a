/**
 * Limits of the HTTP server itself: how long a request may take to arrive, which TLS versions and cipher suites it
 * speaks, how the HTTP parser's own refusals are answered, and absolute-form request targets. Documented in
 * docs/api.md ("Limits") and the README's option table (`--tls-ciphers`).
 */
import type { IncomingMessage } from 'node:http';
import { createSecureContext } from 'node:tls';
import type { Clock } from '../clock.js';
import { ConfigError } from '../errors.js';
import { graphClientErrorHandler } from './client-errors.js';

/** How long a request's headers, and the whole request with its body, may take to arrive. */
export interface RequestTimeouts {
  /** From the connection's first byte of a request to the end of its headers. */
  headersMs: number;
  /** From the first byte to the last byte of the body; a slower request is answered 408 and closed. */
  requestMs: number;
}

/** 30 s for the headers and 120 s for a whole request: a 32 MiB body needs about 280 KB/s. */
export const DEFAULT_TIMEOUTS: RequestTimeouts = { headersMs: 30_000, requestMs: 120_000 };

/** The TLS versions served: 1.2 and 1.3 (older ones are broken or deprecated, RFC 8996). */
const TLS_MIN_VERSION = 'TLSv1.2';

/**
 * The default cipher suites (OpenSSL names): the TLS 1.3 suites and, for TLS 1.2, only ECDHE key exchange with an
 * AEAD cipher, so every session is forward-secret. `--tls-ciphers` replaces the list.
 */
const DEFAULT_TLS_CIPHERS = [
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
].join(':');

/** A TLS certificate and key (PEM), and optionally the cipher suites that replace the default ones. */
export interface TlsFiles {
  cert: Buffer;
  key: Buffer;
  ciphers?: string | undefined;
}

/**
 * Checks that OpenSSL can use a certificate and key (PEM, and a key that matches the certificate): otherwise a
 * `ConfigError` naming OpenSSL's reason, so that a file that is no PEM stops the start with one line, not a stack.
 */
export function checkTls(tls: TlsFiles): void {
  try {
    createSecureContext({ cert: tls.cert, key: tls.key });
  } catch (error) {
    throw new ConfigError(`the TLS certificate and key cannot be used: ${(error as Error).message}`, { cause: error });
  }
}

/** How often Node checks for requests past their timeouts: often enough that a timeout is kept within a quarter. */
function checkingInterval(timeouts: RequestTimeouts): number {
  return Math.max(10, Math.min(5_000, Math.floor(timeouts.headersMs / 4), Math.floor(timeouts.requestMs / 4)));
}

/**
 * The Fastify server options that enforce these limits, for createApp to spread into its own: request timeouts, the
 * Graph-shaped answer to the parser's errors, routing of absolute-form targets, and TLS when `https` is given.
 */
export function serverLimitOptions(options: {
  clock: Clock;
  timeouts?: RequestTimeouts | undefined;
  https?: TlsFiles | undefined;
}) {
  const timeouts = options.timeouts ?? DEFAULT_TIMEOUTS;
  // Node closes a request whose headers or body arrive too slowly (slow-loris); these apply to HTTP and HTTPS.
  const server = { headersTimeout: timeouts.headersMs, connectionsCheckingInterval: checkingInterval(timeouts) };
  const https = options.https;
  return {
    requestTimeout: timeouts.requestMs,
    http: server,
    clientErrorHandler: graphClientErrorHandler(options.clock),
    // An absolute-form target (`GET http://host/v1.0/…`, RFC 9112 §3.2.2) is routed by its path.
    rewriteUrl: (req: IncomingMessage) => (req.url ?? '/').replace(/^https?:\/\/[^/?#]*/i, '') || '/',
    ...(https === undefined
      ? {}
      : {
          https: {
            cert: https.cert,
            key: https.key,
            minVersion: TLS_MIN_VERSION,
            ciphers: https.ciphers ?? DEFAULT_TLS_CIPHERS,
            honorCipherOrder: true,
            ...server,
          },
        }),
  };
}
