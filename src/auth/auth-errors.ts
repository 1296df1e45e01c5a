import { AppError } from '../errors.js';

/**
 * The 401 for a missing or unusable credential, in Graph's words
 * (https://learn.microsoft.com/graph/resolve-auth-errors): no more is said than Graph says — whether a token was
 * sent, and whether it was out of its validity period; every other failure (signature, issuer, audience, tenant, key,
 * format, a revoked or unknown API key) reads the same.
 */
export function unauthenticated(reason: 'missing' | 'expired' | 'invalid'): AppError {
  const message =
    reason === 'missing'
      ? 'Access token is empty.'
      : reason === 'expired'
        ? 'Access token has expired or is not yet valid.'
        : 'Access token validation failure.';
  return new AppError('InvalidAuthenticationToken', message);
}

/** The 403 for a caller whose identity is valid but lacks the route's role, in Graph's words. */
export function forbidden(): AppError {
  return new AppError('Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
}
