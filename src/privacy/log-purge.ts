import type { Clock } from '../clock.js';
import { LOG_KINDS, type LogKind } from '../call-logs/log-kinds.js';
import { toLogRowWrite } from '../call-logs/log-row-write.js';
import { toSortableUtc } from '../domain/datetime.js';
import type { LogRowReplacement, PurgeableLogRow } from '../storage/log-privacy-types.js';
import type { LogPrivacyStore } from '../storage/roles.js';
import { replaceId } from './euii.js';
import { scrubLogRow } from './log-euii.js';

/** Log rows rewritten per transaction. */
export const LOG_PURGE_BATCH = 500;

type JsonObject = Record<string, unknown>;

/**
 * Removes the EUII of the telephony logs (log-euii.ts, docs/privacy.md): from rows older than a cutoff (the time
 * each kind's function filters on; a dial-out report's period start), in batches, each its own transaction, marking
 * each row so it is not scanned again; and from one user's rows on request. A rewritten row is keyed again the way a
 * write keys it (call-logs/log-row-write.ts): a row with an id keeps it, a row without one (blocked users, dial-out
 * reports) is keyed on its scrubbed content — so no hash of the removed values stays, and the same row received
 * again and scrubbed on write finds it (`unchanged`).
 */
export class LogEuiiPurge {
  constructor(
    private readonly store: LogPrivacyStore,
    private readonly clock: Pick<Clock, 'now'>,
  ) {}

  /** Scrubs every row of every log whose time is before `cutoff` (an ISO instant) and not yet purged. */
  async purgeOlderThan(cutoff: string, batchSize = LOG_PURGE_BATCH): Promise<number> {
    const cutoffKey = toSortableUtc(cutoff)!;
    const purgedAt = this.clock.now().toISOString();
    let purged = 0;
    for (const kind of LOG_KINDS) {
      for (;;) {
        const rows = await this.store.unpurgedLogRows(kind.table, cutoffKey, batchSize);
        const replacements = rows.map((row) => replacementOf(kind, row, scrubLogRow));
        if (rows.length > 0) purged += await this.store.replaceLogRows(kind.table, replacements, purgedAt);
        if (rows.length < batchSize) break;
      }
    }
    return purged;
  }

  /**
   * Erases one person from every log (`purge --user`): their rows are scrubbed and their id replaced by `pseudonym`
   * everywhere in the row. Resolves to the number of rows rewritten.
   */
  async eraseUser(userId: string, pseudonym: string, batchSize = LOG_PURGE_BATCH): Promise<number> {
    const purgedAt = this.clock.now().toISOString();
    const erase = (row: JsonObject) => replaceId(scrubLogRow(row), userId, pseudonym);
    let erased = 0;
    for (const kind of LOG_KINDS) {
      for (;;) {
        const rows = await this.store.logRowsOfUser(kind.table, userId, batchSize);
        if (rows.length === 0) break;
        const done = await this.store.replaceLogRows(
          kind.table,
          rows.map((row) => replacementOf(kind, row, erase)),
          purgedAt,
        );
        erased += done;
        // Rows written meanwhile are skipped by the replace; they are read again unless nothing moved at all.
        if (rows.length < batchSize && done === rows.length) break;
        if (done === 0) break;
      }
    }
    return erased;
  }
}

/** A stored row's replacement: its body rewritten and keyed again as a write would. */
function replacementOf(kind: LogKind, row: PurgeableLogRow, rewrite: (row: JsonObject) => unknown): LogRowReplacement {
  const body = JSON.parse(row.json) as JsonObject;
  rewrite(body);
  const period = row.periodEndKey === null ? undefined : { fromKey: row.timeKey, toKey: row.periodEndKey };
  return { oldKey: row.rowKey, oldJson: row.json, write: toLogRowWrite(kind, body, period) };
}
