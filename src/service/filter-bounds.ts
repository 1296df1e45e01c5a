import type { RecordFilter } from '../odata/query-options.js';
import type { StartBound } from '../storage/store.js';

/**
 * Reduces a filter's startDateTime terms to the tightest lower and upper bound, so the store sees at most two bounds
 * (and a bounded number of statement shapes) however many terms a client sends. At equal values `gt`/`lt` are tighter
 * than `ge`/`le`.
 */
export function tightenFilter(filter: RecordFilter | undefined): RecordFilter | undefined {
  if (filter === undefined) return undefined;
  let lower: StartBound | undefined;
  let upper: StartBound | undefined;
  for (const bound of filter.start) {
    if (bound.op === 'gt' || bound.op === 'ge') {
      if (lower === undefined || bound.value > lower.value || (bound.value === lower.value && bound.op === 'gt'))
        lower = bound;
    } else if (upper === undefined || bound.value < upper.value || (bound.value === upper.value && bound.op === 'lt')) {
      upper = bound;
    }
  }
  const start = [lower, upper].filter((b): b is StartBound => b !== undefined);
  return filter.participantId === undefined ? { start } : { start, participantId: filter.participantId };
}
