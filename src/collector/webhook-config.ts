/**
 * Where Graph calls the collector and what it keeps in the database for that: one place for the receiver
 * (src/http/webhook-routes.ts) and the subscription manager (subscription-manager.ts) to agree on.
 */

/** The receiver's paths under the notification base URL. */
export const WEBHOOK_PATHS = {
  prefix: '/webhooks/graph',
  notifications: '/callRecords',
  lifecycle: '/lifecycle',
} as const;

/** The `clientState` secret of Graph's subscription, shared by every instance (`db.meta.sharedSecret`). */
export const CLIENT_STATE_SECRET = 'graph.clientState';

/**
 * Named values in the sync role (`db.sync`). `subscription` is the one SYNC's `/api/sync/status` shows (its
 * `STATE.subscription`); `lifecycle` is the last lifecycle event the receiver took in, for the manager to act on.
 */
export const WEBHOOK_STATE = {
  subscription: 'graph.subscription',
  lifecycle: 'graph.subscription.lifecycle',
  /** The sweep cursor of SYNC's sweeper: moved back to ask for a sweep of a gap. */
  sweepCursor: 'sweep.cursor',
} as const;

/** The lease that makes one instance the subscription manager (SYNC's `LEASE.subscription`). */
export const SUBSCRIPTION_LEASE = 'graph.subscription';

/** Where Graph must POST, given the `--notification-url` base (`https://archive.example.com`, a path allowed). */
export interface WebhookUrls {
  /** The plugin's prefix on this server: the base URL's path and WEBHOOK_PATHS.prefix. */
  prefix: string;
  notificationUrl: string;
  lifecycleNotificationUrl: string;
}

/** The receiver's URLs under a notification base URL (http is accepted for local tests; Graph calls only https). */
export function webhookUrls(base: string): WebhookUrls {
  const url = new URL(base);
  const path = url.pathname.replace(/\/+$/, '');
  const root = `${url.origin}${path}${WEBHOOK_PATHS.prefix}`;
  return {
    prefix: `${path}${WEBHOOK_PATHS.prefix}`,
    notificationUrl: `${root}${WEBHOOK_PATHS.notifications}`,
    lifecycleNotificationUrl: `${root}${WEBHOOK_PATHS.lifecycle}`,
  };
}
