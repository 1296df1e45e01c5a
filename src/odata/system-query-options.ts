/**
 * The OData system query options this service knows by name (OData v4.01 URL conventions §5; Graph docs
 * "Use query parameters"). Names are compared in lower case, `$` included.
 */

/** Every system query option name a request may carry; any other `$name` is an unknown option. */
export const SYSTEM_QUERY_OPTIONS: ReadonlySet<string> = new Set([
  '$filter',
  '$select',
  '$expand',
  '$skiptoken',
  '$top',
  '$skip',
  '$orderby',
  '$count',
  '$search',
  '$format',
  '$apply',
  '$compute',
  '$levels',
  '$index',
  '$schemaversion',
  '$deltatoken',
]);
