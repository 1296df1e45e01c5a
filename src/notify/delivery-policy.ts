import type { ClaimedNotification } from '../storage/subscription-data.js';

/** What to do with one notification about to be sent: send it, drop it unsent, or send it later. */
export type DeliveryDecision =
  { action: 'deliver' } | { action: 'drop'; reason: string } | { action: 'delay'; ms: number };

/**
 * Decides, per notification, whether the delivery job sends it now. The archive sends everything
 * (`deliverAll`); the Graph simulator injects one that drops or delays some, to behave like Graph's own faults.
 */
export type DeliveryPolicy = (notification: ClaimedNotification) => DeliveryDecision;

/** The archive's policy: every notification is sent as soon as it is due. */
export const deliverAll: DeliveryPolicy = () => ({ action: 'deliver' });
