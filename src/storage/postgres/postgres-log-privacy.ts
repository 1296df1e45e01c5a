import { numberedMarkers } from '../call-log-sql.js';
import type { CallLogTable } from '../call-log-types.js';
import type { LogRowReplacement, PurgeableLogRow } from '../log-privacy-types.js';
import { LOG_PRIVACY_SQL } from '../log-privacy-sql.js';
import type { LogPrivacyStore } from '../roles.js';
import type { PgQueries } from './pg-queries.js';

/**
 * The call-log privacy role on PostgreSQL: a batch of rows replaced in one transaction. Each old row is deleted only
 * if its body is still the one read (the delete locks it, so a concurrent write waits and then finds the new row);
 * the old row versions are dead tuples until VACUUM frees them (docs/privacy.md).
 */
export class PostgresLogPrivacy implements LogPrivacyStore {
  constructor(private readonly db: PgQueries) {}

  unpurgedLogRows(table: CallLogTable, cutoffKey: string, limit: number): Promise<PurgeableLogRow[]> {
    return this.all(LOG_PRIVACY_SQL[table].unpurged, cutoffKey, limit);
  }

  logRowsOfUser(table: CallLogTable, userId: string, limit: number): Promise<PurgeableLogRow[]> {
    return this.all(LOG_PRIVACY_SQL[table].ofUser, userId, limit);
  }

  async replaceLogRows(
    table: CallLogTable,
    replacements: readonly LogRowReplacement[],
    purgedAt: string,
  ): Promise<number> {
    if (replacements.length === 0) return 0;
    const take = numberedMarkers(LOG_PRIVACY_SQL[table].take);
    const put = numberedMarkers(LOG_PRIVACY_SQL[table].put);
    return this.db.transaction(async (client) => {
      let done = 0;
      for (const { oldKey, oldJson, write: w } of replacements) {
        const taken = await this.db.rows<{ receivedAt: string }>(client, take, [oldKey, oldJson]);
        if (taken[0] === undefined) continue;
        const values = [w.rowKey, w.timeKey, w.periodEndKey ?? null, w.linkKey ?? null, w.userId ?? null, w.json];
        await this.db.rows(client, put, [...values, taken[0].receivedAt, purgedAt]);
        done++;
      }
      return done;
    });
  }

  private all(text: string, ...values: unknown[]): Promise<PurgeableLogRow[]> {
    return this.db.rows<PurgeableLogRow>(this.db.pool, numberedMarkers(text), values);
  }
}
