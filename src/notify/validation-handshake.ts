import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import { AppError } from '../errors.js';
import type { Fetch } from '../runtime/runtime.js';

/** How long a notification endpoint has to answer the handshake: Graph allows 10 seconds. */
export const VALIDATION_TIMEOUT_MS = 10_000;

/**
 * Graph's validation handshake against one endpoint (https://learn.microsoft.com/graph/change-notifications-delivery-webhooks#notificationurl-validation):
 * a POST to `url?validationToken=…` (the URL's own query kept) with `Content-Type: text/plain; charset=utf-8`, which
 * must answer 200 within 10 s with the URL-decoded token as its body. Resolves when it did; otherwise throws
 * `InvalidRequest` with Graph's message for what went wrong.
 */
export async function validateEndpoint(
  url: string,
  deps: { fetch: Fetch; clock: Clock; timeoutMs?: number | undefined },
): Promise<void> {
  // Graph's tokens look like this one: spaces and a colon, so an endpoint that echoes the encoded form fails.
  const token = `Validation: Testing client application reachability for subscription Request-Id: ${randomUUID()}`;
  const target = new URL(url);
  target.searchParams.append('validationToken', token);
  const abort = new AbortController();
  const timer = deps.clock.setTimeout(() => abort.abort(), deps.timeoutMs ?? VALIDATION_TIMEOUT_MS, { unref: true });
  let status: number;
  let body: string;
  try {
    const response = await deps.fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      // A redirect is an answer other than 200, never followed: the server posts only where the subscriber said.
      redirect: 'manual',
      signal: abort.signal,
    });
    status = response.status;
    body = await response.text();
  } catch {
    if (abort.signal.aborted) throw new AppError('InvalidRequest', 'Subscription validation request timed out.');
    throw new AppError(
      'InvalidRequest',
      // Not the socket's error (refused, unknown host): that would let a caller map hosts and ports it cannot reach.
      `Subscription validation request failed. Notification endpoint ${url} could not be reached.`,
    );
  } finally {
    timer.cancel();
  }
  if (status !== 200) {
    throw new AppError(
      'InvalidRequest',
      'Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.',
    );
  }
  if (body !== token) {
    throw new AppError(
      'InvalidRequest',
      'Subscription validation request failed. Response must exactly match validationToken query parameter.',
    );
  }
}
