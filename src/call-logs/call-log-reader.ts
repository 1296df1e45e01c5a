import { findType, propertyNames } from '../domain/model.js';
import { AppError } from '../errors.js';
import { splitQueryString } from '../odata/query-string.js';
import { SYSTEM_QUERY_OPTIONS } from '../odata/system-query-options.js';
import { linkWithQuery } from '../service/graph-links.js';
import { pageSize, type ReadContext, type ReadResult } from '../service/read-context.js';
import type { SkipTokenCodec } from '../service/skip-token.js';
import type { LogCursor, StoredLogRow } from '../storage/call-log-types.js';
import type { CallLogStore } from '../storage/roles.js';
import { aggregateDialout } from './dialout-aggregate.js';
import { parseFunctionWindow, type FunctionWindow } from './function-window.js';
import { logKindOfFunction, type LogKind } from './log-kinds.js';

/** Graph's page size for the telephony functions ("more than 1,000 entries … @odata.nextLink"). */
export const MAX_LOG_PAGE = 1000;

// Graph ignores $filter on these functions (microsoft-graph-docs-contrib#3535); $count is implied (@odata.count).
const IGNORED = new Set(['$filter', '$count']);

/**
 * Answers the telephony functions bound to the callRecord collection — getPstnCalls, getDirectRoutingCalls and, on
 * beta, getSmsLog, getPstnBlockedUsersLog, getPstnOnlineMeetingDialoutReport — from the archive, as Graph shapes them
 * (https://learn.microsoft.com/graph/api/callrecords-callrecord-getpstncalls): pages of at most 1,000 rows (fewer with
 * `Prefer: odata.maxpagesize`) in (time, key) order, `@odata.count` = the rows in this page, and an `@odata.nextLink`
 * with a signed `$skiptoken` on every page but the last. The window is unlimited unless `strict` (`--graph-strict`).
 */
export class CallLogReader {
  constructor(
    private readonly store: CallLogStore,
    private readonly tokens: SkipTokenCodec,
    private readonly strict: boolean,
  ) {}

  /** One function request: `fn` as resource-path.ts names it, `args` the text inside its parentheses. */
  async call(ctx: ReadContext, version: string, fn: string, args: string, rawQuery: string): Promise<ReadResult> {
    const kind = logKindOfFunction(fn);
    if (!kind.versions.some((v) => v === version)) {
      throw new AppError('BadRequest', `Resource not found for the segment '${fn}': ${fn} exists on /beta only.`);
    }
    const skipToken = functionOptions(rawQuery);
    const call = parseFunctionWindow(kind, args, this.strict);
    const size = pageSize(MAX_LOG_PAGE, ctx.prefer);
    const query = `${kind.fn}|${call.window.fromKey}|${call.window.toKey}`;
    const page =
      kind.timeProperty === undefined
        ? await this.reportPage(kind, call, query, size, skipToken)
        : await this.rowPage(kind, call, query, size, skipToken);
    const betaOnly = version === 'v1.0' ? betaOnlyProperties(kind.rowType) : undefined;
    const rows =
      ctx.prefer.omitNulls || betaOnly !== undefined
        ? page.rows.map((r) => reshaped(r, ctx.prefer.omitNulls, betaOnly))
        : page.rows;
    const base = `${ctx.serviceRoot}/communications/callRecords/${kind.fn}(fromDateTime=${encodeURIComponent(call.fromText)},toDateTime=${encodeURIComponent(call.toText)})`;
    const members = [
      `"@odata.context":${JSON.stringify(`${ctx.serviceRoot}/$metadata#Collection(microsoft.graph.callRecords.${kind.rowType})`)}`,
      `"@odata.count":${rows.length}`,
      `"value":[${rows.join(',')}]`,
    ];
    if (page.next !== undefined) {
      members.push(`"@odata.nextLink":${JSON.stringify(linkWithQuery(base, [['$skiptoken', page.next]]))}`);
    }
    const applied: string[] = [];
    if (ctx.prefer.maxPageSize !== undefined) applied.push(`odata.maxpagesize=${size}`);
    if (ctx.prefer.omitNulls) applied.push('omit-values=nulls');
    return { body: Buffer.from(`{${members.join(',')}}`), contentType: 'json', applied };
  }

