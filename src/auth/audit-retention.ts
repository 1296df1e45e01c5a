import { periodicJob } from '../runtime/periodic-job.js';
import type { JobFactory } from '../runtime/runtime.js';
import type { AuditStore } from '../storage/roles.js';

const DAY_MS = 86_400_000;

/** The audit trail's own retention when `--audit-retain-days` is not given. */
export const DEFAULT_AUDIT_RETAIN_DAYS = 365;

/**
 * The audit retention job: at start and then every `intervalMs` of the runtime's clock, removes the audit entries
 * recorded more than `retainDays` days ago, and logs how many ("audit retention pass done").
 */
export function auditRetentionJob(options: {
  store: Pick<AuditStore, 'expireAudit'>;
  retainDays: number;
  intervalMs: number;
}): JobFactory {
  const { store, retainDays, intervalMs } = options;
  return ({ clock, log }) =>
    periodicJob({
      clock,
      intervalMs,
      run: async () => {
        const cutoff = new Date(clock.now().getTime() - retainDays * DAY_MS).toISOString();
        log.info({ retainDays, cutoff, removed: await store.expireAudit(cutoff) }, 'audit retention pass done');
      },
      onError: (error) => log.error({ err: error }, 'audit retention pass failed'),
    });
}
