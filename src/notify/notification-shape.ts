import type { ClaimedNotification, StoredSubscription } from '../storage/subscription-data.js';

/** The tenant id sent in notifications when none is configured (the archive serves one organisation). */
export const DEFAULT_TENANT_ID = '00000000-0000-0000-0000-000000000000';

/**
 * One item of a `changeNotificationCollection` as Graph sends it for call records
 * (https://learn.microsoft.com/graph/changenotifications-for-callrecords#notification-payloads,
 * https://learn.microsoft.com/graph/api/resources/changenotification): a basic notification whose `resourceData`
 * carries only `@odata.type`, `@odata.id` and `id`; a lifecycle event carries `lifecycleEvent` instead
 * (https://learn.microsoft.com/graph/change-notifications-lifecycle-events).
 */
export function notificationItem(
  n: ClaimedNotification,
  subscription: StoredSubscription,
  tenantId: string,
): Record<string, unknown> {
  const common = {
    subscriptionId: subscription.id,
    subscriptionExpirationDateTime: graphOffsetTime(subscription.expirationDateTime),
    clientState: subscription.clientState,
    tenantId,
  };
  if (n.kind === 'lifecycle') return { ...common, lifecycleEvent: n.lifecycleEvent };
  const path = `communications/callRecords/${n.resourceId}`;
  return {
    subscriptionId: common.subscriptionId,
    clientState: common.clientState,
    changeType: n.changeType,
    resource: path,
    subscriptionExpirationDateTime: common.subscriptionExpirationDateTime,
    resourceData: { '@odata.type': '#Microsoft.Graph.callRecord', '@odata.id': path, id: n.resourceId },
    tenantId,
  };
}

/** The body of one POST to a subscriber: `{"value": [...]}`. */
export function notificationCollection(items: readonly Record<string, unknown>[]): string {
  return JSON.stringify({ value: items });
}

/** `2023-02-28T00:00:00.000Z` as Graph writes it in notifications: `2023-02-28T00:00:00.000+00:00`. */
function graphOffsetTime(iso: string): string {
  return iso.endsWith('Z') ? `${iso.slice(0, -1)}+00:00` : iso;
}
