import { holdsNul } from '../domain/json-text-rules.js';
import { AppError } from '../errors.js';
import type { HistoryStore } from '../storage/roles.js';
import type { VersionList } from '../storage/version-info.js';
import { recordNotFound } from './record-reader.js';

/** A record's history as `GET /api/callRecords/{id}/versions` answers it. */
export type { VersionList } from '../storage/version-info.js';

/**
 * Reads a record's history for the archive API (docs/api.md, "History"): every distinct version received, and each
 * one's body as it was received. An unknown record or version is `NotFound`.
 */
export class RecordHistory {
  constructor(private readonly store: Pick<HistoryStore, 'listVersions' | 'getVersion'>) {}

  /** The versions of record `id`, oldest first; `NotFound` when none is stored. */
  async versions(id: string): Promise<VersionList> {
    if (holdsNul(id)) recordNotFound(id);
    const value = await this.store.listVersions(id);
    if (value.length === 0) recordNotFound(id);
    return { id, value };
  }

  /** The body of version `version` of record `id` as a JSON text; `NotFound` when there is no such version. */
  async version(id: string, version: number): Promise<string> {
    const raw = holdsNul(id) ? undefined : await this.store.getVersion(id, version);
    if (raw === undefined) throw new AppError('NotFound', `Call record '${id}' has no version ${version}.`);
    return raw;
  }
}
