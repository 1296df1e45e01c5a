import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Clock } from '../clock.js';
import { AppError } from '../errors.js';
import { IngestService } from '../ingest/ingest-service.js';
import { createGraphReaders } from '../service/graph-readers.js';
import type { CallRecordStore } from '../storage/store.js';
import { INGEST_MEDIA_TYPES, ingestFormat, registerApiRoutes } from './api-routes.js';
import { graphClientErrorHandler } from './client-errors.js';
import { clientRequestId, installErrorHandler, sendError } from './error-handler.js';
import { registerGraphRoutes } from './graph-routes.js';
import { readIngestBody } from './ingest-body.js';
import {
  checkingInterval,
  DEFAULT_TIMEOUTS,
  DEFAULT_TLS_CIPHERS,
  TLS_MIN_VERSION,
  type RequestTimeouts,
} from './server-limits.js';

/** Everything the HTTP app is built from; tests pass their own store, clock and logger. */
export interface AppDeps {
  store: CallRecordStore;
  clock: Clock;
  /** The public base URL (`https://callrecords.example.com`) used in @odata.context and next links; default: from each request. */
  publicUrl?: string | undefined;
  /** The largest request body accepted, in bytes. */
  bodyLimit: number;
  /** Pino logger options, or false for none. */
  logger: FastifyServerOptions['logger'];
  /** TLS certificate and key (PEM): when given, the app serves HTTPS; `ciphers` replaces DEFAULT_TLS_CIPHERS. */
  https?: { cert: Buffer; key: Buffer; ciphers?: string | undefined } | undefined;
  /** How long a request may take to arrive (default DEFAULT_TIMEOUTS). */
  timeouts?: RequestTimeouts | undefined;
}

/**
 * Builds the HTTP app in one place: request ids, body parsing, the Graph routes, the service API and the one error
 * handler, in that order (ARCHITECTURE.md, "A request").
 */
export async function createApp(deps: AppDeps): Promise<FastifyInstance> {
  const timeouts = deps.timeouts ?? DEFAULT_TIMEOUTS;
  // Node closes a request whose headers or body arrive too slowly (slow-loris); these apply to HTTP and HTTPS.
  const serverTimeouts = {
    headersTimeout: timeouts.headersMs,
    connectionsCheckingInterval: checkingInterval(timeouts),
  };
  // The client-error handler is installed with the server, before the app's logger exists.
  const logger: { current?: FastifyInstance['log'] } = {};
  const app = Fastify({
    logger: deps.logger,
    bodyLimit: deps.bodyLimit,
    genReqId: () => randomUUID(),
    return503OnClosing: false,
    // Record ids are long opaque strings; Fastify's default of 100 characters would cut them off.
    routerOptions: { maxParamLength: 2048 },
    // Errors Fastify raises before routing (a malformed URL) get the Graph shape and the request headers too.
    frameworkErrors: (error, request, reply) => {
      void reply.header('request-id', request.id).header('client-request-id', clientRequestId(request));
      const message = error.code === 'FST_ERR_BAD_URL' ? `The URL is not valid: ${request.url}` : error.message;
      sendError(request, reply, deps.clock, 'BadRequest', message);
    },
    forceCloseConnections: 'idle',
    requestTimeout: timeouts.requestMs,
    http: serverTimeouts,
    clientErrorHandler: graphClientErrorHandler(deps.clock, () => logger.current!),
    // An absolute-form target (`GET http://host/v1.0/…`, RFC 9112 §3.2.2) is routed by its path.
    rewriteUrl: (req) => (req.url ?? '/').replace(/^https?:\/\/[^/?#]*/i, '') || '/',
    ...(deps.https === undefined
      ? {}
      : {
          https: {
            cert: deps.https.cert,
            key: deps.https.key,
            minVersion: TLS_MIN_VERSION,
            ciphers: deps.https.ciphers ?? DEFAULT_TLS_CIPHERS,
            honorCipherOrder: true,
            ...serverTimeouts,
          },
        }),
  }) as unknown as FastifyInstance;
  logger.current = app.log;

  // Once the server is closing, new requests on kept-alive connections get a Graph-shaped 503.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async (request, reply) => {
    void reply.header('request-id', request.id).header('client-request-id', clientRequestId(request));
    if (closing) throw new AppError('serviceNotAvailable', 'The server is shutting down; retry shortly.');
  });
  // A response finished while closing ends its kept-alive connection, so close() need not wait for the client's idle
  // timeout on a connection that was busy when shutdown began.
  app.addHook('onSend', async (_request, reply, payload) => {
    if (closing) void reply.header('connection', 'close');
    return payload;
  });

  // Bodies are split into records as they arrive (ingest-body.ts): too many records are refused before the rest is
  // read, invalid UTF-8 is refused rather than replaced, and errors come with line numbers.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser([...INGEST_MEDIA_TYPES.json, ...INGEST_MEDIA_TYPES.ndjson], (request, payload, done) => {
    const options = {
      format: ingestFormat(request.headers['content-type']),
      bodyLimit: deps.bodyLimit,
      contentLength: request.headers['content-length'],
    };
    readIngestBody(payload, options).then(
      (body) => done(null, body),
      (error: Error) => done(error, undefined),
    );
  });

  installErrorHandler(app, deps.clock);
  registerGraphRoutes(app, await createGraphReaders(deps.store), deps.publicUrl);
  registerApiRoutes(app, deps.store, new IngestService(deps.store, deps.clock));
  return app;
}
