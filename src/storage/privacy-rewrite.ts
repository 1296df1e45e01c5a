import { decompressJson } from './compression.js';
import { CURRENT_TABLES, HISTORY_TABLES, RECORD_TABLES, type ColumnValue, type RecordTable } from './record-tables.js';
import type { BodyRewrite } from './roles.js';
import type { RecordWrite } from './store.js';
import type { StreamDerivation } from '../analytics/stream-rows.js';

/** What a privacy rewrite reads of a record's head: what a body alone cannot say. */
export interface StoredHeadFacts {
  content_hash: string;
  start_key: string;
  received_at: string;
  completeness: number;
  has_evolvable: number;
}

/** What a privacy rewrite reads of each stored version. */
export interface StoredVersionFacts {
  content_hash: string;
  received_at: string;
  raw_brotli: Buffer;
  partial: string | null;
  next_links: string | null;
}

/** The columns of the head and of the history that a rewrite reads, for both stores' select lists. */
export const HEAD_FACTS = ['content_hash', 'start_key', 'received_at', 'completeness', 'has_evolvable'] as const;
export const VERSION_FACTS = ['content_hash', 'received_at', 'raw_brotli', 'partial', 'next_links'] as const;

/** One table's rows of a rewritten record, in the order of `table.columns`. */
export interface RebuiltTable {
  table: RecordTable;
  rows: ColumnValue[][];
}

/**
 * Every row of a record rebuilt from its rewritten bodies, through the row builders a write uses (record-tables.ts):
 * the current tables from the rewritten current version, the history tables from each rewritten version (under its
 * own receive time and what it lacked). A derived table added to RECORD_TABLES is rebuilt with no change here.
 * Throws when the head's body is not in the history (a store that lost it must not be rewritten blindly).
 */
export function rebuildRecord(
  id: string,
  head: StoredHeadFacts,
  versions: readonly StoredVersionFacts[],
  rewrite: BodyRewrite,
  streams?: StreamDerivation,
): RebuiltTable[] {
  const rows = new Map<RecordTable, ColumnValue[][]>(RECORD_TABLES.map((t) => [t, []]));
  let current: RecordWrite | undefined;
  for (const version of versions) {
    const write: RecordWrite = {
      ...rewrite(decompressJson(version.raw_brotli)),
      partial: version.partial ?? undefined,
      nextLinks: version.next_links ?? undefined,
    };
    if (version.content_hash === head.content_hash) {
      current = { ...write, completeness: head.completeness as RecordWrite['completeness'] };
      current.hasEvolvable = head.has_evolvable === 1;
    }
    for (const table of HISTORY_TABLES) {
      rows.get(table)!.push(...table.rows(write, { receivedAt: version.received_at, startKey: head.start_key }));
    }
  }
  if (current === undefined) throw new Error(`record ${id}: its current body is missing from its history`);
  for (const table of CURRENT_TABLES) {
    // The stream rows are derived with the stored rule set and building file, as a write derives them.
    rows.get(table)!.push(...table.rows(current, { receivedAt: head.received_at, startKey: head.start_key, streams }));
  }
  return RECORD_TABLES.map((table) => ({ table, rows: rows.get(table)! }));
}
