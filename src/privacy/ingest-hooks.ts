import type { Clock } from '../clock.js';
import type { IngestHooks } from '../ingest/ingest-service.js';
import type { MetaStore, PrivacyStore } from '../storage/roles.js';
import { Erasures } from './erasures.js';
import { EuiiPurge } from './euii-purge.js';

/**
 * The privacy rules every write path applies (the ingest API and `callrecords import`): a record already past
 * `euiiDays` is stored scrubbed, and one naming a person erased on request is stored erased, so nothing a purge
 * removed comes back with a late or repeated record. `beforeBatch` refreshes the list of erased people (call it
 * before a run of `prepare` calls that bypass `ingest`).
 */
export function privacyHooks(
  db: { privacy: PrivacyStore; meta: Pick<MetaStore, 'sharedSecret'> },
  clock: Pick<Clock, 'now'>,
  euiiDays: number | undefined,
): Required<Pick<IngestHooks, 'beforeBatch' | 'beforeWrite'>> {
  const purge = euiiDays === undefined ? undefined : new EuiiPurge(db.privacy, clock, euiiDays);
  const erasures = new Erasures(db.privacy, db.meta, clock);
  return {
    beforeBatch: () => erasures.refreshIfStale(),
    beforeWrite: (record) => {
      purge?.scrubIfDue(record);
      erasures.eraseOnWrite(record);
    },
  };
}
