import type { Kysely } from 'kysely';

/**
 * Subscriptions to the archive's own change notifications (src/notify/, docs/api.md "Subscriptions") and the durable
 * outbox of notifications to deliver. Times are ISO 8601 UTC texts of one fixed form (`Date.toISOString()`), so they
 * compare as text on both stores. No foreign key ties an outbox row to its subscription: deleting a subscription
 * deletes its rows in the same statement sequence, and a row whose subscription is gone is dropped at delivery.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('subscriptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('resource', 'text', (c) => c.notNull())
    .addColumn('change_type', 'text', (c) => c.notNull())
    .addColumn('notification_url', 'text', (c) => c.notNull())
    .addColumn('lifecycle_notification_url', 'text')
    .addColumn('client_state', 'text')
    .addColumn('expiration', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('extra_json', 'text')
    .execute();

  await db.schema
    .createTable('notification_outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('subscription_id', 'text', (c) => c.notNull())
    // 'change' (changeType + resource id) or 'lifecycle' (lifecycleEvent).
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('change_type', 'text')
    .addColumn('resource_id', 'text')
    .addColumn('lifecycle_event', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('next_attempt', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lease_until', 'text')
    .addColumn('lease_owner', 'text')
    .addColumn('last_error', 'text')
    .execute();
  await db.schema
    .createIndex('notification_outbox_due')
    .on('notification_outbox')
    .columns(['next_attempt', 'id'])
    .execute();
  await db.schema
    .createIndex('notification_outbox_by_subscription')
    .on('notification_outbox')
    .column('subscription_id')
    .execute();
}

/** Drops what `up` created. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('notification_outbox').execute();
  await db.schema.dropTable('subscriptions').execute();
}
