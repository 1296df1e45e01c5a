import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * The per-stream analytics table and the building file (issue 12; src/analytics/, docs/analytics.md).
 *
 * `streams` holds one row per mediaStream of each record's current version, derived at every write (record-tables.ts)
 * and removed with the record. On PostgreSQL it is partitioned by month of the record's start like the other record
 * tables (a partition is made here for every month that already has one), its key leads with the record id, and text
 * uses the "C" collation (byte-wise, as SQLite). Records stored before this migration have no stream rows yet:
 * `store_meta` then says so (`streams.stale`) until `callrecords analytics rebuild` derives them.
 *
 * `buildings` holds the last building file imported, in file order.
 *
 * The column list is this migration's own copy (a later migration adds columns; it never edits this list).
 */
const STREAM_COLUMNS: readonly (readonly [string, 't' | 'i' | 'r'])[] = [
  ['record_id', 't'],
  ['start_key', 't'],
  ['ordinal', 'i'],
  ['call_type', 't'],
  ['session_id', 't'],
  ['segment_id', 't'],
  ['segment_start', 't'],
  ['segment_end', 't'],
  ['stream_start', 't'],
  ['stream_end', 't'],
  ['session_failure_stage', 't'],
  ['session_failure_reason', 't'],
  ['segment_failure_stage', 't'],
  ['segment_failure_reason', 't'],
  ['media_label', 't'],
  ['media_type', 't'],
  ['stream_id', 't'],
  ['stream_direction', 't'],
  ['first_role', 't'],
  ['sender_is_first', 'i'],
  ['first_connection_type', 't'],
  ['second_connection_type', 't'],
  ['sender_role', 't'],
  ['sender_kind', 't'],
  ['sender_user_id', 't'],
  ['sender_user_name', 't'],
  ['sender_platform', 't'],
  ['sender_product_family', 't'],
  ['sender_client_version', 't'],
  ['sender_service_role', 't'],
  ['sender_user_agent', 't'],
  ['sender_feedback_rating', 't'],
  ['sender_capture_device', 't'],
  ['sender_render_device', 't'],
  ['sender_connection_type', 't'],
  ['sender_wifi_band', 't'],
  ['sender_wifi_channel', 'i'],
  ['sender_wifi_signal_strength', 'i'],
  ['sender_wifi_radio_type', 't'],
  ['sender_subnet', 't'],
  ['sender_ip_address', 't'],
  ['sender_reflexive_ip_address', 't'],
  ['sender_vpn', 'i'],
  ['sender_link_speed', 'i'],
  ['sender_building', 't'],
  ['sender_network_name', 't'],
  ['sender_city', 't'],
  ['sender_state', 't'],
  ['sender_country', 't'],
  ['sender_region', 't'],
  ['sender_inside_corp', 'i'],
  ['sender_express_route', 'i'],
  ['sender_building_vpn', 'i'],
  ['receiver_role', 't'],
  ['receiver_kind', 't'],
  ['receiver_user_id', 't'],
  ['receiver_user_name', 't'],
  ['receiver_platform', 't'],
  ['receiver_product_family', 't'],
  ['receiver_client_version', 't'],
  ['receiver_service_role', 't'],
  ['receiver_user_agent', 't'],
  ['receiver_feedback_rating', 't'],
  ['receiver_capture_device', 't'],
  ['receiver_render_device', 't'],
  ['receiver_connection_type', 't'],
  ['receiver_wifi_band', 't'],
  ['receiver_wifi_channel', 'i'],
  ['receiver_wifi_signal_strength', 'i'],
  ['receiver_wifi_radio_type', 't'],
  ['receiver_subnet', 't'],
  ['receiver_ip_address', 't'],
  ['receiver_reflexive_ip_address', 't'],
  ['receiver_vpn', 'i'],
  ['receiver_link_speed', 'i'],
  ['receiver_building', 't'],
  ['receiver_network_name', 't'],
  ['receiver_city', 't'],
  ['receiver_state', 't'],
  ['receiver_country', 't'],
  ['receiver_region', 't'],
  ['receiver_inside_corp', 'i'],
  ['receiver_express_route', 'i'],
  ['receiver_building_vpn', 'i'],
  ['audio_codec', 't'],
  ['video_codec', 't'],
  ['average_audio_degradation', 'r'],
  ['average_audio_network_jitter_ms', 'r'],
  ['max_audio_network_jitter_ms', 'r'],
  ['average_jitter_ms', 'r'],
  ['max_jitter_ms', 'r'],
  ['average_packet_loss_rate', 'r'],
  ['max_packet_loss_rate', 'r'],
  ['post_fec_packet_loss_rate', 'r'],
  ['is_audio_fec_used', 'i'],
  ['average_ratio_of_concealed_samples', 'r'],
  ['max_ratio_of_concealed_samples', 'r'],
  ['average_round_trip_time_ms', 'r'],
  ['max_round_trip_time_ms', 'r'],
  ['packet_utilization', 'i'],
  ['average_bandwidth_estimate', 'i'],
  ['was_media_bypassed', 'i'],
  ['average_video_frame_rate', 'r'],
  ['average_received_frame_rate', 'r'],
  ['low_frame_rate_ratio', 'r'],
  ['average_freeze_duration_ms', 'r'],
  ['rms_freeze_duration_ms', 'r'],
  ['average_video_frame_loss_percentage', 'r'],
  ['average_video_packet_loss_rate', 'r'],
  ['low_video_processing_capability_ratio', 'r'],
  ['classification', 't'],
  ['poor_reasons', 't'],
  ['poor_jitter', 'i'],
  ['poor_packet_loss', 'i'],
  ['poor_round_trip', 'i'],
  ['poor_degradation', 'i'],
  ['poor_concealed', 'i'],
  ['poor_frame_loss', 'i'],
  ['poor_frame_rate', 'i'],
  ['poor_post_fec_loss', 'i'],
  ['segment_poor', 'i'],
  ['call_poor', 'i'],
];

