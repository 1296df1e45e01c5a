/**
 * The one error type every layer throws. A code is the Graph `error.code` the client sees; only the HTTP error
 * handler (src/http/error-handler.ts) turns a code into a status and the Graph error body (https://learn.microsoft.com/graph/errors).
 * Every code is documented in docs/errors.md; test/errors-doc.test.ts keeps the two in step.
 */
export const ERROR_CODES = [
  'BadRequest',
  'InvalidRequest',
  'invalidQueryOption',
  'notSupported',
  'invalidSkipToken',
  'invalidJson',
  'invalidRecord',
  'unsupportedMediaType',
  'requestEntityTooLarge',
  'requestTimeout',
  'headersTooLarge',
  'NotFound',
  'MethodNotAllowed',
  'serviceNotAvailable',
  'generalException',
  'InvalidAuthenticationToken',
  'TooManyRequests',
] as const;

/** A Graph `error.code` value this service can answer with. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** One finding behind an error, e.g. one invalid field of one record; becomes an entry of `error.details`. */
export interface ErrorDetail {
  code: string;
  message: string;
  target?: string;
}

/**
 * An expected failure with a Graph error code and a message written for the client. A `cause` (e.g. the driver's
 * error) is logged by the HTTP error handler and never sent.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: readonly ErrorDetail[] | undefined;

  constructor(code: ErrorCode, message: string, details?: readonly ErrorDetail[], options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}

/**
 * A configuration mistake found below the CLI — a database URL that names no database, a certificate that cannot be
 * read — which no request caused and no retry mends. The CLI reports it as one line with exit code 2; it never
 * becomes a Graph error.
 */
export class ConfigError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConfigError';
  }
}
