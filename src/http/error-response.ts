import type { ErrorCode, ErrorDetail } from '../errors.js';

/** The HTTP status of each error code: the only place codes meet statuses (docs/errors.md lists the same table). */
export const ERROR_STATUS: Record<ErrorCode, number> = {
  BadRequest: 400,
  InvalidRequest: 400,
  invalidQueryOption: 400,
  notSupported: 400,
  invalidSkipToken: 400,
  invalidJson: 400,
  invalidRecord: 400,
  unsupportedMediaType: 415,
  requestEntityTooLarge: 413,
  requestTimeout: 408,
  headersTooLarge: 431,
  NotFound: 404,
  MethodNotAllowed: 405,
  serviceNotAvailable: 503,
  generalException: 500,
  InvalidAuthenticationToken: 401,
  TooManyRequests: 429,
};

/**
 * The `Retry-After` (seconds) sent with a 503: the database was held by another process past the lock timeout, or
 * was unreachable, or the server is shutting down — each likely over within a few seconds. Graph's 503 means "repeat
 * the request after a delay, the length of which may be specified in a Retry-After header"
 * (https://learn.microsoft.com/graph/errors), and Graph SDKs' retry handlers wait as long as it says.
 */
export const RETRY_AFTER_SECONDS = 5;

/** The request facts every Graph error body carries in `innerError` (https://learn.microsoft.com/graph/errors). */
export interface ErrorRequestInfo {
  requestId: string;
  clientRequestId: string;
  date: Date;
}

/** The Graph error body: `{"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}`. */
export function graphErrorBody(
  code: ErrorCode,
  message: string,
  info: ErrorRequestInfo,
  details?: readonly ErrorDetail[],
): string {
  const error: Record<string, unknown> = { code, message };
  if (details !== undefined && details.length > 0) error.details = details;
  // Graph writes the date without a zone ("2021-02-23T13:54:17", https://learn.microsoft.com/graph/errors).
  error.innerError = {
    date: info.date.toISOString().slice(0, 19),
    'request-id': info.requestId,
    'client-request-id': info.clientRequestId,
  };
  return JSON.stringify({ error });
}
