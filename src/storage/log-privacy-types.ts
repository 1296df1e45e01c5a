/**
 * The data the call-log privacy role (`LogPrivacyStore`, roles.ts) reads and writes: stored telephony log rows with
 * what a rewrite needs to key them again, and the rewritten rows.
 */
import type { LogRowWrite } from './call-log-types.js';

/** A stored log row as the privacy purge reads it. */
export interface PurgeableLogRow {
  rowKey: string;
  timeKey: string;
  /** A dial-out report's period end; null for rows. */
  periodEndKey: string | null;
  json: string;
}

/** One row's replacement: the stored row it replaces (key and body, compared on write) and what takes its place. */
export interface LogRowReplacement {
  oldKey: string;
  /** The body read: a row whose body changed meanwhile (a newer write) is left for the next pass. */
  oldJson: string;
  /** The rewritten row, keyed the way a write keys it (the key of a row without an id follows its content). */
  write: LogRowWrite;
}
