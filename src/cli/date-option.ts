import { toSortableUtc } from '../domain/datetime.js';
import { CliError } from './cli-error.js';

/** The sortable UTC key of a `--from`/`--to` value: a date (`2024-01-01`, midnight UTC) or an ISO date-time. */
export function dateOption(value: string | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  const key = toSortableUtc(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (key === undefined) throw new CliError(`${flag} '${value}' is not a date (2024-01-01) or an ISO-8601 date-time`);
  return key;
}
