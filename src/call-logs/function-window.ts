/**
 * The parameters of a telephony function, `getPstnCalls(fromDateTime=2019-11-01,toDateTime=2019-12-01)`, as the
 * docs write them (bare dates: midnight UTC) and as Kiota's request builders send them (full DateTimeOffset literals,
 * percent-decoded by the path parser). `from=`/`to=` are accepted too: Graph's own getPstnCalls next link spells them
 * so. Both parameters are required (https://learn.microsoft.com/graph/api/callrecords-callrecord-getpstncalls).
 */
import { toSortableUtc } from '../domain/datetime.js';
import { AppError } from '../errors.js';
import type { LogWindow } from '../storage/call-log-types.js';
import type { LogKind } from './log-kinds.js';

/** Graph's longest window for these functions ("cannot be more than a date range of 90 days"). */
export const GRAPH_MAX_WINDOW_DAYS = 90;
const DAY_MS = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A parsed function call: the window with the kind's bounds, and the literals as sent (for next links). */
export interface FunctionWindow {
  window: LogWindow;
  fromText: string;
  toText: string;
}

/**
 * Reads `args` (the text between the parentheses, decoded) into the kind's window. Throws `BadRequest` for a missing,
 * repeated, unknown or malformed parameter or a window that ends before it starts; with `strict`, `NotAcceptable`
 * (406, what Graph was observed to answer) for a window of more than 90 days.
 */
export function parseFunctionWindow(kind: LogKind, args: string, strict: boolean): FunctionWindow {
  const values = new Map<string, string>();
  for (const part of args.split(',')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    const name = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
    const canonical = name === 'from' ? 'fromdatetime' : name === 'to' ? 'todatetime' : name;
    if (canonical !== 'fromdatetime' && canonical !== 'todatetime') {
      throw new AppError(
        'BadRequest',
        `${kind.fn} has no parameter '${part.slice(0, eq < 0 ? undefined : eq)}'; it takes fromDateTime and toDateTime.`,
      );
    }
    if (values.has(canonical))
      throw new AppError('BadRequest', `The parameter '${canonical}' of ${kind.fn} is given twice.`);
    values.set(canonical, eq < 0 ? '' : part.slice(eq + 1).trim());
  }
  const fromText = required(kind, values, 'fromDateTime');
  const toText = required(kind, values, 'toDateTime');
  const fromKey = instant(kind, 'fromDateTime', fromText);
  const toKey = instant(kind, 'toDateTime', toText);
  if (toKey < fromKey) {
    throw new AppError('BadRequest', `toDateTime (${toText}) is before fromDateTime (${fromText}) in ${kind.fn}.`);
  }
  if (strict && Date.parse(toKey) - Date.parse(fromKey) > GRAPH_MAX_WINDOW_DAYS * DAY_MS) {
    throw new AppError(
      'NotAcceptable',
      `The fromDateTime and toDateTime values cannot be more than a date range of ${GRAPH_MAX_WINDOW_DAYS} days (--graph-strict).`,
    );
  }
  return { window: { fromKey, toKey, toInclusive: kind.toInclusive }, fromText, toText };
}

function required(kind: LogKind, values: Map<string, string>, name: string): string {
  const value = values.get(name.toLowerCase());
  if (value === undefined || value === '') {
    throw new AppError(
      'BadRequest',
      `The parameter '${name}' of ${kind.fn} is required (${kind.fn}(fromDateTime=…,toDateTime=…)).`,
    );
  }
  return value;
}

/** The sortable UTC key of a parameter literal: a date (midnight UTC) or a DateTimeOffset, quoted or not. */
export function instant(kind: LogKind, name: string, literal: string): string {
  const bare = /^'.*'$/s.test(literal) ? literal.slice(1, -1) : literal;
  const key = toSortableUtc(DATE.test(bare) ? `${bare}T00:00:00Z` : bare);
  if (key === undefined) {
    throw new AppError(
      'BadRequest',
      `The parameter '${name}' of ${kind.fn} is not a date or DateTimeOffset: '${literal}'.`,
    );
  }
  return key;
}
