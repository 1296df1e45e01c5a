/**
 * The names the collector keeps its state under in the sync role (db.sync): named values (`getState`/`setState`)
 * and leases. Every instance on one database uses the same names, so they share one cursor, one subscription and
 * one sweep at a time.
 */
export const STATE = {
  /** ISO time up to which the periodic sweep has listed (the start of its next pass, at the latest). */
  sweepCursor: 'sweep.cursor',
  /** JSON of the last finished sweep's findings (sweep.ts, SweepFindings). */
  lastSweep: 'sweep.last',
  /** JSON of the backfill under way or last finished ({ days, from, to, next, done, findings? }). */
  backfill: 'backfill',
  /**
   * JSON of Graph's subscription for change notifications, kept by the subscription manager: at least
   * `{ "id": string, "expirationDateTime": string }`; `GET /api/sync/status` shows the object as stored.
   */
  subscription: 'graph.subscription',
} as const;

/** Lease names: one holder at a time across instances. */
export const LEASE = {
  /** The periodic sweep (and a backfill): one instance lists Graph at a time. */
  sweep: 'sweep',
  /** The subscription manager: one instance creates and renews Graph's subscription. */
  subscription: 'graph.subscription',
} as const;

/** Event kinds recorded with `recordEvents`. */
export const EVENT = {
  /** A 429 from Graph. */
  throttled: 'throttled',
  /** A first version stored: value = receive time − endDateTime, in ms. */
  lag: 'lag',
} as const;
