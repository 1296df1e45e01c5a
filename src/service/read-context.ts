/**
 * What a read needs to know about its request besides the query options: where the service lives (for
 * `@odata.context` and absolute next links) and the client's `Prefer` preferences (https://learn.microsoft.com/graph/api/callrecords-callrecord-get, https://learn.microsoft.com/graph/best-practices-concept#handling-future-members-in-evolvable-enumerations).
 */
export interface ReadContext {
  /** The service root the client used or the configured public URL, with the version: `https://host/v1.0`. */
  serviceRoot: string;
  /** The same without the version segment: `https://host`. */
  hostRoot: string;
  prefer: Preferences;
}

/** The `Prefer` header values this service honours. */
export interface Preferences {
  /** `odata.maxpagesize=N`: lowers (never raises) the page size. */
  maxPageSize?: number | undefined;
  /** `include-unknown-enum-members`: return evolvable enum members instead of `unknownFutureValue` (https://learn.microsoft.com/graph/best-practices-concept#handling-future-members-in-evolvable-enumerations). */
  includeUnknownEnumMembers: boolean;
  /** `omit-values=nulls`: leave out null values. */
  omitNulls: boolean;
}

/** A response body: JSON bytes, or plain text for `$count`. */
export interface ReadResult {
  body: Buffer | string;
  contentType: 'json' | 'text';
  /** Preferences that shaped this response, for the `Preference-Applied` header. */
  applied: string[];
}

/** An OData key literal: `'id'` with quotes doubled. */
export function keyLiteral(id: string): string {
  return `'${id.replaceAll("'", "''")}'`;
}

/** `{root}/$metadata#communications/callRecords('{id}')` — the prefix of every contained resource's context. */
export function recordContextBase(root: string, id: string): string {
  return `${root}/$metadata#communications/callRecords(${keyLiteral(id)})`;
}

/** An OData key literal as it stands in a URL path: `('id')`, percent-encoded where a URL needs it. */
export function keyPath(id: string): string {
  return `(${encodeURIComponent(keyLiteral(id))})`;
}

/** The page size for a collection whose Graph maximum is `max` (https://learn.microsoft.com/graph/paging). */
export function pageSize(max: number, prefer: Preferences): number {
  return prefer.maxPageSize !== undefined && prefer.maxPageSize < max ? prefer.maxPageSize : max;
}