  private async rowPage(
    kind: LogKind,
    call: FunctionWindow,
    query: string,
    size: number,
    skipToken: string | undefined,
  ): Promise<{ rows: string[]; next?: string }> {
    let after: LogCursor | undefined;
    if (skipToken !== undefined) {
      const state = this.tokens.decode(skipToken, 'callLogs', query);
      after = { timeKey: state.timeKey, rowKey: state.rowKey };
    }
    const found: StoredLogRow[] = await this.store.listRows(kind.table, call.window, after, size + 1);
    if (found.length <= size) return { rows: found.map((r) => r.json) };
    const last = found[size - 1]!;
    const next = this.tokens.encode({ kind: 'callLogs', timeKey: last.timeKey, rowKey: last.rowKey, query });
    return { rows: found.slice(0, size).map((r) => r.json), next };
  }

  private async reportPage(
    kind: LogKind,
    call: FunctionWindow,
    query: string,
    size: number,
    skipToken: string | undefined,
  ): Promise<{ rows: string[]; next?: string }> {
    const offset = skipToken === undefined ? 0 : this.tokens.decode(skipToken, 'callLogReport', query).offset;
    const stored = await this.store.listPeriodRows(kind.table, call.window.fromKey, call.window.toKey);
    const all = aggregateDialout(stored.map((r) => JSON.parse(r.json) as Record<string, unknown>));
    const rows = all.slice(offset, offset + size).map((r) => JSON.stringify(r));
    if (offset + size >= all.length) return { rows };
    return { rows, next: this.tokens.encode({ kind: 'callLogReport', offset: offset + size, query }) };
  }
}

/** The `$skiptoken` of a function request; `$filter` and `$count` are ignored, any other system option refused. */
function functionOptions(rawQuery: string): string | undefined {
  let skipToken: string | undefined;
  const seen = new Set<string>();
  for (const [name, value] of splitQueryString(rawQuery)) {
    if (!name.startsWith('$')) continue;
    const key = name.toLowerCase();
    if (!SYSTEM_QUERY_OPTIONS.has(key)) {
      throw new AppError('invalidQueryOption', `Query option '${name}' is not a known OData system query option.`);
    }
    if (seen.has(key)) throw new AppError('invalidQueryOption', `Query option '${name}' is specified more than once.`);
    seen.add(key);
    if (key === '$skiptoken') skipToken = value;
    else if (!IGNORED.has(key)) {
      throw new AppError('notSupported', `Query option '${name}' is not supported on this function.`);
    }
  }
  return skipToken;
}

/**
 * A row as one response shows it: without nulls under `omit-values=nulls`, and on v1.0 without the properties only
 * beta declares (a row pulled from beta keeps `otherPartyCountryCode`, which v1.0's row type does not have).
 */
function reshaped(json: string, omitNulls: boolean, drop: ReadonlySet<string> | undefined): string {
  if (drop !== undefined && !omitNulls && ![...drop].some((name) => json.includes(`"${name}":`))) return json;
  const row = JSON.parse(json) as Record<string, unknown>;
  const kept = Object.entries(row).filter(([name, v]) => !(omitNulls && v === null) && !drop?.has(name));
  return JSON.stringify(Object.fromEntries(kept));
}

const BETA_ONLY = new Map<string, ReadonlySet<string> | undefined>();

/** The properties of a row type that beta declares and v1.0 does not; undefined when there are none. */
function betaOnlyProperties(rowType: string): ReadonlySet<string> | undefined {
  if (!BETA_ONLY.has(rowType)) {
    const v1 = findType(rowType, 'v1.0') === undefined ? new Set<string>() : propertyNames(rowType, 'v1.0');
    const names = [...propertyNames(rowType, 'beta')].filter((n) => !v1.has(n));
    BETA_ONLY.set(rowType, names.length === 0 ? undefined : new Set(names));
  }
  return BETA_ONLY.get(rowType);
}
