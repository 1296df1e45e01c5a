import type { JobFactory } from '../runtime/runtime.js';
import type { CallRecordDatabase } from '../storage/roles.js';
import { graphSubscriptionsOverFetch } from './graph-subscriptions.js';
import { subscriptionManagerJob } from './subscription-manager.js';
import { msalTokenSource, type GraphCredentials, type TokenSource } from './token-source.js';

/** What `serve --sync --notification-url …` configures for Graph's subscription. */
export interface GraphSubscriptionConfig {
  /** The `--notification-url` base Graph must reach (webhook-config.ts gives the receiver's paths under it). */
  notificationUrl: string;
  credentials: GraphCredentials;
  /** A token source instead of MSAL (tests). */
  tokens?: TokenSource | undefined;
  /** Time between the manager's passes (default 1 minute). */
  intervalMs?: number | undefined;
}

/**
 * The `graph-subscription` runtime job of `serve --sync` with `--notification-url`: the subscription manager
 * (subscription-manager.ts) over Graph's subscription API, signed in with the collector's credentials, on the
 * runtime's clock, fetch and log. The server must also receive the notifications: `createApp({ notificationUrl })`.
 */
export function graphSubscriptionJob(config: GraphSubscriptionConfig, db: CallRecordDatabase): JobFactory {
  return (deps) => {
    const tokens = config.tokens ?? msalTokenSource(config.credentials, deps.fetch);
    const graph = graphSubscriptionsOverFetch({ graphUrl: config.credentials.graphUrl, fetch: deps.fetch, tokens });
    return subscriptionManagerJob({
      notificationBase: config.notificationUrl,
      graph,
      sync: db.sync,
      meta: db.meta,
      intervalMs: config.intervalMs,
    })(deps);
  };
}
