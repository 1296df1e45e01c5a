import type { IngestItem } from './ingest-service.js';

/**
 * Turns one JSON text into the records it holds: a record, an array of records, or a Graph list page
 * (`{"value": [...]}`, https://learn.microsoft.com/graph/api/callrecords-cloudcommunications-list-callrecords) — so exports, API dumps and pages saved from Graph can all be loaded.
 * Invalid JSON becomes a rejected item with the parser's message.
 */
export function parseItems(text: string, line?: number): IngestItem[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return [{ line, error: `invalid JSON: ${(error as Error).message}` }];
  }
  return unwrap(value, line);
}

/** The records inside an already-parsed body: itself, the elements of an array, or the `value` of a Graph page. */
export function unwrap(value: unknown, line?: number): IngestItem[] {
  if (Array.isArray(value)) return value.map((v: unknown) => ({ value: v, line }));
  if (isGraphPage(value)) return value.value.map((v: unknown) => ({ value: v, line }));
  return [{ value, line }];
}

function isGraphPage(value: unknown): value is { value: unknown[] } {
  if (value === null || typeof value !== 'object') return false;
  const page = value as Record<string, unknown>;
  return Array.isArray(page.value) && page.id === undefined;
}