const BUILDING_COLUMNS: readonly (readonly [string, 't' | 'i'])[] = [
  ['ordinal', 'i'],
  ['network_ip', 't'],
  ['network_range', 'i'],
  ['network_name', 't'],
  ['building_name', 't'],
  ['ownership_type', 't'],
  ['building_type', 't'],
  ['building_office_type', 't'],
  ['city', 't'],
  ['zip_code', 't'],
  ['country', 't'],
  ['state', 't'],
  ['region', 't'],
  ['inside_corp', 'i'],
  ['express_route', 'i'],
  ['vpn', 'i'],
];

const NOT_NULL = new Set([
  'record_id',
  'start_key',
  'ordinal',
  'media_type',
  'first_role',
  'sender_is_first',
  'sender_role',
  'receiver_role',
  'classification',
  'poor_reasons',
  'segment_poor',
  'call_poor',
]);

/** Creates `streams` (partitioned on PostgreSQL) with its indexes, and `buildings`. */
export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const type = (kind: string) =>
    postgres
      ? { t: 'text collate "C"', i: 'bigint', r: 'double precision' }[kind]!
      : { t: 'text', i: 'integer', r: 'real' }[kind]!;
  const columnSql = (columns: readonly (readonly [string, string])[], notNull: (c: string) => boolean) =>
    columns.map(([c, k]) => `${c} ${type(k)}${notNull(c) ? ' not null' : ''}`).join(',\n  ');
  const streamColumns = columnSql(STREAM_COLUMNS, (c) => NOT_NULL.has(c) || c.startsWith('poor_'));
  if (postgres) {
    await sql
      .raw(
        `create table streams (\n  ${streamColumns},\n  constraint streams_pk primary key (record_id, ordinal, start_key)\n) partition by range (start_key)`,
      )
      .execute(db);
    // Every month that has records gets its streams partition, with the same bounds.
    const months = await sql<{ name: string; bound: string }>`
      select c.relname as name, pg_get_expr(c.relpartbound, c.oid) as bound
        from pg_inherits i join pg_class c on c.oid = i.inhrelid
       where i.inhparent = 'call_records'::regclass`.execute(db);
    for (const { name, bound } of months.rows) {
      await sql
        .raw(`create table ${name.replace(/^call_records_/, 'streams_')} partition of streams ${bound}`)
        .execute(db);
    }
  } else {
    await sql.raw(`create table streams (\n  ${streamColumns},\n  primary key (record_id, ordinal)\n)`).execute(db);
  }
  // Date ranges (the query API's first filter). One user's calls need no index here: participants_by_participant
  // finds the user's records, whose streams the primary key (record_id first) holds together.
  await sql`create index streams_by_start on streams (start_key)`.execute(db);
  await sql
    .raw(`create table buildings (\n  ${columnSql(BUILDING_COLUMNS, () => true)},\n  primary key (ordinal)\n)`)
    .execute(db);
  const stored = await sql<{ n: number }>`select count(*) as n from call_records`.execute(db);
  if (Number(stored.rows[0]!.n) > 0) {
    await sql`insert into store_meta (key, value) values ('streams.stale', 'records stored before migration 0008')`.execute(
      db,
    );
  }
}

/** Drops what `up` created. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table buildings`.execute(db);
  await sql`drop table streams`.execute(db);
  await sql`delete from store_meta where key like 'streams.%'`.execute(db);
}
