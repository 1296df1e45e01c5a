import type { Clock } from '../clock.js';
import { formatIssue, validateCallRecord } from '../domain/validate.js';
import type { CallRecordStore, WriteStatus } from '../storage/store.js';
import { toRecordWrite } from '../service/record-fragments.js';
import type { RecordWrite } from '../storage/store.js';

/** One record to ingest, already parsed, with where it came from. */
export interface IngestItem {
  value?: unknown;
  /** Set when the item could not even be read (e.g. invalid JSON): it is rejected with this reason. */
  error?: string | undefined;
  /** 1-based line in the source file or body, when known. */
  line?: number | undefined;
  /** When the version was first received, from a backup (received-annotation.ts); else the batch's time. */
  receivedAt?: string | undefined;
}

/** What happened to one item: the store's outcome, or `rejected` with the reason. */
export interface ItemOutcome {
  index: number;
  line?: number | undefined;
  id?: string | undefined;
  status: WriteStatus | 'rejected';
  /** The version now current for this id (after the write). */
  version?: number | undefined;
  reason?: string | undefined;
  /** Every finding behind a rejection (up to the validator's limit); `reason` summarises the first few. */
  errors?: string[] | undefined;
  warnings?: string[] | undefined;
}

/** A validated batch waiting for the store: every item's outcome, the records to write and their outcomes. */
export interface PreparedBatch {
  outcomes: ItemOutcome[];
  writes: RecordWrite[];
  writeOutcomes: ItemOutcome[];
}

/** The most validation errors summarised in one outcome's `reason`. */
const MAX_REASONS = 5;

/**
 * Validate → normalise → upsert-if-newer for a batch of records. Each record is validated on its own; the valid ones
 * are written in one store call, each atomically, and every item gets an outcome. Nothing invalid reaches the store.
 */
export class IngestService {
  constructor(
    private readonly store: CallRecordStore,
    private readonly clock: Clock,
  ) {}

  async ingest(items: readonly IngestItem[], firstIndex = 0): Promise<ItemOutcome[]> {
    return this.commit(this.prepare(items, firstIndex));
  }

  /**
   * The first half of `ingest`, synchronous: validates and cuts every item. A caller can prepare the next batch
   * while the store is still writing the previous one (`callrecords import` does), then `commit` them in order.
   */
  prepare(items: readonly IngestItem[], firstIndex = 0): PreparedBatch {
    const outcomes: ItemOutcome[] = [];
    const writes: RecordWrite[] = [];
    const writeOutcomes: ItemOutcome[] = [];
    items.forEach((item, i) => {
      const index = firstIndex + i;
      if (item.error !== undefined) {
        outcomes.push({ index, line: item.line, id: idOf(item.value), status: 'rejected', reason: item.error });
        return;
      }
      const result = validateCallRecord(item.value);
      if (!result.ok) {
        const errors = result.errors.map(formatIssue);
        const more = errors.length > MAX_REASONS ? ` (and ${errors.length - MAX_REASONS} more)` : '';
        const reason = errors.slice(0, MAX_REASONS).join('; ') + more;
        outcomes.push({ index, line: item.line, id: idOf(item.value), status: 'rejected', reason, errors });
        return;
      }
      const outcome: ItemOutcome = { index, line: item.line, id: result.record.id as string, status: 'inserted' };
      if (result.warnings.length > 0) outcome.warnings = result.warnings.map(formatIssue);
      let write: RecordWrite;
      try {
        write = toRecordWrite(result.record, result.hasEvolvableMembers);
      } catch (error) {
        // A record the validator let through but that cannot be serialised is this item's failure, not the batch's.
        outcomes.push({ ...outcome, status: 'rejected', reason: `cannot be stored: ${(error as Error).message}` });
        return;
      }
      if (item.receivedAt !== undefined) write.receivedAt = item.receivedAt;
      writes.push(write);
      writeOutcomes.push(outcome);
      outcomes.push(outcome);
    });
    return { outcomes, writes, writeOutcomes };
  }

  /** The second half of `ingest`: writes a prepared batch and fills in each valid item's outcome. */
  async commit({ outcomes, writes, writeOutcomes }: PreparedBatch): Promise<ItemOutcome[]> {
    if (writes.length > 0) {
      const results = await this.store.write(writes, this.clock.now().toISOString());
      results.forEach((r, i) => {
        const outcome = writeOutcomes[i]!;
        outcome.status = r.status;
        outcome.version = r.currentVersion;
      });
    }
    return outcomes;
  }
}

function idOf(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const id = (value as Record<string, unknown>).id;
  return typeof id === 'string' ? id : undefined;
}
