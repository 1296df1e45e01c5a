import type { Clock } from '../clock.js';
import { AppError } from '../errors.js';
import { completenessOf } from '../domain/completeness.js';
import { formatIssue, MAX_VALIDATION_ISSUES, validateCallRecord, type ValidationIssue } from '../domain/validate.js';
import type { RecordStore } from '../storage/roles.js';
import type { WriteResult, WriteStatus } from '../storage/store.js';
import { toRecordWrite } from '../service/record-fragments.js';
import type { RecordWrite } from '../storage/store.js';

/** One record to ingest, already parsed, with where it came from. */
export interface IngestItem {
  value?: unknown;
  /** Set when the item could not even be read (e.g. invalid JSON): it is rejected with this reason. */
  error?: string | undefined;
  /** 1-based line in the source file or body, when known. */
  line?: number | undefined;
  /** Findings in the item's JSON text that validation of the parsed value cannot see (parse-items.ts). */
  issues?: ValidationIssue[] | undefined;
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
  /**
   * What the record's current version lacks after the write (`60 of ≥ 61 sessions; follow sessions@odata.nextLink`);
   * absent when it is whole (docs/api.md, "Version rules").
   */
  partial?: string | undefined;
}

/** A validated batch waiting for the store: every item's outcome, the records to write and their outcomes. */
export interface PreparedBatch {
  outcomes: ItemOutcome[];
  writes: RecordWrite[];
  writeOutcomes: ItemOutcome[];
}

/** What an ingest service is told of, beside its store: the privacy purge and the metrics plug in here. */
export interface IngestHooks {
  /** Runs before a batch is prepared (`ingest` only): the privacy purge refreshes its list of erased people. */
  beforeBatch?: (() => Promise<void>) | undefined;
  /**
   * Sees each validated record before it is cut for the store, and may change it in place: the privacy purge scrubs
   * a record already past its EUII age, or naming an erased person, there (src/privacy/).
   */
  beforeWrite?: ((record: Record<string, unknown>) => void) | undefined;
  /** Told the outcomes of each `ingest` call (metrics). */
  observe?: ((outcomes: readonly ItemOutcome[]) => void) | undefined;
}

/** The most validation errors summarised in one outcome's `reason`. */
const MAX_REASONS = 5;

/**
 * The longest finding reported, in characters: a finding quotes property names and enum values, which a client
 * chooses, so without a cap an answer could echo a body many times over.
 */
const MAX_FINDING_LENGTH = 300;

/**
 * Validate → normalise → upsert-if-newer for a batch of records. Each record is validated on its own; the valid ones
 * are written in one store call, each atomically, and every item gets an outcome. Nothing invalid reaches the store.
 */
export class IngestService {
  constructor(
    private readonly store: RecordStore,
    private readonly clock: Clock,
    private readonly hooks: IngestHooks = {},
  ) {}

  /** Validates and writes a batch; `hooks.observe` (metrics) is told its outcomes. */
  async ingest(items: readonly IngestItem[], firstIndex = 0): Promise<ItemOutcome[]> {
    await this.hooks.beforeBatch?.();
    const outcomes = await this.commit(this.prepare(items, firstIndex));
    this.hooks.observe?.(outcomes);
    return outcomes;
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
      // Read before validation, which drops the next links that say a collection was cut short.
      const completeness = completenessOf(item.value);
      const result = validateCallRecord(item.value);
      if (!result.ok || item.issues !== undefined) {
        const issues = [...(item.issues ?? []), ...(result.ok ? [] : result.errors)];
        const errors = issues.slice(0, MAX_VALIDATION_ISSUES).map(findingText);
        const more = errors.length > MAX_REASONS ? ` (and ${errors.length - MAX_REASONS} more)` : '';
        const reason = errors.slice(0, MAX_REASONS).join('; ') + more;
        outcomes.push({ index, line: item.line, id: idOf(item.value), status: 'rejected', reason, errors });
        return;
      }
      const outcome: ItemOutcome = { index, line: item.line, id: result.record.id as string, status: 'inserted' };
      if (result.warnings.length > 0) outcome.warnings = result.warnings.map(findingText);
      let write: RecordWrite;
      try {
        this.hooks.beforeWrite?.(result.record);
        write = toRecordWrite(result.record, result.hasEvolvableMembers, completeness);
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

  /**
   * The second half of `ingest`: writes a prepared batch and fills in each valid item's outcome. Should the store
   * refuse the batch, its records are written one by one, so that a record the store cannot hold costs only itself
   * (`rejected`, with the store's reason); when every one fails, it is the store that failed, and that is raised.
   */
  async commit({ outcomes, writes, writeOutcomes }: PreparedBatch): Promise<ItemOutcome[]> {
    if (writes.length === 0) return outcomes;
    const receivedAt = this.clock.now().toISOString();
    let results: (WriteResult | Error)[];
    try {
      results = await this.store.write(writes, receivedAt);
    } catch (error) {
      // A database that is busy or unreachable would refuse each record too: that is the store's failure, raised.
      if (writes.length === 1 || (error instanceof AppError && error.code === 'serviceNotAvailable')) throw error;
      results = [];
      for (const write of writes) {
        results.push(
          await this.store.write([write], receivedAt).then(
            (r) => r[0]!,
            (e: unknown) => toError(e),
          ),
        );
      }
      if (results.every((r) => r instanceof Error)) throw error;
    }
    results.forEach((r, i) => {
      const outcome = writeOutcomes[i]!;
      if (r instanceof Error) {
        outcome.status = 'rejected';
        outcome.reason = `cannot be stored: ${r.message}`;
      } else {
        outcome.status = r.status;
        outcome.version = r.currentVersion;
        if (r.partial !== undefined) outcome.partial = r.partial;
      }
    });
    return outcomes;
  }
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function findingText(issue: ValidationIssue): string {
  return clip(formatIssue(issue));
}

/** A client's text cut to MAX_FINDING_LENGTH characters. */
function clip(text: string): string {
  return text.length > MAX_FINDING_LENGTH ? `${text.slice(0, MAX_FINDING_LENGTH - 1)}…` : text;
}

function idOf(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const id = (value as Record<string, unknown>).id;
  return typeof id === 'string' ? clip(id) : undefined;
}
