import type { Clock } from '../clock.js';
import { generateRecords } from '../generate/index.js';
import { generatedBuildingFile } from '../generate/building-file.js';
import { StreamAnalytics } from '../analytics/stream-analytics.js';
import { BatchIngest } from '../ingest/batch-ingest.js';
import { IngestService } from '../ingest/ingest-service.js';
import type { IngestSummary } from '../ingest/summary.js';
import type { CallRecordDatabase } from '../storage/roles.js';

/** The demo tenant: the same people and call ids on every machine; only the dates follow today. */
export const DEMO = { seed: 20240301, calls: 3000, days: 30 } as const;

/** What loadDemoData did. */
export type DemoOutcome =
  | { loaded: false; records: number }
  | { loaded: true; calls: number; summary: IngestSummary; from: string; to: string; seconds: number };

const DAY_MS = 86_400_000;
// The window ends a few hours ago, so that every demo call has ended and has its records by now, as in Graph.
const SETTLE_MS = 3 * 3_600_000;

/**
 * On an empty store, loads the demo tenant — every version of about 3,000 calls of the 30 days before now — through
 * the ingest service, the same validation and storage as any import. A store that holds records is left alone.
 */
export async function loadDemoData(db: CallRecordDatabase, clock: Clock): Promise<DemoOutcome> {
  const { records } = await db.meta.health();
  if (records > 0) return { loaded: false, records };
  return { loaded: true, ...(await loadGeneratedTenant(db, clock, DEMO)) };
}

/**
 * Loads a generated tenant of `calls` calls over the `days` days before now (every version, through the ingest
 * service) and the seed's building file: the demo, and the dashboard's tests (smaller).
 */
export async function loadGeneratedTenant(
  db: CallRecordDatabase,
  clock: Clock,
  tenant: { calls: number; seed: number; days: number },
): Promise<{ calls: number; summary: IngestSummary; from: string; to: string; seconds: number }> {
  const started = performance.now();
  const to = new Date(clock.now().getTime() - SETTLE_MS);
  const from = new Date(to.getTime() - tenant.days * DAY_MS);
  const batches = new BatchIngest(new IngestService(db.records, clock));
  let generated = 0;
  for (const value of generateRecords({
    calls: tenant.calls,
    seed: tenant.seed,
    from,
    days: tenant.days,
    versions: true,
  })) {
    await batches.add([{ value }]);
    // Let the event loop run now and then (signals, logs): a synchronous store would otherwise hold it throughout.
    if (++generated % 500 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  const summary = await batches.finish();
  // The seed's building file, so the tenant shows buildings and a missing-subnet report (docs/analytics.md).
  await new StreamAnalytics(db.streams).importBuildings(generatedBuildingFile(tenant.seed));
  await db.upkeep.optimize();
  const seconds = (performance.now() - started) / 1000;
  return { calls: tenant.calls, summary, from: from.toISOString(), to: to.toISOString(), seconds };
}
