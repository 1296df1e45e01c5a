import { AppError } from '../errors.js';
import type { MetaStore, RecordStore } from '../storage/roles.js';
import { partialRecordsPage, type PartialRecordsPage, type PartialRecordsRequest } from './partial-records.js';

/** The answer of `GET /api/health` (docs/api.md, "Health"). */
export interface HealthReport {
  status: 'ok';
  database: { kind: string; status: 'ok' };
  records: number;
  partial: number;
  oldestRecord: { id: string; startDateTime: string } | undefined;
  newestRecord: { id: string; startDateTime: string } | undefined;
}

/** What the operator asks of the archive beside Graph's reads: its health and the records still partial. */
export class ArchiveStatus {
  constructor(
    private readonly meta: Pick<MetaStore, 'health' | 'ping'>,
    private readonly records: Pick<RecordStore, 'listPartialRecords'>,
  ) {}

  /**
   * The health report; any failure of the database is `serviceNotAvailable`, with the driver's error as its cause
   * (its message can name the database's host, user or path: it goes to the log, not to the caller).
   */
  async health(): Promise<HealthReport> {
    let health;
    try {
      health = await this.meta.health();
    } catch (error) {
      throw new AppError('serviceNotAvailable', 'The database is not available.', undefined, { cause: error });
    }
    return {
      status: 'ok',
      database: { kind: health.kind, status: 'ok' },
      records: health.records,
      partial: health.partial,
      oldestRecord: health.oldest && { id: health.oldest.id, startDateTime: health.oldest.startKey },
      newestRecord: health.newest && { id: health.newest.id, startDateTime: health.newest.startKey },
    };
  }

  /**
   * Readiness: the database answered a trivial statement (no count, so a probe costs nothing); otherwise
   * `serviceNotAvailable`, with the driver's error as its cause.
   */
  async ready(): Promise<{ status: 'ready'; database: { status: 'ok' } }> {
    try {
      await this.meta.ping();
    } catch (error) {
      throw new AppError('serviceNotAvailable', 'The database is not available.', undefined, { cause: error });
    }
    return { status: 'ready', database: { status: 'ok' } };
  }

  /** A page of the records whose current version is partial (see partialRecordsPage). */
  partialRecords(request: PartialRecordsRequest): Promise<PartialRecordsPage> {
    return partialRecordsPage(this.records, request);
  }
}
