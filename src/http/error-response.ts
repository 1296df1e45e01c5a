import type { ErrorCode, ErrorDetail } from '../errors.js';

/** The HTTP status of each error code: the only place codes meet statuses (docs/errors.md lists the same table). */
export const ERROR_STATUS: Record<ErrorCode, number> = {
  BadRequest: 400,
  invalidQueryOption: 400,
  notSupported: 400,
  invalidSkipToken: 400,
  invalidJson: 400,
  invalidRecord: 400,
  unsupportedMediaType: 415,
  requestEntityTooLarge: 413,
  NotFound: 404,
  MethodNotAllowed: 405,
  serviceNotAvailable: 503,
  generalException: 500,
};

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
