import type { Clock } from '../clock.js';
import type { LogIngestHooks } from '../call-logs/call-log-ingest.js';
import { toSortableUtc } from '../domain/datetime.js';
import type { MetaStore, PrivacyStore } from '../storage/roles.js';
import { Erasures } from './erasures.js';
import { EuiiPurge } from './euii-purge.js';
import { scrubLogRow } from './log-euii.js';

/**
 * The privacy rules every write of telephony log rows applies (`POST /api/logs/{kind}`, `import --kind`), as
 * `privacyHooks` does for records: a row already past `euiiDays` (by the time it is filed under) is stored scrubbed,
 * and one whose user was erased on request is stored erased, so a late or repeated row brings nothing back.
 */
export function logPrivacyHooks(
  db: { privacy: PrivacyStore; meta: Pick<MetaStore, 'sharedSecret'> },
  clock: Pick<Clock, 'now'>,
  euiiDays: number | undefined,
): Required<LogIngestHooks> {
  const purge = euiiDays === undefined ? undefined : new EuiiPurge(db.privacy, clock, euiiDays);
  const erasures = new Erasures(db.privacy, db.meta, clock);
  return {
    beforeBatch: () => erasures.refreshIfStale(),
    beforeWrite: (row, timeKey) => {
      const cutoff = purge?.cutoff();
      if (cutoff !== undefined && timeKey < toSortableUtc(cutoff)!) scrubLogRow(row);
      erasures.eraseLogRowOnWrite(row);
    },
  };
}
