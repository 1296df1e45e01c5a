import type { Clock } from '../clock.js';
import { formatIssue, MAX_VALIDATION_ISSUES, type ValidationIssue } from '../domain/validate.js';
import type { IngestItem, ItemOutcome } from '../ingest/ingest-service.js';
import type { LogRowWrite } from '../storage/call-log-types.js';
import type { CallLogStore } from '../storage/roles.js';
import type { LogKind } from './log-kinds.js';
import { logTimeKey, toLogRowWrite, type ReportPeriod } from './log-row-write.js';
import { validateLogRow } from './validate-log-row.js';

const MAX_REASONS = 5;
const MAX_FINDING_LENGTH = 300;

/** What a log ingest is told of, beside its store: the privacy purge plugs in here (src/privacy/log-ingest-hooks.ts). */
export interface LogIngestHooks {
  /** Runs before a batch is prepared (`ingest` only; a caller of `prepare` runs it itself). */
  beforeBatch?(): Promise<void>;
  /** Sees each validated row, with the sortable time it is filed under, before it is keyed; may change it in place. */
  beforeWrite?(row: Record<string, unknown>, timeKey: string): void;
}

/** A prepared batch of log rows: every item's outcome, the rows to write and the outcomes their writes fill in. */
export interface PreparedLogBatch {
  outcomes: ItemOutcome[];
  rows: LogRowWrite[];
  writeOutcomes: ItemOutcome[];
}

/**
 * Validate → key → write for a batch of telephony log rows of one kind (`POST /api/logs/{kind}`, `callrecords import
 * --kind`). Every item gets an outcome like a call record's — `inserted`, `updated` (another body under the same
 * id), `unchanged` (the same row again) or `rejected` with the reasons — and each row is stored whole or not at all:
 * nothing invalid reaches the store, and the valid rows of a batch are written in one transaction.
 */
export class CallLogIngest {
  constructor(
    private readonly store: CallLogStore,
    private readonly clock: Clock,
    private readonly kind: LogKind,
    /** The period of a dial-out report batch (required for that kind, unused for the others). */
    private readonly period?: ReportPeriod,
    private readonly hooks: LogIngestHooks = {},
  ) {}

  async ingest(items: readonly IngestItem[], firstIndex = 0): Promise<ItemOutcome[]> {
    await this.hooks.beforeBatch?.();
    return this.commit(this.prepare(items, firstIndex));
  }

  /** Validates and keys every item (synchronous, so a caller may prepare the next batch while one is written). */
  prepare(items: readonly IngestItem[], firstIndex = 0): PreparedLogBatch {
    const outcomes: ItemOutcome[] = [];
    const rows: LogRowWrite[] = [];
    const writeOutcomes: ItemOutcome[] = [];
    items.forEach((item, i) => {
      const index = firstIndex + i;
      const id = idOf(item.value);
      if (item.error !== undefined) {
        outcomes.push({ index, line: item.line, id, status: 'rejected', reason: item.error });
        return;
      }
      const result = validateLogRow(this.kind, item.value);
      if (!result.ok || item.issues !== undefined) {
        const issues = [...(item.issues ?? []), ...(result.ok ? [] : result.errors)];
        const errors = issues.slice(0, MAX_VALIDATION_ISSUES).map(findingText);
        const more = errors.length > MAX_REASONS ? ` (and ${errors.length - MAX_REASONS} more)` : '';
        outcomes.push({
          index,
          line: item.line,
          id,
          status: 'rejected',
          reason: errors.slice(0, MAX_REASONS).join('; ') + more,
          errors,
        });
        return;
      }
      const outcome: ItemOutcome = { index, line: item.line, id, status: 'inserted' };
      if (result.warnings.length > 0) outcome.warnings = result.warnings.map(findingText);
      // Scrubbed (when past the EUII age, or naming an erased person) before it is keyed: a row without an id is
      // keyed on what is stored.
      this.hooks.beforeWrite?.(result.row, logTimeKey(this.kind, result.row, this.period));
      rows.push(toLogRowWrite(this.kind, result.row, this.period));
      writeOutcomes.push(outcome);
      outcomes.push(outcome);
    });
    return { outcomes, rows, writeOutcomes };
  }

  /** Writes a prepared batch in one transaction and fills in each valid row's outcome. */
  async commit({ outcomes, rows, writeOutcomes }: PreparedLogBatch): Promise<ItemOutcome[]> {
    if (rows.length === 0) return outcomes;
    const statuses = await this.store.write(this.kind.table, rows, this.clock.now().toISOString());
    statuses.forEach((status, i) => (writeOutcomes[i]!.status = status));
    return outcomes;
  }
}

function findingText(issue: ValidationIssue): string {
  const text = formatIssue(issue);
  return text.length > MAX_FINDING_LENGTH ? `${text.slice(0, MAX_FINDING_LENGTH - 1)}…` : text;
}

/** What names a row in an outcome: its id, else its smsId, callId or remediationId. */
function idOf(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const row = value as Record<string, unknown>;
  for (const name of ['id', 'smsId', 'callId', 'remediationId', 'userPrincipalName']) {
    const v = row[name];
    if (typeof v === 'string') return v.length > MAX_FINDING_LENGTH ? `${v.slice(0, MAX_FINDING_LENGTH - 1)}…` : v;
  }
  return undefined;
}
