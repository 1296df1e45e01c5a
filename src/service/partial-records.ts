import { holdsNul } from '../domain/json-text-rules.js';
import { AppError } from '../errors.js';
import type { RecordStore } from '../storage/roles.js';
import type { PartialRecord } from '../storage/store.js';

/** Partial records per page of `GET /api/callRecords?partial=true` unless `limit` says otherwise. */
const PARTIAL_PAGE_SIZE = 100;

/** The largest `limit` a page of partial records may ask for. */
const MAX_PARTIAL_PAGE_SIZE = 1000;

/** The query of `GET /api/callRecords`, as received. */
export interface PartialRecordsRequest {
  partial?: string | undefined;
  after?: string | undefined;
  limit?: string | undefined;
}

/** A page of partial records and, when more follow, the link to the next page. */
export interface PartialRecordsPage {
  value: PartialRecord[];
  nextLink?: string | undefined;
}

/**
 * Answers `GET /api/callRecords?partial=true[&after=id][&limit=n]`: the records whose current version is partial
 * (docs/api.md, "Version rules"), ordered by id, keyset-paged by the last id of the previous page. Other queries
 * are a BadRequest: this list serves the operator, not Graph clients.
 */
export async function partialRecordsPage(
  store: Pick<RecordStore, 'listPartialRecords'>,
  request: PartialRecordsRequest,
): Promise<PartialRecordsPage> {
  if (request.partial !== 'true') {
    throw new AppError('BadRequest', 'GET /api/callRecords lists partial records only: add ?partial=true.');
  }
  if (request.after !== undefined && typeof request.after !== 'string') {
    throw new AppError('BadRequest', 'after must be given once: the last id of the previous page.');
  }
  if (request.after !== undefined && holdsNul(request.after)) {
    throw new AppError('BadRequest', 'after is not an id this list gave: it holds U+0000.');
  }
  const limit = pageSize(request.limit);
  const rows = await store.listPartialRecords({ after: request.after, limit: limit + 1 });
  const value = rows.slice(0, limit);
  if (rows.length <= limit) return { value };
  const next = new URLSearchParams({ partial: 'true', after: value.at(-1)!.id });
  if (request.limit !== undefined) next.set('limit', String(limit));
  return { value, nextLink: `/api/callRecords?${next.toString()}` };
}

function pageSize(text: string | undefined): number {
  if (text === undefined) return PARTIAL_PAGE_SIZE;
  const n = typeof text === 'string' && /^\d{1,4}$/.test(text) ? Number(text) : 0;
  if (n < 1 || n > MAX_PARTIAL_PAGE_SIZE) {
    throw new AppError('BadRequest', `limit must be a whole number from 1 to ${MAX_PARTIAL_PAGE_SIZE}.`);
  }
  return n;
}
