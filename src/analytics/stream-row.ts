/**
 * The stream table's row as Kysely and readers see it (SQL names; stream-columns.ts lists the same columns in order
 * with their documented names). Flags are 0/1; durations are milliseconds; times are sortable UTC keys.
 */

type Text = string | null;
type Num = number | null;

/** Columns of one endpoint, without the `sender_`/`receiver_` prefix. */
interface EndpointColumns {
  role: string;
  kind: Text;
  user_id: Text;
  user_name: Text;
  platform: Text;
  product_family: Text;
  client_version: Text;
  service_role: Text;
  user_agent: Text;
  feedback_rating: Text;
  capture_device: Text;
  render_device: Text;
  connection_type: Text;
  wifi_band: Text;
  wifi_channel: Num;
  wifi_signal_strength: Num;
  wifi_radio_type: Text;
  subnet: Text;
  ip_address: Text;
  reflexive_ip_address: Text;
  vpn: Num;
  link_speed: Num;
  building: Text;
  network_name: Text;
  city: Text;
  state: Text;
  country: Text;
  region: Text;
  inside_corp: Num;
  express_route: Num;
  building_vpn: Num;
}

type Prefixed<P extends string> = { [K in keyof EndpointColumns as `${P}_${K}`]: EndpointColumns[K] };

/** The call, session, segment and stream keys, times and labels. */
interface KeyColumns {
  record_id: string;
  start_key: string;
  ordinal: number;
  call_type: Text;
  session_id: Text;
  segment_id: Text;
  segment_start: Text;
  segment_end: Text;
  stream_start: Text;
  stream_end: Text;
  session_failure_stage: Text;
  session_failure_reason: Text;
  segment_failure_stage: Text;
  segment_failure_reason: Text;
  media_label: Text;
  /** audio, video, vbss (video-based screen sharing) or other. */
  media_type: string;
  stream_id: Text;
  stream_direction: Text;
  /** Which endpoint CQD calls First: `caller`, or `callee` when only the callee is a server. */
  first_role: string;
  sender_is_first: number;
  first_connection_type: Text;
  second_connection_type: Text;
}

/** Graph's mediaStream metrics; durations in milliseconds. */
interface MetricColumns {
  audio_codec: Text;
  video_codec: Text;
  average_audio_degradation: Num;
  average_audio_network_jitter_ms: Num;
  max_audio_network_jitter_ms: Num;
  average_jitter_ms: Num;
  max_jitter_ms: Num;
  average_packet_loss_rate: Num;
  max_packet_loss_rate: Num;
  post_fec_packet_loss_rate: Num;
  is_audio_fec_used: Num;
  average_ratio_of_concealed_samples: Num;
  max_ratio_of_concealed_samples: Num;
  average_round_trip_time_ms: Num;
  max_round_trip_time_ms: Num;
  packet_utilization: Num;
  average_bandwidth_estimate: Num;
  was_media_bypassed: Num;
  average_video_frame_rate: Num;
  average_received_frame_rate: Num;
  low_frame_rate_ratio: Num;
  average_freeze_duration_ms: Num;
  rms_freeze_duration_ms: Num;
  average_video_frame_loss_percentage: Num;
  average_video_packet_loss_rate: Num;
  low_video_processing_capability_ratio: Num;
}

/** CQD's classification of the stream, its segment and its call. */
interface ClassColumns {
  /** Good, Poor or Unclassified. */
  classification: string;
  /** The reasons a poor stream is poor, joined with `;` (empty otherwise). */
  poor_reasons: string;
  poor_jitter: number;
  poor_packet_loss: number;
  poor_round_trip: number;
  poor_degradation: number;
  poor_concealed: number;
  poor_frame_loss: number;
  poor_frame_rate: number;
  poor_post_fec_loss: number;
  /** 1 when an audio stream of the segment is poor. */
  segment_poor: number;
  /** 1 when an audio stream of the call is poor. */
  call_poor: number;
}

/** One row of the `streams` table: one mediaStream of a record's current version. */
export type StreamsTable = KeyColumns & Prefixed<'sender'> & Prefixed<'receiver'> & MetricColumns & ClassColumns;

/** One network of the building file as stored (`buildings`, migration 0008), in file order. */
export interface BuildingsTable {
  ordinal: number;
  network_ip: string;
  network_range: number;
  network_name: string;
  building_name: string;
  ownership_type: string;
  building_type: string;
  building_office_type: string;
  city: string;
  zip_code: string;
  country: string;
  state: string;
  region: string;
  inside_corp: number;
  express_route: number;
  vpn: number;
}
