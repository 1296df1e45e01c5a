import type { ExpandItem, RecordFilter } from '../odata/query-options.js';

/**
 * The canonical text of query options, used both in `@odata.nextLink` URLs and to bind a skip token to the query it
 * was issued for. Dates are written in their normalised UTC form, which is itself a valid DateTimeOffset literal.
 */
export function filterText(filter: RecordFilter | undefined): string | undefined {
  if (filter === undefined) return undefined;
  const terms = filter.start.map((b) => `startDateTime ${b.op} ${b.value}`);
  if (filter.participantId !== undefined) {
    terms.push(`participants_v2/any(p:p/id eq '${filter.participantId.replaceAll("'", "''")}')`);
  }
  return terms.length === 0 ? undefined : terms.join(' and ');
}

/** `$expand` text of expand items, e.g. `sessions($select=id;$expand=segments)`. */
export function expandText(items: readonly ExpandItem[] | undefined): string | undefined {
  if (items === undefined || items.length === 0) return undefined;
  return items
    .map((item) => {
      const inner = [
        item.select === undefined ? undefined : `$select=${item.select.join(',')}`,
        item.expand === undefined || item.expand.length === 0 ? undefined : `$expand=${expandText(item.expand)}`,
      ].filter((part) => part !== undefined);
      return inner.length === 0 ? item.name : `${item.name}(${inner.join(';')})`;
    })
    .join(',');
}

/** An absolute URL with the given query options (undefined ones left out), values percent-encoded. */
export function linkWithQuery(base: string, options: ReadonlyArray<readonly [string, string | undefined]>): string {
  const query = options
    .filter((o): o is readonly [string, string] => o[1] !== undefined)
    .map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
    .join('&');
  return query === '' ? base : `${base}?${query}`;
}

/**
 * The projection part of an `@odata.context` URL: `(id,version,sessions(segments()))`, or '' when the request has
 * neither $select nor $expand (the forms of the https://learn.microsoft.com/graph/api/callrecords-callrecord-get examples).
 */
export function contextProjection(
  select: readonly string[] | undefined,
  expand: readonly ExpandItem[] | undefined,
): string {
  const parts = projectionParts(select, expand);
  return parts.length === 0 ? '' : `(${parts.join(',')})`;
}

function projectionParts(select: readonly string[] | undefined, expand: readonly ExpandItem[] | undefined): string[] {
  return [
    ...(select ?? []),
    ...(expand ?? []).map((e) => `${e.name}(${projectionParts(e.select, e.expand).join(',')})`),
  ];
}
