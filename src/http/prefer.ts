import type { Preferences } from '../service/read-context.js';

/**
 * Reads the `Prefer` header(s) (RFC 7240): `odata.maxpagesize=N`, `include-unknown-enum-members`,
 * `omit-values=nulls` (https://learn.microsoft.com/graph/api/callrecords-callrecord-get, https://learn.microsoft.com/graph/best-practices-concept#handling-future-members-in-evolvable-enumerations). Unknown or malformed preferences are ignored, as RFC 7240 asks.
 */
export function parsePrefer(header: string | string[] | undefined): Preferences {
  const prefer: Preferences = { includeUnknownEnumMembers: false, omitNulls: false };
  const values = header === undefined ? [] : Array.isArray(header) ? header : [header];
  for (const token of values.flatMap((v) => v.split(','))) {
    const [rawName = '', rawValue] = token.split(';')[0]!.split('=');
    const name = rawName.trim().toLowerCase();
    const value = rawValue?.trim().replace(/^"|"$/g, '');
    if (name === 'odata.maxpagesize' && value !== undefined && /^\d+$/.test(value) && Number(value) > 0) {
      prefer.maxPageSize = Number(value);
    } else if (name === 'include-unknown-enum-members') {
      prefer.includeUnknownEnumMembers = true;
    } else if (name === 'omit-values' && value?.toLowerCase() === 'nulls') {
      prefer.omitNulls = true;
    }
  }
  return prefer;
}
