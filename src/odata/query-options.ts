/**
 * The system query options of one request, split from the raw query string, checked against what the resource
 * allows and parsed (https://learn.microsoft.com/graph/query-parameters). The result is plain data: the service decides what to do with it.
 */
import { AppError } from '../errors.js';
import { parseFilter, type RecordFilter } from './filter-parser.js';
import { splitQueryString } from './query-string.js';
import { parseExpand, parseSelect, type ExpandItem, type ExpandRules } from './select-expand.js';
import { SYSTEM_QUERY_OPTIONS } from './system-query-options.js';

export type { ExpandItem, ExpandRules } from './select-expand.js';
export type { RecordFilter } from './filter-parser.js';

/** What one resource accepts: `$filter`, the selectable properties, the expandable navigations, `$skiptoken`. */
export interface AllowedOptions {
  filter?: boolean;
  select?: ReadonlySet<string>;
  expand?: ExpandRules;
  skipToken?: boolean;
}

/** The parsed system query options of a request; an option that was not sent is absent. */
export interface QueryOptions {
  filter?: RecordFilter;
  select?: string[];
  expand?: ExpandItem[];
  skipToken?: string;
}

/**
 * Parses the raw query string (everything after `?`, undecoded) into QueryOptions for a resource that allows
 * `allowed`. System option names are matched case-insensitively; names without `$` are custom options and ignored.
 * Throws `invalidQueryOption` for an unknown `$name`, a repeated option or a malformed value, and `notSupported`
 * for a known option that this resource does not support (`$top`, `$orderby`, `$expand` on a list, …).
 */
export function parseQueryOptions(raw: string, allowed: AllowedOptions): QueryOptions {
  const values = new Map<string, string>();
  for (const [name, value] of splitQueryString(raw)) {
    if (!name.startsWith('$')) continue;
    const key = name.toLowerCase();
    if (!SYSTEM_QUERY_OPTIONS.has(key)) {
      throw new AppError('invalidQueryOption', `Query option '${name}' is not a known OData system query option.`);
    }
    if (values.has(key)) {
      throw new AppError(
        'invalidQueryOption',
        `Query option '${name}' is specified more than once; use it at most once.`,
      );
    }
    if (!isAllowed(key, allowed)) {
      throw new AppError('notSupported', `Query option '${name}' is not supported on this resource.`);
    }
    values.set(key, value);
  }
  return toOptions(values, allowed);
}

function isAllowed(key: string, allowed: AllowedOptions): boolean {
  switch (key) {
    case '$filter':
      return allowed.filter === true;
    case '$select':
      return allowed.select !== undefined && allowed.select.size > 0;
    case '$expand':
      return allowed.expand !== undefined && Object.keys(allowed.expand).length > 0;
    case '$skiptoken':
      return allowed.skipToken === true;
    default:
      return false;
  }
}

function toOptions(values: ReadonlyMap<string, string>, allowed: AllowedOptions): QueryOptions {
  const options: QueryOptions = {};
  const filter = values.get('$filter');
  if (filter !== undefined) options.filter = parseFilter(filter);
  const select = values.get('$select');
  if (select !== undefined && allowed.select !== undefined) options.select = parseSelect(select, allowed.select);
  const expand = values.get('$expand');
  if (expand !== undefined && allowed.expand !== undefined) options.expand = parseExpand(expand, allowed.expand);
  const skipToken = values.get('$skiptoken');
  if (skipToken !== undefined) {
    if (skipToken === '') throw new AppError('invalidQueryOption', 'Invalid $skiptoken: the value is empty.');
    options.skipToken = skipToken;
  }
  return options;
}
