import type { Clock } from '../clock.js';
import { AppError } from '../errors.js';
import type { IngestItem, ItemOutcome } from '../ingest/ingest-service.js';
import type { CallLogStore } from '../storage/roles.js';
import { CallLogIngest, type LogIngestHooks } from './call-log-ingest.js';
import { instant } from './function-window.js';
import { LOG_KIND_NAMES, logKindNamed, type LogKind } from './log-kinds.js';
import type { ReportPeriod } from './log-row-write.js';

/**
 * The kind named in `POST /api/logs/{kind}` or `import --kind`, or `BadRequest` naming the kinds there are.
 */
export function logKindFor(name: string): LogKind {
  const kind = logKindNamed(name);
  if (kind === undefined) {
    // The name is the client's text: shown, but not at any length.
    const shown = name.length > 64 ? `${name.slice(0, 63)}…` : name;
    throw new AppError('BadRequest', `'${shown}' is not a telephony log; use one of ${LOG_KIND_NAMES}.`);
  }
  return kind;
}

/**
 * The period a dial-out report batch covers, from `fromDateTime` and `toDateTime` (dates or DateTimeOffsets): required
 * for `pstnOnlineMeetingDialoutReport`, whose rows are aggregates that carry no time of their own; undefined for the
 * other kinds.
 */
export function reportPeriodFor(
  kind: LogKind,
  from: string | undefined,
  to: string | undefined,
): ReportPeriod | undefined {
  if (kind.timeProperty !== undefined) return undefined;
  if (from === undefined || to === undefined) {
    throw new AppError(
      'BadRequest',
      `${kind.name} rows are aggregates over a period: give it as fromDateTime and toDateTime (the window they were reported for).`,
    );
  }
  const period = { fromKey: instant(kind, 'fromDateTime', from), toKey: instant(kind, 'toDateTime', to) };
  if (period.toKey < period.fromKey) throw new AppError('BadRequest', 'toDateTime is before fromDateTime.');
  return period;
}

/** Ingest of telephony log rows by kind (the archive API's `POST /api/logs/{kind}`). */
export class CallLogService {
  constructor(
    private readonly store: CallLogStore,
    private readonly clock: Clock,
    /** The privacy rules every write applies (src/privacy/log-ingest-hooks.ts). */
    private readonly hooks: LogIngestHooks = {},
  ) {}

  /** An ingest service for one kind (and, for dial-out reports, one period). */
  ingestFor(kind: LogKind, period?: ReportPeriod): CallLogIngest {
    return new CallLogIngest(this.store, this.clock, kind, period, this.hooks);
  }

  /** Validates and stores rows of the named kind; every item gets an outcome. */
  ingest(kindName: string, items: readonly IngestItem[], from?: string, to?: string): Promise<ItemOutcome[]> {
    const kind = logKindFor(kindName);
    return this.ingestFor(kind, reportPeriodFor(kind, from, to)).ingest(items);
  }
}
