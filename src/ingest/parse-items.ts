import { findInText, textIssues } from '../domain/json-text-rules.js';
import type { IngestItem } from './ingest-service.js';

/**
 * Turns one JSON text into the records it holds: a record, an array of records, or a Graph list page
 * (`{"value": [...]}`, https://learn.microsoft.com/graph/api/callrecords-cloudcommunications-list-callrecords) — so
 * exports, API dumps and pages saved from Graph can all be loaded. Invalid JSON becomes a rejected item with the
 * parser's message; what the text holds that JSON.parse would change or a store could not keep (json-text-rules.ts)
 * becomes each affected item's `issues`.
 */
export function parseItems(text: string, line?: number): IngestItem[] {
  return parseText(text, line).items;
}

/** parseItems, also telling whether the text was a collection (an array or a Graph page) rather than one value. */
export function parseText(text: string, line?: number): { items: IngestItem[]; collection: boolean } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { items: [{ line, error: `invalid JSON: ${(error as Error).message}` }], collection: false };
  }
  const items = unwrap(value, line);
  const findings = findInText(text);
  if (findings !== undefined) {
    for (const item of items) {
      const issues = textIssues(item.value, findings);
      if (issues.length > 0) item.issues = issues;
    }
  }
  return { items, collection: Array.isArray(value) || isGraphPage(value) };
}

/** The records inside an already-parsed body: itself, the elements of an array, or the `value` of a Graph page. */
function unwrap(value: unknown, line?: number): IngestItem[] {
  if (Array.isArray(value)) return value.map((v: unknown) => ({ value: v, line }));
  if (isGraphPage(value)) return value.value.map((v: unknown) => ({ value: v, line }));
  return [{ value, line }];
}

function isGraphPage(value: unknown): value is { value: unknown[] } {
  if (value === null || typeof value !== 'object') return false;
  const page = value as Record<string, unknown>;
  return Array.isArray(page.value) && page.id === undefined;
}
