import type { Fetch } from '../runtime/runtime.js';
import type { TokenSource } from './token-source.js';

/** What the collector asks Graph to subscribe to (https://learn.microsoft.com/graph/api/subscription-post-subscriptions). */
export interface SubscriptionRequest {
  changeType: string;
  notificationUrl: string;
  lifecycleNotificationUrl: string;
  resource: string;
  expirationDateTime: string;
  clientState: string;
}

/** A subscription as Graph answered its creation: at least its id and expiry. */
export interface CreatedSubscription {
  id: string;
  expirationDateTime: string;
}

/**
 * Graph's subscription operations as the subscription manager needs them. A subscription Graph no longer has (404)
 * is `'gone'`; any other failure throws.
 *
 * `graphSubscriptionsOverFetch` implements it with the collector's token source and the runtime's fetch. These calls
 * stay outside the collector's GraphClient (GET only, budgeted): a few a day, each retried by the manager's next pass.
 */
export interface GraphSubscriptions {
  create(request: SubscriptionRequest): Promise<CreatedSubscription>;
  /** PATCH /subscriptions/{id} with a new expiry (https://learn.microsoft.com/graph/api/subscription-update). */
  renew(id: string, expirationDateTime: string): Promise<'renewed' | 'gone'>;
  /** POST /subscriptions/{id}/reauthorize (https://learn.microsoft.com/graph/api/subscription-reauthorize). */
  reauthorize(id: string): Promise<'reauthorized' | 'gone'>;
}

/** A failed call to Graph's subscription API, with its status. */
export class GraphSubscriptionError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'GraphSubscriptionError';
  }
}

/**
 * Graph's subscription API over `fetch`: `{graphUrl}/v1.0/subscriptions…` with a bearer token from `tokens`; a 401
 * renews the token once.
 */
export function graphSubscriptionsOverFetch(options: {
  graphUrl: string;
  fetch: Fetch;
  tokens: TokenSource;
}): GraphSubscriptions {
  const base = `${options.graphUrl.replace(/\/+$/, '')}/v1.0/subscriptions`;
  const once = async (method: string, path: string, body: unknown, refresh: boolean): Promise<Response> => {
    const headers: Record<string, string> = { authorization: `Bearer ${await options.tokens.token(refresh)}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    return options.fetch(`${base}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  };
  const call = async (method: string, path: string, body?: unknown): Promise<Response> => {
    const res = await once(method, path, body, false);
    if (res.status !== 401) return res;
    await res.arrayBuffer();
    return once(method, path, body, true);
  };
  const failed = async (res: Response, what: string) =>
    new GraphSubscriptionError(res.status, `${what}: HTTP ${res.status} ${(await res.text()).slice(0, 500)}`);
  return {
    async create(request) {
      const res = await call('POST', '', request);
      if (res.status !== 201 && res.status !== 200) throw await failed(res, 'creating the subscription failed');
      const created = (await res.json()) as CreatedSubscription;
      return { id: created.id, expirationDateTime: created.expirationDateTime };
    },
    async renew(id, expirationDateTime) {
      const res = await call('PATCH', `/${encodeURIComponent(id)}`, { expirationDateTime });
      if (res.status === 404) return 'gone';
      if (!res.ok) throw await failed(res, 'renewing the subscription failed');
      await res.arrayBuffer();
      return 'renewed';
    },
    async reauthorize(id) {
      const res = await call('POST', `/${encodeURIComponent(id)}/reauthorize`);
      if (res.status === 404) return 'gone';
      if (!res.ok) throw await failed(res, 'reauthorizing the subscription failed');
      await res.arrayBuffer();
      return 'reauthorized';
    },
  };
}
