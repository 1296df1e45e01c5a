import { AppError } from '../errors.js';
import type { AuditStore, StoredAuditEntry } from '../storage/roles.js';

const AUDIT_PAGE_SIZE = 100;
const MAX_AUDIT_PAGE_SIZE = 1000;

/** The query of `GET /api/audit`, as received. */
export interface AuditPageRequest {
  before?: string | undefined;
  limit?: string | undefined;
}

/** A page of the audit trail, newest first, and the link to the next (older) page when there is one. */
export interface AuditPage {
  value: StoredAuditEntry[];
  nextLink?: string | undefined;
}

/**
 * Answers `GET /api/audit[?before=seq][&limit=n]`: the audit trail newest first, keyset-paged by sequence number.
 * What the trail still holds in memory is written first, so a page includes every request answered before it.
 */
export class AuditReader {
  constructor(
    private readonly store: Pick<AuditStore, 'listAudit'>,
    private readonly pending: { flush(): Promise<void> },
  ) {}

  async page(request: AuditPageRequest): Promise<AuditPage> {
    const before = request.before === undefined ? undefined : wholeNumber(request.before, 'before', 2 ** 53);
    const limit =
      request.limit === undefined ? AUDIT_PAGE_SIZE : wholeNumber(request.limit, 'limit', MAX_AUDIT_PAGE_SIZE);
    await this.pending.flush();
    const rows = await this.store.listAudit({ before, limit: limit + 1 });
    const value = rows.slice(0, limit);
    if (rows.length <= limit) return { value };
    const next = new URLSearchParams({ before: String(value.at(-1)!.seq) });
    if (request.limit !== undefined) next.set('limit', String(limit));
    return { value, nextLink: `/api/audit?${next.toString()}` };
  }
}

function wholeNumber(text: unknown, name: string, max: number): number {
  const n = typeof text === 'string' && /^\d{1,16}$/.test(text) ? Number(text) : 0;
  if (n < 1 || n > max) throw new AppError('BadRequest', `${name} must be a whole number from 1 to ${max}.`);
  return n;
}
