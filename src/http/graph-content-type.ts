/** The content type Graph answers JSON with (dependencies.md, trap 4). */
export const GRAPH_JSON_CONTENT_TYPE =
  'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

/** The content type of `$count` answers. */
export const TEXT_CONTENT_TYPE = 'text/plain; charset=utf-8';
