import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../clock.js';
import { AppError, type ErrorCode } from '../errors.js';
import { isDatabaseUnavailable } from '../storage/unavailable.js';
import { ERROR_STATUS, RETRY_AFTER_SECONDS, graphErrorBody } from './error-response.js';

// Fastify's own request errors, as Graph codes; any other 4xx from Fastify is a BadRequest.
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'requestEntityTooLarge',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupportedMediaType',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BadRequest',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalidJson',
  FST_ERR_BAD_URL: 'BadRequest',
};

/** What a client is told when the database cannot be reached; the driver's error goes to the log only. */
const DATABASE_UNAVAILABLE = 'The database is not available.';

/**
 * The one error handler, which every HTTP surface installs in its own context (with the not-found handler): an
 * AppError becomes its status and the Graph error body (https://learn.microsoft.com/graph/errors); a driver error
 * that means the database is unreachable (src/storage/unavailable.ts) becomes 503 `serviceNotAvailable` with
 * `Retry-After`; anything else unexpected is logged with the request id and answered 500 `generalException` without
 * internals.
 */
export function installErrorHandler(app: FastifyInstance, clock: Clock): void {
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    let code: ErrorCode;
    let message = error.message;
    if (error instanceof AppError) {
      code = error.code;
      if (error.cause !== undefined) request.log.error({ err: error.cause }, error.message);
    } else if (error.code !== undefined && FASTIFY_CODES[error.code] !== undefined) {
      code = FASTIFY_CODES[error.code]!;
      if (code === 'requestEntityTooLarge')
        message = `The request body is larger than the limit of ${app.initialConfig.bodyLimit} bytes.`;
      if (code === 'unsupportedMediaType')
        message = `Content type '${request.headers['content-type'] ?? ''}' is not supported; send application/json or application/x-ndjson.`;
    } else if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      code = 'BadRequest';
    } else if (isDatabaseUnavailable(error)) {
      // The driver's message can name the database's host, user or path: it goes to the log, not to the caller.
      request.log.error({ err: error }, 'the database is not available');
      code = 'serviceNotAvailable';
      message = DATABASE_UNAVAILABLE;
    } else {
      request.log.error({ err: error }, 'unexpected error');
      code = 'generalException';
      message = `An unexpected error occurred. Quote request id ${request.id} when reporting it.`;
    }
    sendError(request, reply, clock, code, message, error instanceof AppError ? error.details : undefined);
  });

  app.setNotFoundHandler((request, reply) => {
    sendError(request, reply, clock, 'NotFound', `No resource at ${request.method} ${request.url.split('?')[0]}.`);
  });
}

/** Sends a Graph error body for a code; used by the error handler and by Fastify's own framework errors. */
export function sendError(
  request: FastifyRequest,
  reply: FastifyReply,
  clock: Clock,
  code: ErrorCode,
  message: string,
  details?: AppError['details'],
): void {
  const info = { requestId: request.id, clientRequestId: clientRequestId(request), date: clock.now() };
  if (ERROR_STATUS[code] === 503) void reply.header('retry-after', String(RETRY_AFTER_SECONDS));
  void reply
    .status(ERROR_STATUS[code])
    .header('content-type', 'application/json; charset=utf-8')
    .send(graphErrorBody(code, message, info, details));
}

/** The client's `client-request-id`, or the request id when it sent none (https://learn.microsoft.com/graph/errors). */
export function clientRequestId(request: FastifyRequest): string {
  const header = request.headers['client-request-id'];
  return typeof header === 'string' && header !== '' ? header : request.id;
}
